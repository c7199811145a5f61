#!/usr/bin/python3
"""The conformance corpus: every surface answers every case with the same
JSON (tests/conformance/README.md).

    conformance.py --driver BIN --cli BIN --spec spec/errors.yaml --cases cases.jsonl
                   [--surface c,cli,python] [--print-generated]

The cases are the hand-written edge cases of --cases plus the cases that
gen_cases.py makes from the spec (every entry, every class). Each surface
answers them all: the C driver (the library's public API), the CLI (--json)
and Python (the sixmm_errinfo package, from PYTHONPATH). The test fails when
two surfaces disagree on any case, or when a surface's answer differs from
a case's expectation in any member the case names. Exit status: the number
of failed cases, capped at 1.
"""

import argparse
import json
import os
import subprocess
import sys
from collections import OrderedDict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_cases  # noqa: E402

UINT32_MAX = 2**32 - 1


def identity(e):
    """The entry's identity from a CLI entry object (full or compact)."""
    if e is None:
        return None
    return {k: e.get(k) for k in ("domain", "key", "name", "category", "retry", "http_status")}


# ---- The C driver --------------------------------------------------------

def run_c(args, cases):
    text = "".join(json.dumps({"op": c["op"], "input": c["input"]}) + "\n" for c in cases)
    p = subprocess.run([args.driver], input=text.encode(), capture_output=True, check=True)
    return [json.loads(line) for line in p.stdout.splitlines()]


# ---- The CLI -------------------------------------------------------------

def cli(args, argv, stdin=b""):
    env = dict(os.environ, LC_ALL="C.UTF-8")
    p = subprocess.run([args.cli] + argv, input=stdin, capture_output=True, env=env)
    return p.stdout


def cli_lookups(args, cases):
    """One CLI run per domain option: queries are positional arguments."""
    out = {}
    groups = OrderedDict()
    for i, c in enumerate(cases):
        groups.setdefault(c["input"].get("domain"), []).append(i)
    for domain, idx in groups.items():
        argv = ["--json"] + (["--domain", domain] if domain is not None else []) + ["--"]
        doc = json.loads(cli(args, argv + [cases[i]["input"]["query"] for i in idx]))
        for i, r in zip(idx, doc["results"]):
            if r["status"] == "error":
                out[i] = {"match": None, "entry": None}
            else:
                out[i] = {"match": r["match"], "entry": identity(r["entry"])}
    return out


def cli_classify(args, cases):
    """One CLI run per call context; each case is one body of JSON Lines
    (an empty object for a call without code or message)."""
    out = {}
    groups = OrderedDict()
    for i, c in enumerate(cases):
        x = c["input"]
        key = (x.get("domain", "rest"), x.get("http_status", 200), bool(x.get("idempotent")),
               x.get("attempt", 1))
        groups.setdefault(key, []).append(i)
    for (domain, status, idem, attempt), idx in groups.items():
        bodies = []
        for i in idx:
            x = cases[i]["input"]
            bodies.append({k: x[k] for k in ("code", "message") if k in x})
        argv = ["--response", "-", "--json", "--full", "--domain", domain, "--http", str(status),
                "--attempt", str(attempt), "--idempotent" if idem else "--not-idempotent"]
        stdin = "".join(json.dumps(b, ensure_ascii=False) + "\n" for b in bodies).encode()
        recs = [json.loads(line) for line in cli(args, argv, stdin).splitlines()]
        for i, rec in zip(idx, recs):
            a = rec["advice"]
            out[i] = {"action": a["action"], "resend": a["resend"],
                      "delay_max_ms": a["delay_max_ms"], "match": a["match"],
                      "reason": a["reason"], "entry": identity(a["entry"])}
    return out


def cli_reconcile(args, cases):
    out = {}
    for i, c in enumerate(cases):
        x = c["input"]
        argv = ["--reconcile", "--json", "--domain", x.get("domain", "rest"), "--found", x["found"],
                "--signed-at", str(x["signed_at_ms"]), "--now", str(x["now_ms"]),
                "--attempt", str(x.get("attempt", 1))]
        if x.get("clock_error_ms") is not None:
            argv += ["--clock-error", str(x["clock_error_ms"])]
        r = json.loads(cli(args, argv))
        out[i] = {"step": r["step"], "delay_min_ms": r["delay_min_ms"],
                  "delay_max_ms": r["delay_max_ms"], "reason": r["reason"]}
    return out


