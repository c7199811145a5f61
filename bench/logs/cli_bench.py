#!/usr/bin/python3
"""The CLI's log bench: builds realistic logs, then times grep -c, jq, a short
Python baseline and 6mm-errinfo's stream modes on them, side by side in one
run, on one core, and prints the ratios and the targets of docs/PERFORMANCE.md
("CLI").

    cli_bench.py --bin build/src/cli/6mm-errinfo [--lines 1000000] [--rounds 5]
                 [--dir DIR] [--markdown]

The logs are drawn from a fixed seed, so every run times the same bytes.
app.log: most lines carry no JSON; the rest carry a 6MM body in one of these
shapes: compact, with spaces, with a nested "data", with escaped strings,
logged inside a JSON string, an Agent API body, or cut off at the end of the
line. responses.jsonl: one complete body a line, the same shapes but the cut
and the logged-in-a-string ones, for --response.

Each command runs --rounds times, interleaved, pinned to CPU 0 (taskset) when
it can be. The figure is the median CPU time (user + system, from wait4), so that time spent descheduled on a shared machine does not
count; the median wall time is shown beside it. The peak RSS is the largest
seen. Exit status: 0, or 1 when a target is missed (with --check).
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
    log = os.path.join(a.dir, "app.log")
    resp = os.path.join(a.dir, "responses.jsonl")
    build(log, a.lines, log_line)
    build(resp, a.lines, lambda rng, i: response_line(rng))
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    py = sys.executable
    jq = shutil.which("jq")
    b = os.path.abspath(a.bin)
    cmds = [
        ("grep -c code", log, ["grep", "-c", "code"]),
        ("annotate text", log, [b, "--annotate"]),
        ("annotate json", log, [b, "--annotate", "--json"]),
        ("python baseline", log, [py, "-c", PY_BASELINE]),
        ("response text", resp, [b, "--response", "-"]),
        ("response json", resp, [b, "--response", "-", "--json"]),
    ]
    if jq:
        cmds.append(("jq on log", log, [jq, "-R", "-c", "fromjson? | select(.code? // 0 != 0)"]))
    times = {name: [] for name, _, _ in cmds}
    walls = {name: [] for name, _, _ in cmds}
    rss = {name: 0 for name, _, _ in cmds}
    for _ in range(a.rounds):
        for name, inp, argv in cmds:
            out = os.path.join(a.dir, "out") if argv[0] == "grep" else None
            t, w, kb, _rc = measure(pin + argv, inp, out, os.path.join(a.dir, "rss"))
            times[name].append(t)
            walls[name].append(w)
            rss[name] = max(rss[name], kb)
    med = {k: statistics.median(v) for k, v in times.items()}
    wall = {k: statistics.median(v) for k, v in walls.items()}
    grep = med["grep -c code"]
    size = os.path.getsize(log)
    rows = []
    for name, inp, _ in cmds:
        lines_s = a.lines / med[name]
        rows.append((name, med[name], wall[name], med[name] / grep, lines_s / 1e6, rss[name]))
    targets = [
        ("--annotate text <= 2x grep -c", med["annotate text"] / grep <= 2.0,
         "%.2fx" % (med["annotate text"] / grep)),
        ("--annotate --json <= 3x grep -c", med["annotate json"] / grep <= 3.0,
         "%.2fx" % (med["annotate json"] / grep)),
        ("--response text >= 3 M lines/s", a.lines / med["response text"] >= 3e6,
         "%.2f M/s" % (a.lines / med["response text"] / 1e6)),
        ("--response --json >= 3 M lines/s", a.lines / med["response json"] >= 3e6,
         "%.2f M/s" % (a.lines / med["response json"] / 1e6)),
    ]
    print(f"# {a.lines} lines a file; app.log {size / 1e6:.1f} MB; median of {a.rounds} rounds"
          f"{', pinned to CPU 0' if pin else ''}")
    if a.markdown:
        print("| command | CPU s | wall s | vs grep -c | M lines/s | peak RSS KiB |")
        print("|---|---:|---:|---:|---:|---:|")
        for r in rows:
            print("| %s | %.3f | %.3f | %.2f× | %.2f | %d |" % r)
        print()
        print("| target | measured | met |")
        print("|---|---|---|")
        for t, ok, v in targets:
            print(f"| {t} | {v} | {'yes' if ok else 'no'} |")
    else:
        print("%-16s %8s %8s %9s %10s %10s" % ("command", "CPU s", "wall s", "vs grep", "M lines/s",
                                               "peak KiB"))
        for r in rows:
            print("%-16s %8.3f %8.3f %8.2fx %10.2f %10d" % r)
        for t, ok, v in targets:
            print(f"target {t}: {v} {'ok' if ok else 'MISSED'}")
    return 1 if a.check and not all(ok for _, ok, _ in targets) else 0


if __name__ == "__main__":
    sys.exit(main())
