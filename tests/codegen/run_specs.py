#!/usr/bin/env python3
"""Run the generator on spec cases and check the outcome each declares.

    run_specs.py --src SRCDIR CASE.yaml...   committed cases (tests/codegen/specs/)
    run_specs.py --src SRCDIR --generated    cases built at test time

A committed case's leading comment lines declare what must happen:
  # expect: ok               generation succeeds (exit 0) and writes files
  # expect: LINE: SUBSTRING  generation fails with exit 1, stderr has a line
                             `CASE.yaml:LINE: ...SUBSTRING...` (one per line)
  # args: ARG...             extra generator arguments (e.g. --contract)

The generated cases are too big to commit: a spec over the 4 MiB limit, one
of 10000 nesting levels, a billion-laughs bomb with 30 levels of aliases,
and 256 messages linked to one code (the tables' related-count limit); each
also has a time limit.

Every case that must fail is run twice. With --out naming a directory that
does not exist: exit 1, the expected lines, every stderr line in
`PATH:LINE: message` form, no Python traceback, and no directory created.
With --out naming a directory that already holds files: exit 1, and the
directory unchanged afterwards (names, bytes and modification times).
"""

import argparse
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import time

FAILS = []


def fail(name, msg):
    FAILS.append(msg)
    print(f"FAIL {name}: {msg}")


def generate(src, spec, out, extra=(), timeout=240):
    t = time.monotonic()
    p = subprocess.run([sys.executable, f"{src}/codegen/generate.py", "--spec", spec,
                        "--schema", f"{src}/spec/errors.schema.json", "--out", out] + list(extra),
                       capture_output=True, text=True, errors="replace", timeout=timeout)
    return p, time.monotonic() - t


def snapshot(d):
    out = {}
    for root, dirs, files in os.walk(d):
        for name in dirs + files:
            path = os.path.join(root, name)
            st = os.lstat(path)
            data = b""
            if os.path.isfile(path):
                with open(path, "rb") as f:
                    data = hashlib.sha256(f.read()).digest()
            out[os.path.relpath(path, d)] = (st.st_mode, st.st_size, st.st_mtime_ns, data)
    return out


def prefilled(work):
    d = os.path.join(work, "prefilled")
    os.makedirs(os.path.join(d, "include", "sixmm"), exist_ok=True)
    with open(os.path.join(d, "include", "sixmm", "codes.h"), "w") as f:
        f.write("/* a file from an earlier, good run */\n")
    with open(os.path.join(d, "keep.txt"), "w") as f:
        f.write("untouched\n")
    return d


def check(src, work, name, spec, expects, extra=(), limit_s=None):
    """Run one case; expects is ["ok"] or a list of "LINE: SUBSTRING"."""
    failed_before = len(FAILS)
    out = os.path.join(work, "out")
    try:
        p, secs = generate(src, spec, out, extra)
    except subprocess.TimeoutExpired:
        fail(name, "the generator did not finish")
        return
    if "Traceback" in p.stderr:
        fail(name, f"a Python traceback was printed:\n{p.stderr[-2000:]}")
    if expects == ["ok"]:
        if p.returncode != 0 or not os.path.exists(out):
            fail(name, f"expected success, got exit {p.returncode}:\n{p.stderr[:2000]}")
        elif len(FAILS) == failed_before:
            print(f"ok {name}")
        return
    if p.returncode != 1:
        fail(name, f"expected exit 1, got {p.returncode}")
    if os.path.exists(out):
        fail(name, "output was written for a bad spec")
    for exp in expects:
        line, _, sub = exp.partition(": ")
        want = f"{spec}:{line}: "
        if not any(l.startswith(want) and sub in l for l in p.stderr.splitlines()):
            fail(name, f"no line starting {want!r} containing {sub!r}; stderr was:\n"
                       f"{p.stderr[:2000]}")
    for l in p.stderr.splitlines():
        if not l.startswith(spec + ":"):
            fail(name, f"stderr line not in PATH:LINE: form: {l[:200]!r}")
    if limit_s is not None and secs > limit_s:
        fail(name, f"took {secs:.1f} s (limit {limit_s} s)")
    d = prefilled(work)
    before = snapshot(d)
    p, _ = generate(src, spec, d, extra)
    if p.returncode != 1 or "Traceback" in p.stderr:
        fail(name, f"into a prefilled out dir: exit {p.returncode}"
                   f"{' with a traceback' if 'Traceback' in p.stderr else ''}")
    if snapshot(d) != before:
        fail(name, "the out dir was changed by a failing run")
    if len(FAILS) == failed_before:
        first = p.stderr.splitlines()[0][len(spec) + 1:][:120] if p.stderr else ""
        print(f"ok {name}: {first} ({secs:.1f} s)")


