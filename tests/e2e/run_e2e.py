#!/usr/bin/env python3
"""End-to-end: examples/place-order against the fake 6MM server.

    run_e2e.py --client PATH --spec spec.json --workdir DIR [--orders N] [--threads T] [--seed S]

Starts tests/e2e/fake_6mm.py on a free loopback port, runs the client for N
orders, stops the server and checks its ledger: no clientOrderId executed
twice, every order resolved (executed, rejected or escalated, one line
each), what the client calls executed is in the ledger and what it calls
rejected is not, and the faults really happened. Exits 0 when all hold. With --wrong-secret the client signs with another
secret, and every order must be refused (none executed, none resent blindly).
"""

import argparse
import collections
import os
import signal
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
KEY, SECRET = "e2e-key", "e2e-secret"
OUTCOMES = ("executed", "rejected", "escalated")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--client", required=True)
    ap.add_argument("--spec", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--orders", type=int, default=300)
    ap.add_argument("--threads", type=int, default=16)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--wrong-secret", action="store_true",
                    help="the client signs with another secret: every order must be "
                         "rejected and nothing executed")
    args = ap.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    ledger = os.path.join(args.workdir, "ledger.txt")
    open(ledger, "w").close()
    server = subprocess.Popen(
        [sys.executable, os.path.join(HERE, "fake_6mm.py"), "--spec", args.spec,
         "--ledger", ledger, "--key", KEY, "--secret", SECRET, "--seed", str(args.seed),
         "--client-timeout-ms", "2000"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = server.stdout.readline()
        if not first.strip().isdigit():
            server.kill()
            print("e2e: the fake server did not start:", server.communicate()[1].strip(),
                  file=sys.stderr)
            return 1
        port = int(first)
        client = subprocess.run(
            [args.client, "--url", f"http://127.0.0.1:{port}", "--key", KEY,
             "--secret", SECRET + "-wrong" if args.wrong_secret else SECRET,
             "--orders", str(args.orders), "--threads", str(args.threads),
             "--prefix", f"e2e{args.seed}", "--timeout-ms", "2000"],
            capture_output=True, text=True, timeout=600)
    finally:
        server.send_signal(signal.SIGTERM)
        _, faults = server.communicate(timeout=30)
    problems = []
    if client.returncode != 0:
        problems.append(f"the client exited {client.returncode}: {client.stderr.strip()}")
    said = {}
    for line in client.stdout.splitlines():
        cid, outcome, _ = (line.split(" ", 2) + [""])[:3]
        if cid in said or outcome not in OUTCOMES:
            problems.append(f"bad or repeated line: {line}")
        said[cid] = outcome
    if len(said) != args.orders:
        problems.append(f"{len(said)} orders reported, {args.orders} placed")
    with open(ledger, encoding="ascii") as f:
        executions = collections.Counter(f.read().split())
    twice = sorted(c for c, n in executions.items() if n > 1)
    if twice:
        problems.append(f"executed more than once: {' '.join(twice)}")
    for cid, outcome in said.items():
        if outcome == "executed" and cid not in executions:
            problems.append(f"{cid}: the client says executed, the ledger has no execution")
        if outcome == "rejected" and cid in executions:
            problems.append(f"{cid}: the client says rejected, the ledger has an execution")
    counts = collections.Counter(said.values())
    print(f"orders {args.orders}: " + ", ".join(f"{o} {counts[o]}" for o in OUTCOMES)
          + f"; ledger executions {sum(executions.values())}; server faults {faults.strip()}")
    unknown = ("drop_before", "delay", "error_after", "lost_after", "hang_after")
    if args.wrong_secret:
        if executions or counts["rejected"] != args.orders - counts["escalated"]:
            problems.append("with a wrong secret, orders executed or were not rejected")
        if '"bad_signature"' not in faults:
            problems.append("the server never refused a signature")
    elif not any(f'"{u}"' in faults for u in unknown):
        problems.append("the server injected no fault that leaves the outcome unknown")
    for p in problems:
        print("e2e:", p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
