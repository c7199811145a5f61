"""mypy --strict on the package, and on code that uses it as a client would."""
import os
import subprocess
import sys
from pathlib import Path

import sixmm_errinfo as se

CLIENT = '''
import sixmm_errinfo as se

def handle(status: int, body: bytes) -> object:
    try:
        return se.raise_for_response(status, body, idempotent=False)
    except se.SixmmRateLimitError as exc:
        wait: int = exc.advice.delay_ms
        return wait
    except se.SixmmError as exc:
        entry = exc.entry
        return entry.remediation("zh") if entry is not None else exc.advice.reason

m: se.Match = se.lookup(1002)
c: se.Category = se.Category.AUTH
r: se.Retry = se.Retry.BACKOFF
d: se.Domain = se.Domain.AGENT
a: se.Advice = se.classify(http_status=0, idempotent=True)
'''


def mypy(*args: str) -> "subprocess.CompletedProcess[str]":
    pkg = os.path.dirname(os.path.dirname(se.__file__))
    return subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental",
                           "--cache-dir", os.devnull, *args], cwd=pkg,
                          env=dict(os.environ, MYPYPATH=pkg), capture_output=True, text=True)


def test_the_package_is_mypy_strict_clean() -> None:
    p = mypy("-p", "sixmm_errinfo")
    assert p.returncode == 0, p.stdout + p.stderr


def test_the_example_and_the_bench_are_mypy_strict_clean() -> None:
    python = Path(__file__).resolve().parents[2] / "python"
    p = mypy(str(python / "examples" / "request_loop.py"), str(python / "bench" / "bench.py"))
    assert p.returncode == 0, p.stdout + p.stderr


def test_client_code_type_checks_against_it(tmp_path: Path) -> None:
    client = tmp_path / "client.py"
    client.write_text(CLIENT)
    p = mypy(str(client))
    assert p.returncode == 0, p.stdout + p.stderr
    client.write_text(CLIENT + "x: int = se.lookup(1002).entry.name\n")
    assert mypy(str(client)).returncode == 1, "a type error must be found"
