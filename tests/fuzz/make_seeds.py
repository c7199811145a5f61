#!/usr/bin/env python3
"""Write the fuzz seed corpora, drawn from spec/errors.yaml.

    make_seeds.py --spec spec/errors.yaml --out DIR

DIR/<harness>/ gets one file per seed (named by its SHA-1, so reruns are
idempotent) for the harnesses in tests/fuzz: lookup, parse, classify,
response, annotate and retry. Only the YAML is read (no validation: the build has
already validated the spec by the time this runs).
"""

import argparse
import hashlib
import json
import os
import struct

import yaml


def be64(v):
    return struct.pack(">q", v)


def seeds_from(spec):
    out = {k: set() for k in ("lookup", "parse", "classify", "response", "annotate", "retry",
                              "jsonscan", "utf8")}
    domains = spec["domains"]
    for di, dom in enumerate(domains):
        d = bytes([di])
        codes = []
        for ent in dom["entries"]:
            name = ent["name"].encode()
            out["lookup"].update({d + name, d + name.lower(), d + b"SIXMM_E_" + name,
                                  d + b"sixmm_e_" + name.lower()})
            keys = []
            if "code" in ent:
                codes.append(ent["code"])
            elif "range" in ent:
                lo, hi = ent["range"]
                codes.extend([lo - 1, lo, (lo + hi) // 2, hi, hi + 1])
            else:
                k = ent.get("message") or ent.get("id")
                keys.append(k)
                raw = k.encode()
                out["lookup"].update({d + raw, d + raw.upper(), d + raw.lower()})
            for k in keys:
                msg = k.encode()
                for http in (0, 200, ent.get("http", 400)):
                    out["classify"].add(classify_seed(di, http, None, msg, 1, 7))
            for c in ent.get("codes", []):
                for k in keys:
                    out["classify"].add(classify_seed(di, ent.get("http", 200), c, k.encode(), 1, 9))
                    body = {"code": c, "message": k, "data": None, "requestId": "req-%d" % c}
                    out["response"].add(json.dumps(body).encode())
        for blk in dom.get("blocks", []):
            codes.extend([blk["first"], (blk["first"] + blk["last"]) // 2, blk["last"],
                          blk["last"] + 1])
        for c in codes:
            out["lookup"].add(d + be64(c))
            for text in (str(c), " %d\n" % c, "+%d" % c, "-%d" % c, "%d\t" % c, "000%d" % c):
                out["parse"].add(d + text.encode())
            for http in (0, 200, 400, 401, 429, 500, 503):
                for attempt in (1, 2, 9):
                    out["classify"].add(classify_seed(di, http, c, b"", attempt, 0x12345678))
            if di == 0:
                body = {"code": c, "message": "", "data": None, "requestId": "r-%d" % c}
                out["response"].add(json.dumps(body).encode())
                out["response"].add(json.dumps(body, separators=(",", ":")).encode() + b"\n" +
                                    json.dumps({"code": 0, "message": "success", "data": {}}).encode() + b"\n")
                out["annotate"].add(("2026-01-01T00:00:00Z ERROR order rejected: %s\n"
                                     % json.dumps(body, separators=(",", ":"))).encode())
                out["annotate"].add(('INFO ok\nWARN "code":%d retrying\n' % c).encode())
    for text in ("9223372036854775807", "-9223372036854775808", "9223372036854775808",
                 "-9223372036854775809", "", " ", "+", "-", "12a", "0x10", "1e3", "١٢٣"):
        out["parse"].add(b"\x00" + text.encode())
    out["response"].update({b"", b"{", b"[]", b"null", b'{"code":"1002"}', b'{"code":1e400}',
                            b'{"code":-9223372036854775809}', b'{"message":"\xff\xfe"}',
                            b'{"code":1002,"message":"a\\u0000b"}'})
    out["annotate"].update({b"", b"\n\n", b"no json here\n", b'"code":', b'{"code":1002',
                            b"\x00\x01\x02 \"code\":3107\r\n"})
    out["retry"] = retry_seeds(spec)
    # The scanner's corpus: one line each, and the corners of RFC 8259.
    out["jsonscan"] = {line for s in out["response"] for line in s.split(b"\n") if line}
    out["jsonscan"].update({b'{"message":"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t"}',
                            b'{"message":"\\u00e9\\ud83d\\ude00","requestId":"\\u0000"}',
                            b'{"message":"\\ud83d"}', b'{"message":"\\udc00"}',
                            b'{"code":-0,"a":[1.5,-0.0,true,false,null,{}]}', b'{"code":01}',
                            b'{"code":"1003"}', b'{"code":" 1003 "}', b'{"code":1,"code":2}',
                            b' { "code" : 1003 } ', b'{"a":"\\x"}', b'{"a":1,}', b"{'a':1}",
                            b'{"\\u0063ode":1}', b'{"code":123456789012345678}',
                            b'{"code":1234567890123456789}'})
    out["utf8"] = {b"", b"plain ascii text, longer than a word", "caf\u00e9 \u4e2d\u6587 \U0001F600".encode(),
                   b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe0\x80\x80",
                   b"abcdefg\x00hijklmno", b"abcdefghijklmno\xff", b"\xe2\x82"}
    # The CLI harnesses read their options from a first byte
    # (fuzz_cli_common.h): text, --json, and --http 500 --idempotent --lang zh.
    for k in ("response", "annotate"):
        out[k] = {cfg + s for s in out[k] for cfg in (b"\x00", b"\x01", b"\xa6")}
    out["intent_decode"] = intent_decode_seeds()
    return out


def retry_seeds(spec):
    """fuzz_retry programs: each domain's quota (rate 0) and a few custom
    throttles, over a mix of acquires, releases, feedback, budget calls,
    reconcile steps and clock advances."""
    programs = [
        bytes([0, 0, 2, 1, 0, 1, 0, 5, 200, 0, 3, 1, 1, 0]),  # acquire, release, advance
        bytes([0, 3, 3, 0, 3, 0, 0, 4, 2, 0, 5, 0, 80, 0, 0, 2, 6, 9]),  # feedback, budget
        bytes([4, 1, 0, 0, 4, 0, 0, 0, 5, 255, 255, 0, 4, 0, 0, 16]),  # reconcile: none, later
        bytes([3, 0, 1, 0, 4, 2, 5, 1, 4, 3, 7, 0x81]),  # pending, failed
        bytes([3, 0, 1, 0, 3, 0, 1, 0, 3, 0, 1, 0, 3, 0, 1, 0, 3, 0, 1, 0, 3, 0, 1, 0]),
    ]
    out = set()
    for di, _ in enumerate(spec["domains"]):
        for p in programs:
            out.add(bytes([di, 0, 0, 0]) + p)
            out.add(bytes([di, 10, 5, 3]) + p * 3)
            out.add(bytes([di, 255, 1, 255]) + p * 5)
    out.add(b"\xf7\x00\x00\x00" + programs[2])
    return out


def intent_decode_seeds():
    """fuzz_intent_decode: programs (odd first byte: kind, domain, lifetime)
    that drive a real intent and then edit its record, and a few raw
    records (even first byte) that are torn or foreign."""
    steps = [bytes([0x02, 0x03, 0x21, 0x02]),         # success, query found NEW
             bytes([0x00, 0x00, 0x20, 0x40, 0x00]),   # timeout, queries, none
             bytes([0x0a, 0x00, 0x00, 0x02, 0xe2]),   # 5003, not found, proofs
             bytes([0x01, 0x02]),                     # not sent, success
             bytes([0x1a, 0x63, 0x83, 0x43, 0x02])]   # 3001/3005, statuses
    out = {b"\x00", b"\x00SXI\x01", b"\x00" + b"SXI\x01V" + bytes(81), b"\x02" + bytes(90)}
    for first in (0x01, 0x05, 0x09, 0x0d, 0x03, 0x31):
        for st in steps:
            out.add(bytes([first]) + st)
            out.add(bytes([first]) + st * 3 + bytes([5, 7, 9, 0x7f]))
            out.add(bytes([first]) + st + bytes([20, 0xff, 2]))
    return out


def classify_seed(domain, http, code, msg, attempt, rnd):
    flags = (1 if code is not None else 0) | (2 if attempt == 9 else 0)
    return (bytes([domain]) + struct.pack(">H", http) + bytes([flags]) +
            be64(code or 0) + bytes([attempt]) + struct.pack(">I", rnd) + msg)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--spec", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--stamp")
    args = ap.parse_args()
    with open(args.spec, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    for harness, seeds in sorted(seeds_from(spec).items()):
        d = os.path.join(args.out, harness)
        os.makedirs(d, exist_ok=True)
        for s in sorted(seeds):
            path = os.path.join(d, hashlib.sha1(s).hexdigest())
            if not os.path.exists(path):
                with open(path, "wb") as f:
                    f.write(s)
    if args.stamp:
        with open(args.stamp, "w", encoding="utf-8") as f:
            f.write("ok\n")


if __name__ == "__main__":
    main()
