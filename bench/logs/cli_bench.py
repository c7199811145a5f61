#!/usr/bin/python3
"""The CLI's log bench: builds realistic logs, then times grep -c, jq, a short
Python baseline and 6mm-errinfo's stream modes on them, side by side in one
run, on one core, and prints the ratios and the targets of docs/PERFORMANCE.md
("CLI").

    cli_bench.py --bin build/src/cli/6mm-errinfo [--lines 1000000] [--rounds 5]
                 [--dir DIR] [--markdown]

The logs are drawn from a fixed seed, so every run times the same bytes.
app.log: most lines carry no JSON; about 28% carry a 6MM body in one of these
shapes: compact, with spaces, with a nested "data", with escaped strings,
logged inside a JSON string, an Agent API body, or cut off at the end of the
line. dense.log: 40% of the lines carry a body, most with extra members
(data with nested arrays and objects, escapes, unicode, long strings).
responses.jsonl: one complete body a line, for --response;
responses-extra.jsonl: every other body with those extra members.

Each mode is reported as a ratio to `grep -c code` over the same file, in
CPU time: the median of --rounds runs (user + system, from wait4), pinned to
CPU 0 (taskset) when it can be, interleaved, with the output to /dev/null.
A wall-time figure moves with the page-cache writeback of the previous
command's output, so it is shown but is not the yardstick. The JSON modes
also report the average bytes of a record (from one untimed run). The
targets (docs/PERFORMANCE.md): --annotate <= 2x, --annotate --json <= 3x,
--response --json <= 4x. Exit status: 0, or 1 when a target is missed (with
--check).
"""

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import time

# A Python baseline of the kind a user writes: regex + dict, one JSON object
# per body found.
PY_BASELINE = r'''
import json, re, sys
pat = re.compile(r'"code"\s*:\s*(-?\d+)')
msg = re.compile(r'"message"\s*:\s*"([^"\\]*)"')
out = sys.stdout
for n, line in enumerate(sys.stdin, 1):
    m = pat.search(line)
    if m and m.group(1) != "0":
        g = msg.search(line)
        out.write(json.dumps({"line": n, "code": int(m.group(1)),
                              "message": g.group(1) if g else None}) + "\n")
'''

CODES_REST = [1002, 1003, 1999, 2001, 3001, 3004, 3107, 5001, 5002, 5003]
CODES_AGENT = [6904, 6905]
MESSAGES = {1002: "Token expired", 1003: "Invalid token", 3004: "Timestamp outside of tolerance window",
            5003: "Rate limit triggered", 5001: "Internal server error", 3001: "Insufficient balance"}
PLAIN = [
    "INFO  http GET /api/v1/orders?symbol=BTCUSDT 200 12ms",
    "DEBUG order book snapshot depth=50 symbol=ETHUSDT seq=%d",
    "INFO  websocket heartbeat ok latency_ms=%d",
    "WARN  slow query orders_by_client took %d ms",
    "INFO  user session refreshed user=%d region=eu-west-1",
    "DEBUG cache hit key=ticker:%d ttl=30s",
]


def body(rng, code):
    m = MESSAGES.get(code, "Request failed")
    rid = "req-%08x" % rng.getrandbits(32)
    return code, m, rid


