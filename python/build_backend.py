"""The package's build backend (PEP 517), in the tree: pip needs nothing but
itself, so `pip install --no-build-isolation ./python` works with any
python3 >= 3.9 that has a venv, whether or not setuptools and wheel are
installed for it (a pyenv or python.org build often lacks wheel).

The wheel is a zip file (PEP 427): the package staged by CMake (sources,
the modules rendered from the spec, the version and the shared library)
and its .dist-info. pip calls build_wheel() in python/ of a checkout, which
runs CMake on the checkout; CMake's python_wheel target runs this file with
--staged, on a package it already staged.

    python3 build_backend.py --staged PKG_DIR --wheel-dir DIST_DIR
"""
import base64
import hashlib
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import zipfile
from typing import Any, Dict, List, Optional, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
NAME, DIST = "sixmm-errinfo", "sixmm_errinfo"
SUMMARY = "The 6MM trading API error catalog and retry advisor, over libsixmm-errinfo"
REQUIRES_PYTHON = ">=3.9"
CLASSIFIERS = ["Typing :: Typed", "Programming Language :: Python :: 3"]
LIBRARY = "libsixmm-errinfo.so"
# A fixed date for every file in the zip: the same inputs give the same wheel.
ZIP_DATE = (2020, 1, 1, 0, 0, 0)


def fail(message: str) -> None:
    """Stop the build with one line that says what is wrong or missing."""
    sys.exit(f"sixmm-errinfo: {message}")


def project_version(staged: Optional[str]) -> str:
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
        fail(f"{path}: {exc.strerror}: python/ must stay inside a sixmm-errinfo checkout, "
             "whose CMake build makes the library")
    if not m:
        fail(f"{path}: no version found")
    return m.group(1)   # type: ignore[union-attr]


def cmake_stage(work: str) -> str:
    """Configure and build the library and the staged package in work/;
    return the staged package's folder."""
    cmake = shutil.which("cmake")
    if cmake is None:
        fail("cmake was not found; on Debian: apt-get install cmake (bash .ci/deps installs "
             "every build dependency)")
    out = os.path.join(work, "cmake")
    for cmd in ([cmake, "-S", ROOT, "-B", out, "-DCMAKE_BUILD_TYPE=Release",
                 "-DSIXMM_BUILD_TESTS=OFF"],
                [cmake, "--build", out, "--target", "sixmm_python", "-j2"]):
        print(" ".join(cmd), flush=True)
        if subprocess.run(cmd).returncode != 0:
            fail(f"{os.path.basename(cmd[0])} failed (above); bash .ci/deps installs what the "
                 "C build needs")
    return os.path.join(out, "python", "pkg", DIST)


def platform_tag() -> str:
    """The wheel carries a shared library: it is for this platform, and for
    any Python 3 (the package itself is pure Python over ctypes)."""
    return re.sub(r"[^A-Za-z0-9]", "_", sysconfig.get_platform())


def metadata(version: str) -> str:
    lines = ["Metadata-Version: 2.1", f"Name: {NAME}", f"Version: {version}",
             f"Summary: {SUMMARY}", f"Requires-Python: {REQUIRES_PYTHON}"]
    lines += [f"Classifier: {c}" for c in CLASSIFIERS]
    return "\n".join(lines) + "\n"


def dist_info(version: str) -> Dict[str, bytes]:
    """The .dist-info files but RECORD, by name."""
    wheel = ("Wheel-Version: 1.0\nGenerator: sixmm-errinfo build_backend\n"
             f"Root-Is-Purelib: false\nTag: py3-none-{platform_tag()}\n")
    return {"METADATA": metadata(version).encode(), "WHEEL": wheel.encode(),
            "top_level.txt": f"{DIST}\n".encode()}


def package_files(staged: str) -> List[Tuple[str, str]]:
    """(path in the wheel, file) for the staged package, sorted."""
    if not os.path.isfile(os.path.join(staged, LIBRARY)):
        fail(f"{staged}: no {LIBRARY}; build the CMake target sixmm_python first")
    names = sorted(n for n in os.listdir(staged)
                   if n.endswith(".py") or n in ("py.typed", LIBRARY))
    return [(f"{DIST}/{n}", os.path.join(staged, n)) for n in names]


def write_wheel(staged: str, wheel_dir: str) -> str:
    """The wheel of the staged package, in wheel_dir; its file name."""
    version = project_version(staged)
    info = f"{DIST}-{version}.dist-info"
    name = f"{DIST}-{version}-py3-none-{platform_tag()}.whl"
    os.makedirs(wheel_dir, exist_ok=True)
    record = []

    def add(z: zipfile.ZipFile, arcname: str, data: bytes, mode: int) -> None:
        zi = zipfile.ZipInfo(arcname, ZIP_DATE)
        zi.external_attr = (mode & 0xFFFF) << 16
        zi.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(zi, data)
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
        record.append(f"{arcname},sha256={digest.decode()},{len(data)}")

    with zipfile.ZipFile(os.path.join(wheel_dir, name), "w") as z:
        for arcname, path in package_files(staged):
            with open(path, "rb") as f:
                add(z, arcname, f.read(), 0o755 if arcname.endswith(".so") else 0o644)
        for n, data in dist_info(version).items():
            add(z, f"{info}/{n}", data, 0o644)
        record.append(f"{info}/RECORD,,")
        zi = zipfile.ZipInfo(f"{info}/RECORD", ZIP_DATE)
        zi.external_attr = 0o644 << 16
        z.writestr(zi, "\n".join(record) + "\n")
    return name


# ---- The PEP 517 hooks ----------------------------------------------------

def get_requires_for_build_wheel(config_settings: Any = None) -> List[str]:
    return []


def prepare_metadata_for_build_wheel(metadata_directory: str,
                                     config_settings: Any = None) -> str:
    version = project_version(None)
    info = f"{DIST}-{version}.dist-info"
    os.makedirs(os.path.join(metadata_directory, info), exist_ok=True)
    for n, data in dist_info(version).items():
        with open(os.path.join(metadata_directory, info, n), "wb") as f:
            f.write(data)
    return info


def build_wheel(wheel_directory: str, config_settings: Any = None,
                metadata_directory: Optional[str] = None) -> str:
    with tempfile.TemporaryDirectory(prefix="sixmm-errinfo-build-") as work:
        return write_wheel(cmake_stage(work), wheel_directory)


def build_sdist(sdist_directory: str, config_settings: Any = None) -> str:
    fail("no sdist: the package is built from a checkout (pip install ./python), whose "
         "CMake build makes the library")
    return ""


def main(argv: List[str]) -> int:
    if len(argv) != 5 or argv[1] != "--staged" or argv[3] != "--wheel-dir":
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    shutil.rmtree(argv[4], ignore_errors=True)
    print(os.path.join(argv[4], write_wheel(argv[2], argv[4])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