def run_cli(args, cases):
    answers = {}
    for op, fn in (("lookup", cli_lookups), ("classify", cli_classify),
                   ("reconcile", cli_reconcile)):
        idx = [i for i, c in enumerate(cases) if c["op"] == op]
        got = fn(args, [cases[i] for i in idx])
        for j, i in enumerate(idx):
            answers[i] = got.get(j)
    return [answers.get(i) for i in range(len(cases))]


# ---- Python --------------------------------------------------------------

def run_python(args, cases):
    import sixmm_errinfo as se

    def ident(e):
        if e is None:
            return None
        return {"domain": e.domain.value, "key": e.key, "name": e.name,
                "category": e.category.value, "retry": e.retry.value,
                "http_status": e.http_status or None}

    def answer(e, match):
        return {"match": match, "entry": ident(e)}

    def lookup(x):
        try:
            ex = se.explain(x["query"], domain=x.get("domain"))
        except ValueError:   # an unknown --domain
            return {"match": None, "entry": None}
        if ex.status == "error":
            return {"match": None, "entry": None}
        return answer(ex.entry, ex.match)

    def classify(x):
        a = se.classify(http_status=x.get("http_status", 200), code=x.get("code"),
                        message=x.get("message"), idempotent=bool(x.get("idempotent")),
                        attempt=x.get("attempt", 1), domain=x.get("domain", "rest"),
                        random=UINT32_MAX)
        return {"action": a.action.value, "resend": a.resend,
                "delay_max_ms": a.delay_max_ms if a.resend else 0, "match": a.match,
                "reason": a.reason, "entry": ident(a.entry)}

    def reconcile(x):
        err = x.get("clock_error_ms")
        kw = dict(found=x["found"], signed_at_ms=x["signed_at_ms"], now_ms=x["now_ms"],
                  clock_error_ms=UINT32_MAX if err is None else err,
                  attempt=x.get("attempt", 1), domain=x.get("domain", "rest"))
        lo, hi = se.reconcile(random=0, **kw), se.reconcile(random=UINT32_MAX, **kw)
        return {"step": lo.step.value, "delay_min_ms": lo.delay_ms, "delay_max_ms": hi.delay_ms,
                "reason": lo.reason}

    ops = {"lookup": lookup, "classify": classify, "reconcile": reconcile}
    return [ops[c["op"]](c["input"]) for c in cases]


SURFACES = {"c": run_c, "cli": run_cli, "python": run_python}


def mismatch(expect, got):
    """The members of expect that got does not equal."""
    if got is None:
        return ["(no answer)"]
    return [k for k, v in expect.items() if got.get(k) != v]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--driver", required=True)
    ap.add_argument("--cli", required=True)
    ap.add_argument("--spec", required=True)
    ap.add_argument("--cases", required=True)
    ap.add_argument("--surface", default="c,cli,python")
    ap.add_argument("--print-generated", action="store_true")
    args = ap.parse_args()

    with open(args.cases, encoding="utf-8") as f:
        hand = [json.loads(line) for line in f if line.strip() and not line.startswith("//")]
    generated = gen_cases.cases(args.spec)
    if args.print_generated:
        for c in generated:
            print(json.dumps(c, ensure_ascii=False))
        return 0
    cases = hand + generated
    surfaces = [s for s in args.surface.split(",") if s]
    answers = {s: SURFACES[s](args, cases) for s in surfaces}
    failed = 0
    for i, c in enumerate(cases):
        problems = []
        first = surfaces[0]
        for s in surfaces:
            bad = mismatch(c["expect"], answers[s][i])
            if bad:
                problems.append(f"{s} differs from the expectation in {bad}: {answers[s][i]}")
            if answers[s][i] != answers[first][i]:
                problems.append(f"{s} and {first} disagree: {answers[s][i]} vs {answers[first][i]}")
        if problems:
            failed += 1
            print(f"FAIL {c['name']}: {c['op']} {json.dumps(c['input'], ensure_ascii=False)}")
            for p in problems:
                print("    " + p)
    ops = {op: sum(1 for c in cases if c["op"] == op) for op in ("lookup", "classify", "reconcile")}
    print(f"conformance: {len(cases)} cases ({len(hand)} hand-written, {len(generated)} from the "
          f"spec; {ops}) on {', '.join(surfaces)}: {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
