#!/usr/bin/env python3
"""docs/ADVISOR.md's section "The retry loop" restates the spec's policy
numbers in prose (the budget, the window, the lag, the query limits, the
Agent quota, the order machine's caps, lifetime, sync limit and drift). Each sentence that does must still say what spec/errors.yaml
says: this test builds every phrase from the spec and looks for it in the
section, so a change of a number in the spec fails here until the page
follows.

    check_advisor_numbers.py SPEC ADVISOR_MD
"""
import math
import sys

import yaml


def main(spec_path, page_path):
    with open(spec_path, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    with open(page_path, encoding="utf-8") as f:
        page = f.read()
    start = page.find("\n## The retry loop\n")
    end = page.find("\n## ", start + 1)
    section = " ".join(page[start:end if end > 0 else None].split())
    pol = {p["domain"]: p for p in spec["policy"]}
    rest, agent, widget = pol["rest"], pol["agent"], pol["widget"]
    b, r, q = rest["budget"], rest["reconcile"], agent["quota"]
    window, lag = r["window"]["ms"], r["lag"]["ms"]
    phrases = [
        f"a bucket of {b['max_tokens']} tokens",
        f"refills by {b['token_ratio']:g}",
        f"at most {math.ceil(b['max_tokens'] / 2)} resends in total",
        f"by at most {math.ceil(b['max_tokens'] / 2)}",
        f"±{window // 1000} s of T",
        f"T + {window // 1000} s",
        f"signed_at_ms + {window} + {lag}",
        f"plus {lag // 1000} s for the order",
        f"{r['queries']['count']} status queries",
        f"{widget['reconcile']['queries']['count']} for the widget",
        f"{q['rate_per_s']} requests/s, a burst of {q['burst']}, at most {q['concurrency']} at once",
    ]
    m = spec["machine"]
    phrases += [
        f"At most {m['sends']['count']} sends and {m['queries']['count']} status queries per intent",
        f"the spec's {m['lifetime']['ms'] // 1000} s when 0",
        f"grown past {m['sync_limit']['ms']} ms",
        f"the spec's {m['drift']['ppm']} ppm",
    ]
    # The same budget everywhere is what the page says ("a client").
    same = all((p["budget"]["max_tokens"], p["budget"]["token_ratio"]) ==
               (b["max_tokens"], b["token_ratio"]) for p in pol.values())
    problems = [f"no phrase {p!r}" for p in phrases if p not in section]
    if not same:
        problems.append("the domains' budgets differ; the page describes one")
    if start < 0:
        problems = ["no section \"## The retry loop\""]
    for p in problems:
        print(f"{page_path}: {p} (spec/errors.yaml policy)")
    print(f"{len(phrases)} phrases checked, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
