#!/usr/bin/env python3
"""Hostile specs that are generated at test time rather than committed, and
the out-dir contract for every failing spec case (issue 8).

    hostile_generated.py --src SRCDIR --work DIR

1. A spec over the 4 MiB limit, a spec of 10000 nesting levels, a billion-
   laughs bomb with 30 levels of aliases, 256 messages linked to one code
   (the tables' related-count limit) and codes in 256 thousands blocks (the
   code index limit): each must end in exit 1 and a `PATH:LINE: message`
   line, without a traceback, within a time limit.
2. Every tests/specs case that must fail is run again with --out pointing at
   a directory that already holds files: the directory must be unchanged
   afterwards (names, bytes and modification times), not just "not created".
"""

import argparse
import glob
import hashlib
import os
import re
import subprocess
import sys
import time

FAILS = []


def fail(msg):
    FAILS.append(msg)
    print("FAIL:", msg)


def generate(src, spec, out, timeout=120, extra=()):
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


def prefilled(work, name):
    d = os.path.join(work, "out-" + name)
    os.makedirs(os.path.join(d, "include", "sixmm"), exist_ok=True)
    with open(os.path.join(d, "include", "sixmm", "codes.h"), "w") as f:
        f.write("/* a file from an earlier, good run */\n")
    with open(os.path.join(d, "keep.txt"), "w") as f:
        f.write("untouched\n")
    return d


def expect_failure(src, work, name, text, line, substring, limit_s=60):
    path = os.path.join(work, name + ".yaml")
    with open(path, "wb") as f:
        f.write(text if isinstance(text, bytes) else text.encode("utf-8"))
    out = prefilled(work, name)
    before = snapshot(out)
    try:
        p, secs = generate(src, path, out, timeout=max(limit_s * 4, 120))
    except subprocess.TimeoutExpired:
        fail(f"{name}: the generator did not finish")
        return
    where = f"{path}:{line}: "
    if p.returncode != 1:
        fail(f"{name}: exit {p.returncode}, not 1")
    if "Traceback" in p.stderr:
        fail(f"{name}: Python traceback:\n{p.stderr[-2000:]}")
    if not any(l.startswith(where) and substring in l for l in p.stderr.splitlines()):
        fail(f"{name}: no line {where!r}...{substring!r}; stderr was:\n{p.stderr[:2000]}")
    for l in p.stderr.splitlines():
        if not l.startswith(path + ":"):
            fail(f"{name}: stderr line not in PATH:LINE: form: {l[:200]!r}")
    if snapshot(out) != before:
        fail(f"{name}: the out dir was changed")
    if secs > limit_s:
        fail(f"{name}: took {secs:.1f} s (limit {limit_s} s)")
    print(f"ok {name}: {p.stderr.splitlines()[0][len(work) + 1:][:120] if p.stderr else ''} ({secs:.1f} s)")


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


def minimal(src):
    with open(f"{src}/tests/specs/ok-minimal.yaml", encoding="utf-8") as f:
        return f.read()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", required=True)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    src, work = args.src, args.work
    os.makedirs(work, exist_ok=True)
    base = minimal(src)

    # A huge file: a valid spec padded with comments to just over 4 MiB.
    pad = ("# " + "x" * 77 + "\n") * (4 * 1024 * 1024 // 80 + 10)
    expect_failure(src, work, "huge", base + pad, 1, "the limit is 4194304", limit_s=10)

    # 10000 levels of block sequences, "- - - ... x" (the committed case is
    # flow style).
    deep = base + "extra:\n  " + "- " * 10000 + "x\n"
    expect_failure(src, work, "deep-block", deep, base.count("\n") + 2,
                   "nesting deeper than 64 levels", limit_s=10)

    # Billion laughs, 30 levels deep: refused at the first alias.
    bomb = 'l0: &a0 "lol"\n' + "".join(
        f"l{i}: &a{i} [*a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}]\n"
        for i in range(1, 31))
    expect_failure(src, work, "alias-bomb-30", bomb + base, 2, "YAML aliases are not allowed", limit_s=10)

    # 256 messages that all name code 2001: the related count is a uint8_t.
    msgs = "".join(ENTRY.format(key=f"message: Generated message {i}", name=f"MSG_GEN_{i}",
                                codes="        codes: [2001]\n") for i in range(256))
    text = base.rstrip("\n") + "\n" + msgs
    line = next(i for i, l in enumerate(text.split("\n"), 1) if "name: MISSING_PARAMETER" in l)
    expect_failure(src, work, "related-overflow", text, line, "the limit is 255", limit_s=60)

    # Codes in 256 more thousands blocks: the code index's page number is a
    # uint8_t. ok-minimal already uses two blocks, so the 254th new one is
    # the 256th in all and is reported.
    codes = "".join(ENTRY.format(key=f"code: {10000 + 1000 * i}", name=f"GEN_{i}", codes="")
                    for i in range(256))
    text = base.rstrip("\n") + "\n" + codes
    line = next(i for i, l in enumerate(text.split("\n"), 1) if "code: 263000" in l)
    expect_failure(src, work, "index-pages", text, line, "the code index holds at most 255", limit_s=60)

    # Every committed case that must fail leaves a prefilled out dir alone.
    n = 0
    for case in sorted(glob.glob(f"{src}/tests/specs/*.yaml")):
        with open(case, "rb") as f:
            head = f.read(4096).decode("utf-8", "replace")
        m = re.search(r"^# expect: (.*)$", head, re.M)
        if not m or m.group(1).strip() == "ok":
            continue
        name = "case-" + os.path.basename(case)[:-5]
        out = prefilled(work, name)
        before = snapshot(out)
        extra = [a for a in re.findall(r"^# args: (.*)$", head, re.M) for a in a.split()]
        p, _ = generate(src, case, out, extra=extra)
        if p.returncode != 1 or "Traceback" in p.stderr:
            fail(f"{name}: exit {p.returncode}{' with a traceback' if 'Traceback' in p.stderr else ''}")
        if snapshot(out) != before:
            fail(f"{name}: the out dir was changed by a failing run")
        n += 1
    print(f"ok: {n} failing cases left a prefilled out dir unchanged")
    print("FAILED:" if FAILS else "ok:", len(FAILS), "problems")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
