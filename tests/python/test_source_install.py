"""The documented install, on a copy of the checkout with nothing built:
    python3 -m venv --system-site-packages .venv
    .venv/bin/pip install --no-build-isolation ./python
offline (--no-index), then the package used from outside the copy."""
import json
import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECK = ("import json, sixmm_errinfo as s; print(json.dumps([s.__file__, s.library_path, "
         "s.lookup(5003).entry.name, s.__version__]))")


def copy_checkout(dest: Path) -> None:
    """The files git knows of (tracked, or new and not ignored): no build tree."""
    files = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-co", "--exclude-standard", "-z"],
                           check=True, capture_output=True, text=True).stdout.split("\0")
    for f in filter(None, files):
        src = ROOT / f
        if src.is_file():
            (dest / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / f)


def test_pip_installs_from_an_unbuilt_checkout(tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"
    copy_checkout(checkout)
    assert not (checkout / "build").exists()
    venv = checkout / ".venv"
    subprocess.run(["/usr/bin/python3", "-m", "venv", "--system-site-packages", str(venv)],
                   check=True)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "SIXMM_", "CMAKE_"))}
    p = subprocess.run([str(venv / "bin" / "pip"), "install", "--no-build-isolation",
                        "--no-index", "./python"], cwd=str(checkout), env=env,
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    out = subprocess.run([str(venv / "bin" / "python"), "-I", "-c", CHECK], cwd=str(tmp_path),
                         env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    file, library, name, version = json.loads(out.stdout)
    assert file.startswith(str(venv)) and library.startswith(str(venv))
    assert name == "RATE_LIMITED"
    assert f'VERSION {version}' in (ROOT / "CMakeLists.txt").read_text()
