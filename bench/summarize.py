#!/usr/bin/env python3
"""Median of several `bench --json` runs, as a Markdown table.

usage: python3 bench/summarize.py RUN.json...

Each run's figures are already medians of interleaved rounds; this takes the
median over runs of every figure and ratio, which steadies them on a shared,
noisy machine.
"""

import json
import statistics
import sys


def main(paths):
    runs = [json.load(open(p, encoding="utf-8")) for p in paths]
    if not runs:
        print(__doc__, file=sys.stderr)
        return 2
    rows = {}
    for run in runs:
        for r in run["results"]:
            rows.setdefault((r["op"], r["impl"]), []).append(r)
    med = lambda xs: statistics.median(xs) if xs else None
    first = runs[0]
    print(f"{len(runs)} runs; compiler gcc {first['compiler']}; flags `{first['cflags']}`; "
          f"{first['rounds']} rounds per figure, {first['clock']}\n")
    print("| op | implementation | ns/op | × floor | speed-up vs naive | speed-up vs typical |")
    print("|---|---|---:|---:|---:|---:|")
    for (op, impl), rs in rows.items():
        ns = med([r["ns_per_op"] for r in rs])
        xf = med([r["x_floor"] for r in rs])
        vn = med([r["speedup_vs_naive"] for r in rs if "speedup_vs_naive" in r])
        vt = med([r["speedup_vs_typical"] for r in rs if "speedup_vs_typical" in r])
        print(f"| {op} | {impl} | {ns:.2f} | {xf:.2f} | "
              f"{'' if vn is None else f'{vn:.1f}×'} | {'' if vt is None else f'{vt:.1f}×'} |")
    print("\n| budget check | measured (median of runs) | limit | passed in runs |")
    print("|---|---:|---:|---:|")
    checks = {}
    for run in runs:
        for c in run["budget"]:
            checks.setdefault(c["check"], []).append(c)
    for name, cs in checks.items():
        v = med([c["value"] for c in cs])
        passed = sum(1 for c in cs if c["pass"])
        print(f"| {name} | {v:.2f} | {cs[0]['limit']:.1f} | {passed}/{len(cs)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
