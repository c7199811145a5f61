#!/usr/bin/env python3
"""End-to-end: examples/place-order against the fake 6MM server.

    run_e2e.py --client PATH --spec spec.json --workdir DIR [--orders N] [--threads T]
               [--seed S] [--crash K] [--wrong-secret] [server options...]

Starts tests/e2e/fake_6mm.py on a free loopback port (every option this
script does not know goes to the server), runs the client for N orders,
stops the server and checks its ledger and counts:
  - no clientOrderId executed twice;
  - every order has exactly one line `CLIENT_ORDER_ID OUTCOME [STATUS] REASON`,
    with OUTCOME accepted, refused, expired or escalated;
  - an accepted order is in the ledger, a refused or expired one is not, and
    a status the client reports is the ledger's (or NEW, the place answer's);
  - the client's transport never sent an order request twice by itself and
    never reused a connection for one (the server counts both);
  - the faults that leave an outcome unknown really happened.
With --crash K the client runs with --journal and is killed with SIGKILL at
a random moment K times, then runs to the end; the last run's lines are
checked, and a ledger summary is printed. With --wrong-secret the client
signs with another secret: nothing may execute, and no order is accepted.
Exits 0 when all hold.
"""

import argparse
import collections
import json
import os
import random
import re
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
KEY, SECRET = "e2e-key", "e2e-secret"
OUTCOMES = ("accepted", "refused", "expired", "escalated")
UNKNOWN_FAULTS = ("drop_before", "delay", "error_after", "lost_after", "hang_after")
CLIENT_TIMEOUT_MS = 2000


def start_server(args, extra, ledger):
    cmd = [sys.executable, os.path.join(HERE, "fake_6mm.py"), "--spec", args.spec,
           "--ledger", ledger, "--key", KEY, "--secret", SECRET, "--seed", str(args.seed),
           "--client-timeout-ms", str(CLIENT_TIMEOUT_MS)] + extra
    server = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = server.stdout.readline()
    if not first.strip().isdigit():
        server.kill()
        raise SystemExit("e2e: the fake server did not start: " + server.communicate()[1])
    return server, int(first)


def client_cmd(args, port, journal):
    cmd = [args.client, "--url", f"http://127.0.0.1:{port}", "--key", KEY,
           "--secret", SECRET + "-wrong" if args.wrong_secret else SECRET,
           "--orders", str(args.orders), "--threads", str(args.threads),
           "--prefix", f"e2e{args.seed}", "--timeout-ms", str(CLIENT_TIMEOUT_MS)]
    if journal:
        cmd += ["--journal", journal]
    if args.token:
        cmd.append("--token")
    return cmd


def crash_runs(args, port, journal, log):
    """Runs the client K times, each killed at a random moment; returns the
    moments (s after the start)."""
    rng = random.Random(args.seed)
    kills = []
    for _ in range(args.crash):
        with open(log, "a", encoding="utf-8") as err:
            run = subprocess.Popen(client_cmd(args, port, journal), stdout=subprocess.DEVNULL,
                                   stderr=err)
            moment = rng.uniform(0.2, args.crash_max_s)
            try:
                run.wait(timeout=moment)
                kills.append(None)   # it finished before its moment
            except subprocess.TimeoutExpired:
                run.send_signal(signal.SIGKILL)
                run.wait()
                kills.append(round(moment, 2))
    return kills


