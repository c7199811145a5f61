#!/usr/bin/env python3
"""Write a large JSON Lines stream of 6MM response bodies, for measuring
`6mm-errinfo --response` (README, Performance).

usage: python3 bench/make_responses.py [LINES] > responses.jsonl

A fixed seed and a fixed mix: 30% success bodies with data, the rest error
bodies (documented codes and messages, a range member, an unknown code in a
known block, a message that overrides its code).
"""

import random
import sys

BODIES = [
    (30, '{"code":0,"message":"success","data":{"orderId":"%d","clientOrderId":"c-%d","status":"NEW"}}'),
    (10, '{"code":1003,"message":"Invalid token","data":null}'),
    (8, '{"code":1002,"message":"Token expired","data":null}'),
    (10, '{"code":3107,"message":"Order quantity too small","data":null}'),
    (10, '{"code":5002,"message":"Too many requests","data":null}'),
    (8, '{"code":3004,"message":"Timestamp outside of tolerance window","data":null}'),
    (8, '{"code":5001,"message":"Internal error","data":null}'),
    (6, '{"code":1999,"message":"Something new","data":null}'),
    (10, '{"code":2001,"message":"Invalid parameter: price","data":{"field":"price"}}'),
]


def main(argv):
    lines = int(argv[0]) if argv else 1000000
    rnd = random.Random(7)
    weights = [w for w, _ in BODIES]
    bodies = [b for _, b in BODIES]
    out = sys.stdout
    for i in range(lines):
        b = rnd.choices(bodies, weights)[0]
        out.write((b % (i, i) if "%d" in b else b) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
