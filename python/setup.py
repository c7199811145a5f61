"""Build the sixmm-errinfo wheel: CMake builds the C library from the parent
checkout and stages the package (sixmm_errinfo/ with its generated modules
and the shared library), which build_py then copies in.

CMake's python_wheel target runs this file from a copy beside the staged
package (build/python/recipe/): sixmm_errinfo/ then already holds
_version.py, which the checkout never does, and no CMake build runs.
"""
import os
import re
import shutil
import subprocess
import sys

from setuptools import Distribution, setup
from setuptools.command.build_py import build_py
from wheel.bdist_wheel import bdist_wheel

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PKG = os.path.join(HERE, "sixmm_errinfo")
STAGED = PKG if os.path.isfile(os.path.join(PKG, "_version.py")) else None


def project_version(staged):
    """The version CMake wrote into the staged package, else the one in the
    checkout's CMakeLists.txt: the one place it is written."""
    if staged:
        path, pattern = os.path.join(staged, "_version.py"), r'__version__ = "([0-9.]+)"'
    else:
        path = os.path.join(ROOT, "CMakeLists.txt")
        pattern = r"project\(sixmm-errinfo\s+VERSION\s+([0-9.]+)"
    try:
        with open(path, encoding="utf-8") as f:
            m = re.search(pattern, f.read())
    except OSError as exc:
        sys.exit(f"setup.py: {path}: {exc.strerror}: python/ must stay inside a "
                 "sixmm-errinfo checkout, whose CMake build makes the library")
    if not m:
        sys.exit(f"setup.py: {path}: no version found")
    return m.group(1)


def cmake_stage(build_temp):
    """Configure and build the library and the staged package; return its folder."""
    out = os.path.join(os.path.abspath(build_temp), "cmake")
    cmake = shutil.which("cmake")
    if cmake is None:
        sys.exit("setup.py: cmake was not found; on Debian: apt-get install cmake")
    for cmd in ([cmake, "-S", ROOT, "-B", out, "-DCMAKE_BUILD_TYPE=Release",
                 "-DSIXMM_BUILD_TESTS=OFF"],
                [cmake, "--build", out, "--target", "sixmm_python", "-j2"]):
        print(" ".join(cmd), flush=True)
        subprocess.run(cmd, check=True)
    return os.path.join(out, "python", "pkg", "sixmm_errinfo")


class BuildPy(build_py):
    """Copy the staged package (sources, generated modules, library) in."""

    def run(self):
        if STAGED:
            super().run()
            return
        staged = cmake_stage(self.get_finalized_command("build").build_temp)
        if not os.path.isfile(os.path.join(staged, "libsixmm-errinfo.so")):
            sys.exit(f"setup.py: {staged}: no libsixmm-errinfo.so; build the CMake "
                     "target sixmm_python first")
        dest = os.path.join(self.build_lib, "sixmm_errinfo")
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(staged, dest, ignore=shutil.ignore_patterns("__pycache__"))

    def get_outputs(self, include_bytecode=True):
        if STAGED:
            return super().get_outputs(include_bytecode)
        dest = os.path.join(self.build_lib, "sixmm_errinfo")
        return [os.path.join(dest, f) for f in sorted(os.listdir(dest))] \
            if os.path.isdir(dest) else []


class BdistWheel(bdist_wheel):
    """A platform wheel (it carries a shared library) for any Python 3:
    the package itself is pure Python over ctypes."""

    def get_tag(self):
        _, _, plat = super().get_tag()
        return "py3", "none", plat


class BinaryDistribution(Distribution):
    """Installs as platform code (the shared library), at the wheel's root."""

    def has_ext_modules(self):
        return True


setup(version=project_version(STAGED), distclass=BinaryDistribution, cmdclass={"build_py": BuildPy, "bdist_wheel": BdistWheel})