def parse_lines(stdout, statuses, problems):
    said = {}
    for line in stdout.splitlines():
        words = line.split(" ")
        cid, outcome = (words + ["", ""])[:2]
        status = words[2] if len(words) > 2 and words[2] in statuses else None
        if cid in said or outcome not in OUTCOMES or len(words) < 3:
            problems.append(f"bad or repeated line: {line}")
        said[cid] = (outcome, status)
    return said


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--client", required=True)
    ap.add_argument("--spec", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--orders", type=int, default=300)
    ap.add_argument("--threads", type=int, default=16)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--token", action="store_true", help="the client logs in for a token")
    ap.add_argument("--crash", type=int, default=0,
                    help="kill the client (with --journal) this many times first")
    ap.add_argument("--crash-max-s", type=float, default=6.0)
    ap.add_argument("--wrong-secret", action="store_true",
                    help="the client signs with another secret: nothing may execute")
    args, extra = ap.parse_known_args()
    with open(args.spec, encoding="utf-8") as f:
        statuses = set(json.load(f)["statuses"])
    os.makedirs(args.workdir, exist_ok=True)
    ledger = os.path.join(args.workdir, "ledger.txt")
    journal = os.path.join(args.workdir, "journal.db") if args.crash else None
    log = os.path.join(args.workdir, "client.log")
    for stale in (ledger, log) + ((journal, journal + "-wal", journal + "-shm")
                                  if journal else ()):
        if os.path.exists(stale):
            os.remove(stale)
    open(ledger, "w").close()
    server, port = start_server(args, extra, ledger)
    started = time.monotonic()
    kills = []
    try:
        if args.crash:
            kills = crash_runs(args, port, journal, log)
        with open(log, "a", encoding="utf-8") as err:
            client = subprocess.run(client_cmd(args, port, journal), stdout=subprocess.PIPE,
                                    stderr=err, text=True, timeout=600)
    finally:
        server.send_signal(signal.SIGTERM)
        _, counts_text = server.communicate(timeout=30)
    elapsed = time.monotonic() - started
    try:
        counts = json.loads(counts_text.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise SystemExit("e2e: the fake server printed no counts: " + counts_text)
    problems = []
    if client.returncode != 0:
        with open(log, encoding="utf-8") as f:
            tail = f.read()[-2000:]
        problems.append(f"the client exited {client.returncode}: {tail}")
    said = parse_lines(client.stdout, statuses, problems)
    if len(said) != args.orders:
        problems.append(f"{len(said)} orders reported, {args.orders} placed")
    executions = collections.Counter()
    ledger_status = {}
    with open(ledger, encoding="ascii") as f:
        for line in f:
            cid, status = line.split()
            executions[cid] += 1
            ledger_status[cid] = status
    twice = sorted(c for c, n in executions.items() if n > 1)
    if twice:
        problems.append(f"executed more than once: {' '.join(twice)}")
    for cid, (outcome, status) in sorted(said.items()):
        if outcome == "accepted" and cid not in executions:
            problems.append(f"{cid}: the client says accepted, the ledger has no execution")
        if outcome in ("refused", "expired") and cid in executions:
            problems.append(f"{cid}: the client says {outcome}, the ledger has an execution")
        if status and cid in ledger_status and status not in (ledger_status[cid], "NEW"):
            problems.append(f"{cid}: the client says {status}, the ledger {ledger_status[cid]}")
    for what in ("reused_connection", "transport_replay"):
        if counts.get(what):
            problems.append(f"the client's transport: {what} {counts[what]} (must be 0)")
    outcomes = collections.Counter(o for o, _ in said.values())
    reported = collections.Counter(st for _, st in said.values() if st)
    in_ledger = collections.Counter(ledger_status.values())
    print(f"orders {args.orders}: " + ", ".join(f"{o} {outcomes[o]}" for o in OUTCOMES)
          + f"; ledger: {sum(executions.values())} executions of {len(executions)} ids, "
          f"{len(twice)} executed twice; {elapsed:.0f} s")
    print("statuses reported: " + json.dumps(dict(sorted(reported.items())))
          + "; in the ledger: " + json.dumps(dict(sorted(in_ledger.items()))))
    if args.crash:
        with open(log, encoding="utf-8") as f:
            recovered = re.findall(r"the journal holds (\d+) unfinished intents", f.read())
        print(f"crash test: {len(kills)} runs killed with SIGKILL at "
              + ", ".join("finished" if k is None else f"{k} s" for k in kills)
              + ", then one run to the end; unfinished intents found by the reruns: "
              + (", ".join(recovered) or "none"))
    print("server counts: " + json.dumps(counts, sort_keys=True))
    if args.wrong_secret:
        if executions or outcomes["accepted"]:
            problems.append("with a wrong secret, orders executed or were accepted")
        if not counts.get("bad_signature"):
            problems.append("the server never refused a signature")
    elif not any(counts.get(u) for u in UNKNOWN_FAULTS) and "--faults" not in extra:
        problems.append("the server injected no fault that leaves the outcome unknown")
    if args.crash and not any(k is not None for k in kills):
        problems.append("no run was killed: raise --orders or lower --crash-max-s")
    for p in problems:
        print("e2e:", p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
