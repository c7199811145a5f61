"""classify() in Python equals `6mm-errinfo --response - --http S --json`,
field by field, for every documented code, message and identifier and for
bodies without either, idempotent and not, in every domain.

Where the CLI prints delay_max_ms, its delay_ms is jittered: delay_max_ms
must be equal and delay_ms within [0, delay_max_ms]. A CLI without it
classifies with random = 2**31 (the middle of the jitter window), so Python
does too and delay_ms must be equal. Fields are read by name wherever they
sit in the CLI's record, so that a reshaped record still compares.
"""
import json
import subprocess
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest

import sixmm_errinfo as se

CLI_RANDOM = 0x80000000
# No response, success, a redirect, every 4xx and 5xx the advisor names,
# and the edges of what the CLI accepts.
STATUSES = [0, 100, 200, 301, 400, 401, 403, 404, 409, 429, 500, 501, 502, 503, 504, 599]
ATTEMPTS = [1, 2, 4, 9]


def bodies(domain: se.Domain) -> List[Dict[str, Any]]:
    """A body for every entry of the domain, plus unknown and absent codes."""
    out: List[Dict[str, Any]] = [{}, {"code": 999999}, {"message": "not a catalog message"}]
    for e in se.entries():
        if e.domain is not domain:
            continue
        if e.kind in ("code", "range"):
            assert e.code is not None and e.code_last is not None
            out += [{"code": e.code}, {"code": e.code_last}, {"code": str(e.code)}]
            if e.kind == "code":
                out += [{"code": e.code, "message": r.key} for r in e.related]
        else:
            out.append({"message": e.key})
            out += [{"code": r.code, "message": e.key} for r in e.related]
    blocks = {m.entry for c in range(0, 200000, 1000)
              if (m := se.lookup(c + 999, domain)).kind == "class"}
    out += [{"code": b.code_last} for b in blocks if b is not None]
    return out


def find(record: Any, key: str) -> Iterator[Any]:
    """Every value stored under `key` anywhere in a JSON record."""
    if isinstance(record, dict):
        for k, v in record.items():
            if k == key:
                yield v
            yield from find(v, key)
    elif isinstance(record, list):
        for v in record:
            yield from find(v, key)


def one(record: Any, key: str) -> Any:
    values = list(find(record, key))
    assert values, f"the CLI record has no {key!r}: {record}"
    return values[0]


def cli_entry(record: Any) -> Optional[Tuple[str, str]]:
    entry = one(record, "entry")
    return None if entry is None else (entry["domain"], entry["key"])


def run_cli(cli: str, domain: se.Domain, status: int, idempotent: bool, attempt: int,
            lines: List[Dict[str, Any]]) -> List[Any]:
    args = [cli, "--response", "-", "--http", str(status), "--json", "--full", "--domain", domain.value,
            "--attempt", str(attempt), "--idempotent" if idempotent else "--not-idempotent"]
    p = subprocess.run(args, input="".join(json.dumps(b) + "\n" for b in lines),
                       capture_output=True, text=True)
    assert p.returncode in (0, 1), p.stderr
    return [json.loads(line) for line in p.stdout.splitlines()]


def assert_same(a: se.Advice, rec: Any, where: str) -> None:
    """Python's advice equals the CLI's record, field by field."""
    got = {"action": a.action.value, "resend": a.resend, "reason": a.reason, "match": a.match,
           "entry": None if a.entry is None else (a.entry.domain.value, a.entry.key)}
    want = {k: one(rec, k) for k in ("action", "resend", "reason", "match")}
    want["entry"] = cli_entry(rec)
    delay = one(rec, "delay_ms")
    if list(find(rec, "delay_max_ms")):
        want["delay_max_ms"], got["delay_max_ms"] = one(rec, "delay_max_ms"), a.delay_max_ms
        assert 0 <= delay <= want["delay_max_ms"], f"{where}: {rec}"
    else:
        want["delay_ms"], got["delay_ms"] = delay, a.delay_ms
    assert got == want, where


