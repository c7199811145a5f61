"""Where the package finds libsixmm-errinfo: bundled, then
$SIXMM_ERRINFO_LIBRARY, then the system's copy; and what it refuses."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import sixmm_errinfo as se


def package_without_library(tmp: Path) -> Path:
    """A copy of the package with no bundled library."""
    dest = tmp / "sixmm_errinfo"
    shutil.copytree(os.path.dirname(se.__file__), dest,
                    ignore=shutil.ignore_patterns("*.so", "__pycache__"))
    return tmp


# The system's copy is the last resort; a test elsewhere may install one for a
# moment (dpkg -i), so the refusal tests hide it.
NO_SYSTEM_COPY = "import ctypes.util; ctypes.util.find_library = lambda name: None\n"


def run(path: Path, code: str, **env: str) -> "subprocess.CompletedProcess[str]":
    e = {k: v for k, v in os.environ.items() if k != "SIXMM_ERRINFO_LIBRARY"}
    e.update(env, PYTHONPATH=str(path))
    return subprocess.run([sys.executable, "-c", NO_SYSTEM_COPY + code], env=e, cwd=str(path),
                          capture_output=True, text=True)


def test_the_bundled_library_comes_first(shared_library: str) -> None:
    assert se.library_path == os.path.join(os.path.dirname(se.__file__), "libsixmm-errinfo.so")


def test_the_environment_names_the_library(tmp_path: Path, shared_library: str) -> None:
    p = run(package_without_library(tmp_path),
            "import sixmm_errinfo as s; print(s.library_path); print(s.lookup(1002).entry.name)",
            SIXMM_ERRINFO_LIBRARY=shared_library)
    assert p.returncode == 0, p.stderr
    assert p.stdout.split() == [shared_library, "TOKEN_EXPIRED"]


def test_no_library_is_an_import_error_that_says_where_it_looked(tmp_path: Path) -> None:
    pkg = package_without_library(tmp_path)
    p = run(pkg, "import sixmm_errinfo", SIXMM_ERRINFO_LIBRARY=str(tmp_path / "missing.so"))
    assert p.returncode == 1
    err = p.stderr.strip().splitlines()
    assert "ImportError: sixmm_errinfo cannot load libsixmm-errinfo; looked in:" in err
    assert f"  bundled ({pkg / 'sixmm_errinfo'}): no libsixmm-errinfo.so" in err
    assert any(line.startswith(f"  $SIXMM_ERRINFO_LIBRARY: {tmp_path / 'missing.so'}: ")
               for line in err)
    assert "  ctypes.util.find_library('sixmm-errinfo'): none found" in err


def test_a_library_with_other_categories_is_refused(tmp_path: Path) -> None:
    pkg = package_without_library(tmp_path)
    spec = pkg / "sixmm_errinfo" / "_spec.py"
    spec.write_text(spec.read_text().replace('AUTH = "auth"', 'AUTH = "authn"'))
    p = run(pkg, "import sixmm_errinfo", SIXMM_ERRINFO_LIBRARY=se.library_path)
    assert p.returncode == 1
    assert f"ImportError: {se.library_path} has other domains, categories or retry classes" \
        in p.stderr


def test_another_major_version_is_refused(tmp_path: Path) -> None:
    cc = shutil.which("cc")
    if cc is None:
        pytest.skip("no C compiler")
    src = tmp_path / "other.c"
    src.write_text('const char *sixmm_version(void) { return "97.0.0"; }\n')
    lib = tmp_path / "libother.so"
    subprocess.run([cc, "-shared", "-fPIC", "-o", str(lib), str(src)], check=True)
    p = run(package_without_library(tmp_path), "import sixmm_errinfo",
            SIXMM_ERRINFO_LIBRARY=str(lib))
    assert p.returncode == 1
    assert f"$SIXMM_ERRINFO_LIBRARY: {lib}: it is version 97.0.0; this package " \
           f"{se.__version__} needs major version {se.__version__.split('.')[0]}" in p.stderr


def test_a_library_without_the_api_is_refused(tmp_path: Path) -> None:
    libc = "/lib/x86_64-linux-gnu/libc.so.6"
    if not os.path.exists(libc):
        pytest.skip("no glibc at the usual path")
    p = run(package_without_library(tmp_path), "import sixmm_errinfo",
            SIXMM_ERRINFO_LIBRARY=libc)
    assert p.returncode == 1
    assert f"$SIXMM_ERRINFO_LIBRARY: {libc}: it has no function sixmm_version" in p.stderr