def committed(src, work, case):
    with open(case, "rb") as f:
        head = f.read(4096).decode("utf-8", "replace").split("\n")
    expects = [m.group(1) for m in (re.match(r"# expect: (.*)$", l) for l in head) if m]
    if not expects:
        fail(case, "no '# expect:' line")
        return
    extra = [a for m in (re.match(r"# args: (.*)$", l) for l in head) if m
             for a in m.group(1).split()]
    check(src, work, os.path.basename(case), case, expects, extra)


ENTRY = """      - {key}
        name: {name}
        category: request
{codes}        description:
          en: Generated entry.
          inferred: Generated.
        retry:
          class: fix_request
          inferred: Generated.
        remediation:
          en: Generated.
          inferred: Generated.
"""


def generated_cases(src):
    """(name, spec text, expected line, substring, time limit in s)."""
    with open(f"{src}/tests/codegen/specs/ok-minimal.yaml", encoding="utf-8") as f:
        base = f.read()
    # A huge file: a valid spec padded with comments to just over 4 MiB.
    pad = ("# " + "x" * 77 + "\n") * (4 * 1024 * 1024 // 80 + 10)
    yield "huge", base + pad, 1, "the limit is 4194304", 10
    # 10000 levels of block sequences, "- - - ... x" (the committed case is
    # flow style).
    deep = base + "extra:\n  " + "- " * 10000 + "x\n"
    yield "deep-block", deep, base.count("\n") + 2, "nesting deeper than 64 levels", 10
    # Billion laughs, 30 levels deep: refused at the first alias.
    bomb = 'l0: &a0 "lol"\n' + "".join(
        f"l{i}: &a{i} [*a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}]\n"
        for i in range(1, 31))
    yield "alias-bomb-30", bomb + base, 2, "YAML aliases are not allowed", 10
    # 256 messages that all name code 2001: the related count is a uint8_t.
    msgs = "".join(ENTRY.format(key=f"message: Generated message {i}", name=f"MSG_GEN_{i}",
                                codes="        codes: [2001]\n") for i in range(256))
    text = base.rstrip("\n") + "\n" + msgs
    line = next(i for i, l in enumerate(text.split("\n"), 1) if "name: MISSING_PARAMETER" in l)
    yield "related-overflow", text, line, "the limit is 255", 60


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", required=True)
    ap.add_argument("--generated", action="store_true")
    ap.add_argument("cases", nargs="*")
    args = ap.parse_args()
    if not args.cases and not args.generated:
        ap.error("name a case or --generated")
    with tempfile.TemporaryDirectory() as tmp:
        for i, case in enumerate(args.cases):
            work = os.path.join(tmp, str(i))
            os.makedirs(work)
            committed(args.src, work, case)
        if args.generated:
            for name, text, line, sub, limit_s in generated_cases(args.src):
                work = os.path.join(tmp, name)
                os.makedirs(work)
                path = os.path.join(work, name + ".yaml")
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
                check(args.src, work, name, path, [f"{line}: {sub}"], limit_s=limit_s)
    if FAILS:
        print("FAILED:", len(FAILS), "problems")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