def log_line(rng, i):
    ts = "2026-11-24T10:%02d:%02d.%03dZ" % (i // 60000 % 60, i // 1000 % 60, i % 1000)
    r = rng.random()
    if r < 0.72:
        return ("%s %s" % (ts, rng.choice(PLAIN))).replace("%d", str(rng.randrange(1, 99999)))
    code, m, rid = body(rng, rng.choice(CODES_REST))
    shape = rng.randrange(7)
    if shape == 0:
        b = '{"code":%d,"message":"%s","requestId":"%s"}' % (code, m, rid)
    elif shape == 1:
        b = '{ "code": %d, "message": "%s", "requestId": "%s", "data": null }' % (code, m, rid)
    elif shape == 2:
        b = ('{"code":%d,"message":"%s","data":{"orderId":"%d","fills":[{"px":"1.5","qty":2}]},'
             '"requestId":"%s"}' % (code, m, rng.randrange(10**9), rid))
    elif shape == 3:
        b = '{"code":%d,"message":"%s \\"quoted\\" \\u00e9","requestId":"%s"}' % (code, m, rid)
    elif shape == 4:
        b = 'body="{\\"code\\":%d,\\"message\\":\\"%s\\"}"' % (code, m)
    elif shape == 5:
        b = '{"code":%d,"message":"quota","requestId":"%s"}' % (rng.choice(CODES_AGENT), rid)
    else:
        full = '{"code":%d,"message":"%s","requestId":"%s"}' % (code, m, rid)
        b = full[:rng.randrange(12, len(full) - 1)]
    return "%s ERROR api call failed %s" % (ts, b)


def response_line(rng):
    code, m, rid = body(rng, rng.choice(CODES_REST + CODES_AGENT))
    shape = rng.randrange(4)
    if shape == 0:
        return '{"code":%d,"message":"%s","requestId":"%s"}' % (code, m, rid)
    if shape == 1:
        return '{ "code": %d, "message": "%s", "requestId": "%s", "data": null }' % (code, m, rid)
    if shape == 2:
        return ('{"code":%d,"message":"%s","data":{"orderId":"%d","fills":[{"px":"1.5"}]},'
                '"requestId":"%s"}' % (code, m, rng.randrange(10**9), rid))
    return '{"code":%d,"message":"%s \\"q\\"","requestId":"%s"}' % (code, m, rid)


def extra_body(rng, code, m, rid):
    """A body with the extra members real servers add: data with nested
    arrays and objects, escapes, unicode, numbers of every form."""
    k = rng.randrange(4)
    if k == 0:
        data = ('{"orders":[{"id":"%d","fills":[[1.5,2],[1.25e-3,-4]],"tags":["a\\tb","c\\"d"]}],'
                '"next":null}' % rng.randrange(10**12))
    elif k == 1:
        data = '{"path":"C:\\\\tmp\\/x","note":"\\u00e9\\u4e2d \\ud83d\\ude00","n":-0.5e10}'
    elif k == 2:
        data = '[[[],[{}]],{"a":{"b":{"c":[true,false,null]}}}]'
    else:
        data = '"%s"' % ("x" * rng.randrange(20, 200))
    return ('{"code":%d,"message":"%s","data":%s,"requestId":"%s","ts":%d}'
            % (code, m, data, rid, 1700000000000 + rng.randrange(10**6)))


def dense_line(rng, i):
    """40% of the lines carry a body, most with extra members."""
    ts = "2026-11-24T10:%02d:%02d.%03dZ" % (i // 60000 % 60, i // 1000 % 60, i % 1000)
    if rng.random() >= 0.40:
        return ("%s %s" % (ts, rng.choice(PLAIN))).replace("%d", str(rng.randrange(1, 99999)))
    code, m, rid = body(rng, rng.choice(CODES_REST))
    if rng.random() < 0.7:
        b = extra_body(rng, code, m, rid)
    else:
        b = '{"code":%d,"message":"%s","requestId":"%s"}' % (code, m, rid)
    return "%s ERROR api call failed %s" % (ts, b)


def response_extra_line(rng, i):
    """--response input: every other body with extra members."""
    if i % 2:
        return response_line(rng)
    code, m, rid = body(rng, rng.choice(CODES_REST + CODES_AGENT))
    return extra_body(rng, code, m, rid)


# The log shapes: name -> the function that makes line i.
SHAPES = {
    "app": log_line,
    "dense": dense_line,
    "responses": lambda rng, i: response_line(rng),
    "responses-extra": response_extra_line,
}


def build(path, n, make):
    rng = random.Random(6)
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            f.write(make(rng, i) + "\n")


def measure(argv, stdin_path, out_path, rss_path):
    """CPU seconds, wall seconds and peak RSS (KiB) of one run. The output
    goes to /dev/null, as in `cmd > /dev/null`, so the figure is the tool's
    own work and not the file system's; out_path is a regular file, for grep
    only, which stops at the first match when its output is /dev/null. The
    peak RSS is what /usr/bin/time reports for the command alone (a child
    forked from this Python would count Python's pages)."""
    timer = ["/usr/bin/time", "-f", "%M", "-o", rss_path]
    with open(stdin_path, "rb") as fin, open(out_path or os.devnull, "wb") as fout:
        t0 = time.perf_counter()
        p = subprocess.Popen(timer + argv, stdin=fin, stdout=fout, stderr=subprocess.DEVNULL)
        # wait4 counts the command's CPU time too (time(1) waited for it),
        # to the microsecond.
        _, status, ru = os.wait4(p.pid, 0)
        t = time.perf_counter() - t0
    with open(rss_path, encoding="ascii") as f:
        kb = int(f.read().split()[-1])
    return ru.ru_utime + ru.ru_stime, t, kb, os.waitstatus_to_exitcode(status)


def record_bytes(argv, stdin_path, out_path):
    """The average size of a JSON record: one untimed run into a file."""
    with open(stdin_path, "rb") as fin, open(out_path, "wb") as fout:
        subprocess.run(argv, stdin=fin, stdout=fout, stderr=subprocess.DEVNULL, check=False)
    size = os.path.getsize(out_path)
    with open(out_path, "rb") as f:
        n = sum(1 for _ in f)
    return size / n if n else 0.0


# What each mode reads, and its target as a ratio to grep -c on the same
# input, in CPU time.
MODES = [
    ("--annotate", ["--annotate"], ("app", "dense"), 2.0),
    ("--annotate --json", ["--annotate", "--json"], ("app", "dense"), 3.0),
    ("--response", ["--response", "-"], ("responses", "responses-extra"), None),
    ("--response --json", ["--response", "-", "--json"], ("responses", "responses-extra"), 4.0),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True)
    ap.add_argument("--lines", type=int, default=1000000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--dir", default=os.environ.get("TMPDIR", "/tmp") + "/sixmm-cli-bench")
    ap.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    ap.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    a = ap.parse_args()

    os.makedirs(a.dir, exist_ok=True)
    files = {}
    for shape, make in SHAPES.items():
        files[shape] = os.path.join(a.dir, shape + (".jsonl" if shape.startswith("resp") else ".log"))
        build(files[shape], a.lines, make)
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    b = os.path.abspath(a.bin)
    cmds = [("grep -c code", shape, ["grep", "-c", "code"]) for shape in SHAPES]
    for name, argv, shapes, _ in MODES:
        cmds += [(name, shape, [b] + argv) for shape in shapes]
    cmds.append(("python baseline", "app", [sys.executable, "-c", PY_BASELINE]))
    jq = shutil.which("jq")
    if jq:
        cmds.append(("jq", "app", [jq, "-R", "-c", "fromjson? | select(.code? // 0 != 0)"]))
    times = {(n, sh): [] for n, sh, _ in cmds}
    walls = {(n, sh): [] for n, sh, _ in cmds}
    rss = {(n, sh): 0 for n, sh, _ in cmds}
    for _ in range(a.rounds):
        for name, shape, argv in cmds:
            out = os.path.join(a.dir, "out") if argv[0] == "grep" else None
            t, w, kb, _rc = measure(pin + argv, files[shape], out, os.path.join(a.dir, "rss"))
            times[(name, shape)].append(t)
            walls[(name, shape)].append(w)
            rss[(name, shape)] = max(rss[(name, shape)], kb)
    med = {k: statistics.median(v) for k, v in times.items()}
    wall = {k: statistics.median(v) for k, v in walls.items()}
    rows, targets = [], []
    for name, shape, argv in cmds:
        ratio = med[(name, shape)] / med[("grep -c code", shape)]
        size = (record_bytes(argv, files[shape], os.path.join(a.dir, "out"))
                if "--json" in argv else None)
        rows.append((name, shape, med[(name, shape)], wall[(name, shape)], ratio, size,
                     rss[(name, shape)]))
        target = next((t for n, _, _, t in MODES if n == name), None)
        if target:
            targets.append((f"{name} on {shape} <= {target:g}x grep -c", ratio <= target,
                            "%.2fx" % ratio))
    print(f"# {a.lines} lines a file; median of {a.rounds} rounds"
          f"{', pinned to CPU 0' if pin else ''}; CPU time (user + system); the ratio is to "
          f"grep -c on the same file")
    if a.markdown:
        print("| command | log | CPU s | wall s | vs grep -c | bytes/record | peak RSS KiB |")
        print("|---|---|---:|---:|---:|---:|---:|")
        for n, sh, t, w, ratio, size, kb in rows:
            print(f"| {n} | {sh} | {t:.3f} | {w:.3f} | {ratio:.2f}× | "
                  f"{'%.0f' % size if size else '-'} | {kb} |")
        print()
        print("| target | measured | met |")
        print("|---|---|---|")
        for t, ok, v in targets:
            print(f"| {t} | {v} | {'yes' if ok else 'no'} |")
    else:
        print("%-18s %-16s %8s %8s %9s %8s %9s" % ("command", "log", "CPU s", "wall s", "vs grep",
                                                  "B/rec", "peak KiB"))
        for n, sh, t, w, ratio, size, kb in rows:
            print("%-18s %-16s %8.3f %8.3f %8.2fx %8s %9d"
                  % (n, sh, t, w, ratio, "%.0f" % size if size else "-", kb))
        for t, ok, v in targets:
            print(f"target {t}: {v} {'ok' if ok else 'MISSED'}")
    return 1 if a.check and not all(ok for _, ok, _ in targets) else 0


if __name__ == "__main__":
    sys.exit(main())
