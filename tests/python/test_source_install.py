"""The README's Python commands, as written there, on a copy of the
checkout with nothing built, offline, with every python3 at hand as the
`python3` on PATH: Debian's /usr/bin/python3 (setuptools and wheel
installed) and the interpreters of pyenv (no wheel); then the package used
from outside the copy. Without cmake the install stops with one line that
says what to install."""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECK = ("import json, sixmm_errinfo as s; print(json.dumps([s.__file__, s.library_path, "
         "s.lookup(5003).entry.name, s.__version__]))")


def readme_commands() -> Tuple[str, str]:
    """The README's install line and its check line (the block under "From Python")."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## From Python.*?```sh\n(.*?)```", text, re.S)
    assert block, "README.md has no sh block under 'From Python'"
    lines = [x for x in block.group(1).splitlines() if x.strip()]
    assert len(lines) == 2, lines
    install, check = lines
    assert "pip install --no-build-isolation ./python" in install, install
    assert "RATE_LIMITED" in check, check
    return install, check.split("#")[0].strip()


def interpreters() -> List[str]:
    """The python3 on PATH (here pyenv's, without wheel), Debian's, and the
    oldest other python3 >= 3.9 of pyenv (the oldest the package supports)."""
    found = []
    on_path = shutil.which("python3")
    if on_path:
        found.append(subprocess.run([on_path, "-c", "import sys; print(sys.executable)"],
                                    capture_output=True, text=True).stdout.strip())
    found.append("/usr/bin/python3")

    def version(p: str) -> Tuple[int, ...]:
        m = re.search(r"/versions/(\d+)\.(\d+)", p)
        return tuple(map(int, m.groups())) if m else (99,)
    pyenv = [p for p in glob.glob(os.path.expanduser("~/.pyenv/versions/3.*/bin/python3"))
             if version(p) >= (3, 9)]
    found += sorted(pyenv, key=version)[:1]
    usable = []
    for p in dict.fromkeys(os.path.realpath(x) for x in found if x):
        ok = subprocess.run([p, "-c", "import sys, venv; assert sys.version_info >= (3, 9)"],
                            capture_output=True)
        if ok.returncode == 0:
            usable.append(p)
    return usable


def copy_checkout(dest: Path) -> None:
    """The files git knows of (tracked, or new and not ignored): no build tree."""
    files = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-co", "--exclude-standard", "-z"],
                           check=True, capture_output=True, text=True).stdout.split("\0")
    for f in filter(None, files):
        src = ROOT / f
        if src.is_file():
            (dest / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / f)


def clean_env(path: str) -> Dict[str, str]:
    """No build or package variables, no index (offline), PATH as given."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "SIXMM_", "CMAKE_", "PIP_", "VIRTUAL_ENV"))}
    env.update(PATH=path, PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    return env


@pytest.mark.parametrize("python", interpreters())
def test_the_readme_install_works_with_this_python3(tmp_path: Path, python: str) -> None:
    install, check = readme_commands()
    checkout = tmp_path / "checkout"
    copy_checkout(checkout)
    assert not (checkout / "build").exists()
    env = clean_env(os.path.dirname(python) + os.pathsep + "/usr/bin:/bin")
    p = subprocess.run(["bash", "-c", install], cwd=str(checkout), env=env,
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    venv_python = checkout / ".venv" / "bin" / "python"
    out = subprocess.run([str(venv_python), "-I", "-c", CHECK], cwd=str(tmp_path), env=env,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    file, library, name, version = json.loads(out.stdout)
    assert file.startswith(str(checkout / ".venv")) and library.startswith(str(checkout))
    assert name == "RATE_LIMITED"
    assert f'VERSION {version}' in (ROOT / "CMakeLists.txt").read_text()
    # The README's own check line, as a user runs it from the checkout.
    shown = subprocess.run(["bash", "-c", check], cwd=str(checkout), env=env,
                           capture_output=True, text=True)
    assert shown.stdout.strip() == "RATE_LIMITED", shown.stderr
    assert not (checkout / "python" / "build").exists(), "the install left files in python/"


def test_without_cmake_the_install_says_what_to_install(tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"
    copy_checkout(checkout)
    venv = checkout / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)],
                   check=True)
    # PATH holds the venv and nothing else: no cmake.
    p = subprocess.run([str(venv / "bin" / "pip"), "install", "--no-build-isolation",
                        "./python"], cwd=str(checkout), env=clean_env(str(venv / "bin")),
                       capture_output=True, text=True)
    assert p.returncode != 0
    lines = [x for x in (p.stdout + p.stderr).splitlines() if "sixmm-errinfo: " in x]
    assert lines and "apt-get install cmake" in lines[0], p.stdout + p.stderr
