"""The wheel from build/python/dist, installed into a fresh venv and used
from a folder outside the checkout, with nothing pointing back at it."""
import glob
import os
import subprocess
from pathlib import Path

CHECK = """
import json, os, sys
import sixmm_errinfo as s
maps = open("/proc/self/maps").read()
print(json.dumps({"file": s.__file__, "library": s.library_path,
                  "mapped": [l.split()[-1] for l in maps.splitlines() if "sixmm" in l],
                  "name": s.lookup(1002).entry.name,
                  "action": s.classify(http_status=429, idempotent=True).action.value,
                  "typed": os.path.exists(os.path.join(os.path.dirname(s.__file__), "py.typed"))}))
"""


def test_the_wheel_installs_and_runs_in_a_fresh_venv(tmp_path: Path, dist: str) -> None:
    wheels = glob.glob(os.path.join(dist, "sixmm_errinfo-*.whl"))
    assert len(wheels) == 1, f"expected one wheel in {dist}, found {wheels}"
    venv = tmp_path / "venv"
    subprocess.run(["/usr/bin/python3", "-m", "venv", str(venv)], check=True)
    py = str(venv / "bin" / "python")
    subprocess.run([py, "-m", "pip", "install", "--quiet", "--no-index", "--no-deps",
                    wheels[0]], check=True)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}   # no PYTHONPATH, no library path
    out = subprocess.run([py, "-I", "-c", CHECK], cwd=str(tmp_path), env=env,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    import json
    got = json.loads(out.stdout)
    site = str(venv / "lib")
    assert got["file"].startswith(site)
    assert got["library"].startswith(site)
    assert got["mapped"] and all(m.startswith(site) for m in got["mapped"]), got["mapped"]
    assert (got["name"], got["action"], got["typed"]) == ("TOKEN_EXPIRED", "backoff", True)