CASES = [(d, s, i) for d in se.Domain for s in STATUSES for i in (True, False)]


@pytest.mark.parametrize("domain,status,idempotent", CASES,
                         ids=[f"{d.value}-{s}-{'idem' if i else 'not'}" for d, s, i in CASES])
def test_classify_equals_the_cli(cli: str, domain: se.Domain, status: int,
                                 idempotent: bool) -> None:
    lines = bodies(domain)
    for attempt in ATTEMPTS:
        records = run_cli(cli, domain, status, idempotent, attempt, lines)
        assert len(records) == len(lines)
        for body, rec in zip(lines, records):
            a = se.classify_response(status, body, idempotent=idempotent, attempt=attempt,
                                     domain=domain, random=CLI_RANDOM)
            assert_same(a, rec, f"body {body}, attempt {attempt}")


def test_a_body_that_is_not_json_is_classified_by_the_status(cli: str) -> None:
    """As the CLI does for a gateway's error page; below 400 the CLI
    rejects such a body (exit 2), where Python classifies it as one with
    neither code nor message."""
    for status in STATUSES:
        for idempotent in (True, False):
            flag = "--idempotent" if idempotent else "--not-idempotent"
            records = [json.loads(p.stdout) for text in ("<html>Bad Gateway</html>\n", "{}\n")
                       if (p := subprocess.run([cli, "--response", "-", "--http", str(status),
                                                "--json", "--full", flag], input=text,
                                               capture_output=True, text=True)).stdout]
            assert records, f"the CLI classified neither body at status {status}"
            for rec in records:
                for body in (b"<html>Bad Gateway</html>", "", None, b"\xff\xfe", "[1, 2]",
                             "7", b'{"code": 1002'):
                    a = se.classify_response(status, body, idempotent=idempotent,
                                             random=CLI_RANDOM)
                    assert a.entry is None
                    assert_same(a, rec, f"status {status}, body {body!r}")


def cli_has_reconcile(cli: str) -> bool:
    return "--reconcile" in subprocess.run([cli, "--help"], capture_output=True,
                                           text=True).stdout


RECONCILE_TIMES = [(1_700_000_000_000, 1_700_000_000_500, 0),
                   (1_700_000_000_000, 1_700_000_004_000, 250),
                   (1_700_000_000_000, 1_700_000_060_000, 1000),
                   (5_000, 1_000, 0)]   # a clock that went backwards


@pytest.mark.parametrize("domain", list(se.Domain), ids=lambda d: d.value)
def test_reconcile_equals_the_cli(cli: str, domain: se.Domain) -> None:
    """reconcile() against `6mm-errinfo --reconcile --json`: the same step and
    reason, and a delay inside the CLI's range, at the range's ends for the
    smallest and the largest random value."""
    if not cli_has_reconcile(cli):
        pytest.skip("this 6mm-errinfo has no --reconcile")
    for found in se.Found:
        for signed, now, err in RECONCILE_TIMES:
            for attempt in (1, 2, 5, 9):
                p = subprocess.run(
                    [cli, "--reconcile", "--json", "--domain", domain.value,
                     "--found", found.value, "--signed-at", str(signed),
                     "--now", str(now), "--clock-error", str(err), "--attempt", str(attempt)],
                    capture_output=True, text=True)
                assert p.returncode in (0, 1), p.stderr
                rec = json.loads(p.stdout)
                where = f"{domain.value} {found.value} {signed} {now} {err} {attempt}"
                ends = [se.reconcile(found=found, signed_at_ms=signed, now_ms=now,
                                     clock_error_ms=err, attempt=attempt, domain=domain,
                                     random=r) for r in (0, (1 << 32) - 1)]
                for r in ends:
                    assert (r.step.value, r.reason) == (rec["step"], rec["reason"]), where
                assert [r.delay_ms for r in ends] == \
                    [one(rec, "delay_min_ms"), one(rec, "delay_max_ms")], where
