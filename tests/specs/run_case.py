#!/usr/bin/env python3
"""Run the generator on one spec case and check the outcome it declares.

    run_case.py GENERATE_PY SCHEMA CASE.yaml

The case's leading comment lines declare what must happen:
  # expect: ok               generation succeeds (exit 0) and writes files
  # expect: LINE: SUBSTRING  generation fails with exit 1, stderr has a line
                             `CASE.yaml:LINE: ...SUBSTRING...` (one per line)
  # args: ARG...             extra generator arguments (e.g. --contract)
A failing case must also write nothing and print no Python traceback.
"""
import os
import re
import subprocess
import sys
import tempfile


def main():
    gen, schema, case = sys.argv[1:4]
    with open(case, "rb") as f:
        head = f.read(4096).decode("utf-8", "replace").split("\n")
    expects = [m.group(1) for m in (re.match(r"# expect: (.*)$", l) for l in head) if m]
    if not expects:
        sys.exit(f"{case}: no '# expect:' line")
    extra = [a for m in (re.match(r"# args: (.*)$", l) for l in head) if m
             for a in m.group(1).split()]
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out")
        proc = subprocess.run([sys.executable, gen, "--spec", case, "--schema", schema,
                               "--out", out] + extra,
                              capture_output=True, text=True, errors="replace")
        wrote = os.path.exists(out)
    failures = []
    if "Traceback" in proc.stderr:
        failures.append("a Python traceback was printed")
    if expects == ["ok"]:
        if proc.returncode != 0 or not wrote:
            failures.append(f"expected success, got exit {proc.returncode}")
    else:
        if proc.returncode != 1:
            failures.append(f"expected exit 1, got {proc.returncode}")
        if wrote:
            failures.append("output was written for a bad spec")
        for exp in expects:
            line, _, sub = exp.partition(": ")
            want = f"{case}:{line}: "
            if not any(l.startswith(want) and sub in l for l in proc.stderr.splitlines()):
                failures.append(f"no line starting {want!r} containing {sub!r}")
        for l in proc.stderr.splitlines():
            if not l.startswith(case + ":"):
                failures.append(f"stderr line not in PATH:LINE: form: {l!r}")
    if failures:
        print(proc.stderr, end="")
        for f in failures:
            print(f"FAIL {case}: {f}")
        return 1
    print(f"ok {case}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
