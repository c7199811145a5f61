#!/usr/bin/python3
"""Drift test: the tables of an upstream page and of the generated page must
be identical, row by row and cell by cell (Markdown source, trimmed).

    check_drift.py UPSTREAM GENERATED [--count N | --header]

--count N (default 2): the first N tables of both pages, in order.
--header: the upstream page's single table against the generated table that
          has the same header (e.g. the Agent API table).
"""
import argparse
import sys

import docslib


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("upstream")
    ap.add_argument("generated")
    ap.add_argument("--count", type=int, default=2)
    ap.add_argument("--header", action="store_true")
    a = ap.parse_args()
    with open(a.upstream, encoding="utf-8") as f:
        up = docslib.md_tables(docslib.strip_source_comment(f.read()))
    with open(a.generated, encoding="utf-8") as f:
        gen = docslib.md_tables(f.read())
    problems = []
    if a.header:
        want = up[0][1]
        match = [t for t in gen if t[1][0] == want[0]]
        if len(match) != 1:
            problems.append(f"{len(match)} generated tables have the header {want[0]!r}; want 1")
        else:
            problems += docslib.compare_tables(f"table at line {match[0][0]}", want, match[0][1])
        pairs = []
    else:
        if len(up) < a.count or len(gen) < a.count:
            problems.append(f"want {a.count} tables: upstream has {len(up)}, generated {len(gen)}")
        pairs = list(zip(up, gen))[:a.count]
    for n, ((uline, urows), (gline, grows)) in enumerate(pairs, 1):
        problems += docslib.compare_tables(
            f"table {n} (upstream line {uline}, generated line {gline})", urows, grows)
    for p in problems:
        print(f"{a.generated}: {p}")
    rows = sum(len(u[1]) for u, _ in pairs) if not a.header else len(up[0][1])
    print(f"drift: {rows} upstream rows compared, {len(problems)} differences")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
