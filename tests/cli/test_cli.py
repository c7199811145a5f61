#!/usr/bin/python3
"""CTest driver for 6mm-errinfo: runs the real binary as a user or a script
would, one group of checks per CTest entry.

    test_cli.py --bin PATH [--schema S] [--golden DIR] [--man M]
                [--completion C] [--docs-dir D] [--rss-limit-kb N] GROUP

Groups: query, exit, list, search, json, response, fastpath, annotate, help,
man, completion, stream, files, delay, edges, reconcile, rough, shape. Every check prints what it ran when it fails; the exit
status is the number of failed checks (capped at 1), so a group can fail.

The golden file of --list is tests/cli/golden/list.txt. After an intended
change of the catalog or of the list format, regenerate it with
    build/src/cli/6mm-errinfo --list > tests/cli/golden/list.txt
and review the diff: every wording change shows up there.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import threading

ARGS = None
FAILURES = []


class Result:
    def __init__(self, argv, proc, out, err):
        self.argv, self.rc, self.out, self.err = argv, proc.returncode, out, err

    @property
    def text(self):
        return self.out.decode("utf-8")

    @property
    def errtext(self):
        return self.err.decode("utf-8", "replace")

    def __repr__(self):
        return (f"argv={self.argv!r} rc={self.rc}\n--- stdout ---\n"
                f"{self.out[:3000].decode('utf-8', 'replace')}\n--- stderr ---\n{self.errtext[:3000]}")


# A UTF-8 locale unless a check asks for another: the text output follows
# the locale's character set.
UTF8_ENV = dict(os.environ, LC_ALL="C.UTF-8")


def run(*argv, stdin=b"", env=None):
    cmd = [ARGS.bin] + list(argv)
    env = UTF8_ENV if env is None else env
    p = subprocess.run(cmd, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=env, timeout=600)
    return Result(list(argv), p, p.stdout, p.stderr)


def check(cond, what, res=None):
    if not cond:
        FAILURES.append(what)
        print(f"FAIL: {what}")
        if res is not None:
            print(res)


def expect_rc(res, rc, what):
    check(res.rc == rc, f"{what}: exit status {res.rc}, expected {rc}", res)
    # Never a crash: a signal gives a negative status; a sanitizer report
    # names itself on stderr.
    check(res.rc >= 0 and b"Sanitizer" not in res.err and b"runtime error" not in res.err,
          f"{what}: crashed or a sanitizer complained", res)


def one_error_line(res, pattern, what):
    lines = res.errtext.splitlines()
    check(len(lines) == 1, f"{what}: expected exactly one line on stderr, got {len(lines)}", res)
    check(any(re.search(pattern, l) for l in lines),
          f"{what}: stderr does not match /{pattern}/", res)
    check(all(l.startswith("6mm-errinfo: ") for l in lines),
          f"{what}: stderr line does not name the tool", res)


def bad_lines(res, patterns, what):
    """--annotate's stderr: one line for each bad line, in order, matching
    the patterns, then one line that counts them."""
    lines = res.errtext.splitlines()
    n = len(patterns)
    check(len(lines) == n + 1, f"{what}: expected {n + 1} lines on stderr, got {len(lines)}", res)
    for line, pattern in zip(lines, patterns):
        check(re.search(pattern, line), f"{what}: {line!r} does not match /{pattern}/", res)
    check(lines and re.search(rf": {n} bad lines? copied without annotation$", lines[-1]),
          f"{what}: the last stderr line counts {n} bad line(s)", res)
    check(all(l.startswith("6mm-errinfo: ") for l in lines), f"{what}: stderr names the tool", res)


_validator = None


def validate(doc, what):
    global _validator
    if _validator is None:
        import jsonschema
        with open(ARGS.schema, encoding="utf-8") as f:
            schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(schema)
        _validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(_validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    check(not errors, f"{what}: JSON does not match the schema: "
          + "; ".join(f"{list(e.absolute_path)}: {e.message[:300]}" for e in errors[:5]))


def json_doc(res, what):
    try:
        doc = json.loads(res.out)
    except ValueError as e:
        check(False, f"{what}: output is not one JSON document: {e}", res)
        return None
    validate(doc, what)
    return doc


def json_lines(res, what):
    recs = []
    for i, line in enumerate(res.out.splitlines()):
        try:
            recs.append(json.loads(line))
        except ValueError as e:
            check(False, f"{what}: output line {i + 1} is not JSON: {e}", res)
            return []
        validate(recs[-1], f"{what} (record {i + 1})")
    return recs


# --------------------------------------------------------------------------
# Groups
# --------------------------------------------------------------------------

def group_query():
    r = run("3107")
    expect_rc(r, 0, "range query")
    check(r.text.startswith("3107  CONDITION_ORDER_INVALID  [rest]\n"), "3107 card header", r)
    for field in ("entry:        3100-3112", "match:        range", "description:",
                  "category:     request", "retry:        fix_request", "http status:",
                  "remediation:", "doc:          https://", "provenance:   description"):
        check(field in r.text, f"3107 card shows {field!r}", r)

    r = run("1999")
    expect_rc(r, 1, "class query")
    check(r.text.startswith("1999  UNKNOWN_AUTH  [rest]\n"), "1999 shows the code and the class entry", r)
    check("match:        class" in r.text and "1000-1999" in r.text, "1999 is a class match", r)

    r = run("token_expired")
    expect_rc(r, 0, "name in lower case")
    check(r.text.startswith("1002  TOKEN_EXPIRED  [rest]"), "name resolves to 1002", r)
    check("401" in r.text and "reauthenticate" in r.text, "1002 card: http and retry", r)
    check(re.search(r"retry +documented https://\S+#troubleshooting", r.text), "provenance with URL", r)

    r = run("1004")
    check(re.search(r"remediation +inferred +Upstream gives no advice", r.text),
          "inferred provenance shows its reasoning", r)

    r = run("1003")
    check("messages:     Invalid token (MSG_INVALID_TOKEN)" in r.text, "1003 lists its message", r)

    r = run("Timestamp outside of tolerance window")
    expect_rc(r, 0, "message query")
    check("MSG_TIMESTAMP_OUT_OF_WINDOW" in r.text and "resync_clock" in r.text, "message card", r)
    r = run("invalid TOKEN")
    expect_rc(r, 0, "message query, any case")
    check("codes:        1003 (INVALID_CREDENTIALS)" in r.text, "message lists its code", r)

    r = run("agent:6905", "widget:auth_exchange_failed", "SIXMM_E_RATE_LIMITED")
    expect_rc(r, 0, "several queries in one call")
    check(r.text.count("\n\n") == 2, "cards are separated by blank lines", r)
    check("6905  QUOTA_EXHAUSTED  [agent]" in r.text, "agent:6905", r)
    check("auth_exchange_failed  AUTH_EXCHANGE_FAILED  [widget]" in r.text, "widget identifier", r)
    check("5003  RATE_LIMITED  [rest]" in r.text, "SIXMM_E_ prefix", r)

    r = run("--domain", "agent", "6905")
    expect_rc(r, 0, "--domain for queries")
    check("QUOTA_EXHAUSTED" in r.text, "--domain agent 6905", r)
    r = run("6905")
    expect_rc(r, 1, "6905 is not a REST code")
    r = run("token_provider_missing")
    expect_rc(r, 0, "an identifier is found without its domain prefix")

    r = run("TOKEN_EXPIRD")
    expect_rc(r, 1, "misspelled name")
    check("did you mean: TOKEN_EXPIRED?" in r.text, "did you mean", r)
    r = run("QUOTA_EXHAUSTD")
    check("did you mean: agent:QUOTA_EXHAUSTED?" in r.text, "did you mean across domains", r)
    r = run("Invalid tokn")
    check('did you mean: "Invalid token"?' in r.text, "did you mean a message", r)
    r = run("auth_exchange_faild")
    check("widget:auth_exchange_failed" in r.text, "did you mean an identifier", r)
    r = run("4000")
    expect_rc(r, 1, "unknown code")
    check("4000: unknown code in domain rest (match: unknown)" in r.text, "unknown code card", r)

    r = run("--lang", "zh", "1002")
    expect_rc(r, 0, "--lang zh")
    check("Token 已过期" in r.text and "刷新 Token" in r.text, "Chinese description and remediation", r)
    r = run("--lang", "zh", "2003")
    check("参数超出范围" in r.text or "description:" in r.text, "zh card renders", r)
    r = run("--lang", "zh", "5002")
    check("remediation:  Wait with exponential backoff" in r.text,
          "zh falls back to English where upstream has no Chinese", r)


def group_exit():
    long_line = b'{"code":1003,"pad":"' + b"x" * (1 << 20) + b'"}\n'
    cases = [
        # (what, argv, stdin, status, stderr pattern or None)
        ("found (exact)", ["1003"], b"", 0, None),
        ("found (range)", ["3100"], b"", 0, None),
        ("range end", ["3112"], b"", 0, None),
        ("class", ["3113"], b"", 1, None),
        ("class below the range", ["3099"], b"", 1, None),
        ("unknown code", ["9999"], b"", 1, None),
        ("unknown name", ["NO_SUCH_THING"], b"", 1, None),
        ("negative code", ["-5"], b"", 1, None),
        ("found and class together", ["1003", "1999"], b"", 1, None),
        ("junk", ["12ab"], b"", 2, r"argument 1: '12ab' is not a code"),
        ("junk punctuation", ["@@@"], b"", 2, r"is not a code, a name or a message"),
        ("overflow", ["99999999999999999999"], b"", 2, r"out of range"),
        ("INT64_MIN is fine", ["-9223372036854775808"], b"", 1, None),
        ("INT64_MAX + 1", ["9223372036854775808"], b"", 2, r"out of range"),
        ("empty argument", [""], b"", 2, r"argument 1: empty argument"),
        ("empty after domain", ["agent:"], b"", 2, r"nothing after the domain"),
        ("unknown domain", ["venus:1"], b"", 2, r"unknown domain 'venus'"),
        ("a message with a colon is not a domain", ["timeout: read failed"], b"", 1, None),
        ("control character", ["10\x0103"], b"", 2, r"control character"),
        ("unknown option", ["--frobnicate"], b"", 2, r"unknown option '--frobnicate'"),
        ("unknown short option", ["-Z"], b"", 2, r"unknown option '-Z'"),
        ("missing option argument", ["--domain"], b"", 2, r"needs an argument"),
        ("bad option value", ["--list", "--retry", "maybe"], b"", 2, r"unknown retry class"),
        ("bad --http", ["--list", "--http", "42"], b"", 2, r"--http takes"),
        ("option in the wrong mode", ["--retry", "backoff", "5002"], b"", 2, r"does not apply"),
        ("two modes", ["--list", "--annotate"], b"", 2, r"cannot be combined"),
        ("no query", [], b"", 2, None),
        ("invalid JSON", ["--response", "-"], b'{"code": 1003,\n "message": }\n', 2,
         r"line 2, column \d+: invalid JSON"),
        ("JSON array", ["--response", "-"], b"[1,2]\n", 2, r"expected a JSON object"),
        ("NUL bytes", ["--response", "-"], b'{"code":1003}\n{"co\0de":1}\n', 2,
         r"line 2, byte 5: NUL byte"),
        ("binary data", ["--response", "-"], bytes(range(256)) * 4, 2, r"line 1, byte 1: NUL byte"),
        ("invalid UTF-8", ["--response", "-"], b'{"message":"caf\xe9"}\n', 2,
         r"line 1, byte 16: invalid UTF-8 \(byte 0xe9\)"),
        ("overlong UTF-8 form", ["--response", "-"], b'{"message":"\xc0\xaf"}\n', 2, r"invalid UTF-8"),
        ("overlong line", ["--response", "-"], long_line, 2, r"line 1 is longer than 1048576 bytes"),
        ("empty input", ["--response", "-"], b"", 2, r"no response body"),
        ("missing file", ["--response", "/nonexistent/body.json"], b"", 2, r"cannot open"),
        ("code of the wrong type", ["--response", "-"], b'{"code":true}\n', 2, r'"code" must be an integer'),
        ("annotate: NUL bytes", ["--annotate"], b"ok\nbad\0line\n", 2, r"line 2, byte 4: NUL byte"),
        ("annotate: overlong line", ["--annotate"], long_line, 2, r"line 1 is longer than"),
    ]
    for what, argv, stdin, status, pattern in cases:
        r = run(*argv, stdin=stdin)
        expect_rc(r, status, what)
        if pattern and argv[:1] == ["--annotate"]:
            # One line per bad line, then their count.
            bad_lines(r, [pattern], what)
        elif pattern:
            one_error_line(r, pattern, what)
    bad = run(b"caf\xe9".decode("utf-8", "surrogateescape"))
    expect_rc(bad, 2, "invalid UTF-8 argument")
    one_error_line(bad, r"not valid UTF-8", "invalid UTF-8 argument")
    # A bad query among good ones: the good ones still get their cards.
    r = run("1003", "", "1002")
    expect_rc(r, 2, "bad query among good ones")
    check(r.text.count("match:") == 2, "good queries still answered", r)
    # A full disk: exit 2 and one line naming the real cause (errno of the
    # failed flush, not a stale one).
    if os.path.exists("/dev/full"):
        for argv in (["1003"], ["--list"]):
            with open("/dev/full", "wb") as full:
                p = subprocess.run([ARGS.bin] + argv, stdout=full, stderr=subprocess.PIPE,
                                   timeout=60)
            res = Result(argv, p, b"", p.stderr)
            expect_rc(res, 2, f"{argv} to /dev/full")
            one_error_line(res, r"write error on standard output: No space left on device",
                           f"{argv} to /dev/full")


def group_list():
    r = run("--list")
    expect_rc(r, 0, "--list")
    golden = os.path.join(ARGS.golden, "list.txt")
    with open(golden, "rb") as f:
        want = f.read()
    check(r.out == want, "--list matches tests/cli/golden/list.txt "
          "(regenerate: 6mm-errinfo --list > tests/cli/golden/list.txt)", r)
    lines = r.text.splitlines()[1:]
    check(len(lines) == 32, f"--list prints every entry ({len(lines)})", r)

    r = run("--list", "--domain", "agent")
    check(r.rc == 0 and all(l.startswith("agent ") for l in r.text.splitlines()[1:]), "--domain agent", r)
    check(len(r.text.splitlines()) == 9, "agent has 8 entries", r)
    r = run("--list", "--retry", "backoff")
    keys = [l.split()[1] for l in r.text.splitlines()[1:]]
    check(keys == ["5002", "5003", "6904", "6905"], f"--retry backoff: {keys}", r)
    r = run("--list", "--http", "429")
    keys = [l.split()[1] for l in r.text.splitlines()[1:]]
    check(keys == ["5003"], f"--http 429: {keys}", r)
    r = run("--list", "--category", "auth", "--domain", "rest", "--http", "401")
    keys = [l.split()[1] for l in r.text.splitlines()[1:]]
    check(keys == ["1001", "1002", "1003", "1004", "1006"], f"combined filters: {keys}", r)
    r = run("--list", "--category", "config", "--domain", "rest")
    expect_rc(r, 1, "filters that match nothing")
    one_error_line(r, "no entry matches", "filters that match nothing")
    r = run("--list", "--lang", "zh", "--domain", "rest")
    check("Token 已过期" in r.text, "--list --lang zh", r)


def group_search():
    r = run("--search", "signature")
    expect_rc(r, 0, "--search")
    keys = [l.split()[1] for l in r.text.splitlines()[1:]]
    check("1003" in keys and "3004" in keys, f"search 'signature' finds 1003 and 3004: {keys}", r)
    r = run("--search", "TOKEN", "EXPIRED")
    names = [l.split()[2] for l in r.text.splitlines()[1:]]
    check("TOKEN_EXPIRED" in names, "all words, any case", r)
    check("TOKEN_REVOKED" not in names, "every word must match", r)
    r = run("--search", "token expired")
    check("TOKEN_EXPIRED" in r.text, "words inside one argument", r)
    r = run("--search", "限流")
    expect_rc(r, 0, "Chinese search")
    check("RATE_LIMITED" in r.text, "限流 finds 5003", r)
    r = run("--search", "签名", "--domain", "rest")
    check("INVALID_CREDENTIALS" in r.text, "签名 finds 1003", r)
    r = run("--search", "xyzzy")
    expect_rc(r, 1, "search with no hit")
    one_error_line(r, "no entry contains", "search with no hit")
    r = run("--search")
    expect_rc(r, 2, "search without words")
    # Words, not letters: "rate" is not in "Regenerate" or "callbackRate".
    r = run("--search", "rate")
    keys = [l.split()[1] for l in r.text.splitlines()[1:]]
    check(keys == ["5003", "6905"], f"--search rate matches words, best first: {keys}", r)
    check(r.text.splitlines()[1].endswith("[matched: name]"), "the matched field is shown", r)
    doc = json_doc(run("--json", "--search", "rate"), "--json --search rate")
    if doc:
        matched = [x["matched"] for x in doc["results"]]
        check(matched == [["name"], ["classification"]], f"JSON matched: {matched}")
    r = run("--search", "backoff")
    first = r.text.splitlines()[1]
    check("[matched: name]" in first or "[matched: classification]" in first,
          f"a name or class match ranks before a remediation match: {first}", r)


def group_json():
    # Every mode, validated against the schema, and usable with jq.
    r = run("--json", "3107", "1999", "token_expird", "4000", "agent:6905",
            "Timestamp outside of tolerance window", "widget:token_provider_missing")
    expect_rc(r, 1, "--json queries")
    doc = json_doc(r, "--json queries")
    if doc:
        res = doc["results"]
        check([x["status"] for x in res] == ["found", "fallback", "fallback", "fallback", "found",
                                             "found", "found"], "statuses", r)
        check(res[0]["match"] == "range" and res[0]["code"] == 3107
              and res[0]["entry"]["key"] == "3100-3112", "3107 in JSON", r)
        check(res[1]["match"] == "class" and res[1]["entry"]["kind"] == "class", "1999 in JSON", r)
        check(res[2]["suggestions"] == ["TOKEN_EXPIRED"], "suggestions in JSON", r)
        check(res[3]["entry"] is None and res[3]["match"] == "unknown", "unknown in JSON", r)
        prov = res[0]["entry"]["provenance"]
        check(prov["description"]["source"] == "documented" and "url" in prov["description"],
              "documented provenance has a URL", r)
        check(prov["retry"]["source"] == "inferred" and prov["retry"]["reasoning"],
              "inferred provenance has reasoning", r)
    r = run("--json", "12ab", "")
    expect_rc(r, 2, "--json with bad queries")
    doc = json_doc(r, "--json with bad queries")
    if doc:
        check(all(x["status"] == "error" and x["error"] for x in doc["results"]), "errors in JSON", r)
    r = run("--json", "--lang", "zh", "1002")
    doc = json_doc(r, "--json --lang zh")
    if doc:
        check(doc["lang"] == "zh" and doc["results"][0]["entry"]["description"] == "Token 已过期",
              "zh JSON", r)
    r = run("--json", "--list")
    doc = json_doc(r, "--json --list")
    if doc:
        check(len(doc["results"]) == 32 and doc["mode"] == "list", "--json --list has every entry", r)
    r = run("--json", "--list", "--retry", "backoff", "--domain", "agent")
    doc = json_doc(r, "--json --list with filters")
    if doc:
        check([x["entry"]["key"] for x in doc["results"]] == ["6904", "6905"], "filters in JSON", r)
    r = run("--json", "--search", "Rate", "limit")
    doc = json_doc(r, "--json --search")
    if doc:
        check(doc["words"] == ["rate", "limit"]
              and "RATE_LIMITED" in [x["entry"]["name"] for x in doc["results"]], "--json --search", r)
    r = run("--json", "--version")
    doc = json_doc(r, "--json --version")
    if doc:
        check(doc["tool_version"] and len(doc["catalog"]["digest"]) == 64, "--json --version", r)
    body = b'{"code":1002,"message":"Token expired","requestId":"req-9"}\n'
    r = run("--json", "--response", "-", "--http", "401", stdin=body)
    recs = json_lines(r, "--json --response")
    check(len(recs) == 1 and recs[0]["request_id"] == "req-9"
          and recs[0]["advice"]["action"] == "reauthenticate", "--json --response", r)
    r = run("--json", "--annotate", stdin=b'x {"code":5003}\nplain\n')
    recs = json_lines(r, "--json --annotate")
    check(len(recs) == 1 and recs[0]["line"] == 1 and "advice" in recs[0], "--json --annotate", r)
    # jq, when it is installed: the output works with it.
    jq = shutil.which("jq")
    if jq:
        r = run("--json", "1003")
        p = subprocess.run([jq, "-r", ".results[0].entry.retry"], input=r.out,
                           stdout=subprocess.PIPE)
        check(p.returncode == 0 and p.stdout == b"check_credentials\n", "jq reads the output")


def group_response():
    body = b'{"code": 1003, "message": "Invalid token", "requestId": "req-12345678"}'
    r = run("--response", "-", "--http", "401", stdin=body)
    expect_rc(r, 0, "a single body without a newline")
    check("requestId: req-12345678" in r.text, "shows requestId", r)
    check("action:       check_credentials" in r.text and "resend:       no" in r.text, "advice", r)

    pretty = b'{\n  "code": 5001,\n  "message": "Internal server error",\n  "requestId": "r-1"\n}\n'
    r = run("--response", "-", stdin=pretty)
    expect_rc(r, 0, "a pretty-printed body")
    check(r.text.startswith("response at line 1  requestId: r-1"), "one multi-line object", r)
    check("action:       reconcile" in r.text and "resend:       no" in r.text,
          "5001 on a non-idempotent call: reconcile, never resend", r)
    r = run("--response", "-", "--idempotent", stdin=pretty)
    check("reconcile" in r.text, "5001 idempotent", r)

    stream = (b'{"code":5003,"message":"Rate limit triggered","requestId":"a"}\n'
              b'\n'
              b'{"code":1003,"message":"Timestamp outside of tolerance window"}\n'
              b'{"code":0,"message":"success","data":{"x":[1,2,{"y":"}"}]}}\n'
              b'{"code":1999}\n')
    r = run("--response", "-", "--idempotent", stdin=stream)
    expect_rc(r, 1, "JSON Lines with a class fallback")
    check(r.text.count("response at line") == 4, "one classification per line", r)
    check("response at line 3" in r.text and "resync_clock" in r.text,
          "the message overrides the code", r)
    check("response at line 5" in r.text, "line numbers count blank lines", r)

    path = os.path.join(ARGS.tmp, "body.json")
    with open(path, "wb") as f:
        f.write(body)
    r = run("--response", path, "--http", "401")
    expect_rc(r, 0, "--response FILE")

    r = run("--response", "-", "--http", "502", "--idempotent", stdin=b"<html>Bad gateway</html>\n")
    expect_rc(r, 1, "a gateway page")
    check("not JSON; classified by the HTTP status" in r.text and "backoff" in r.text, "502 page", r)
    r = run("--response", "-", "--http", "502", "--not-idempotent", stdin=b"")
    check("reconcile" in r.text, "an empty 502 body on a non-idempotent call reconciles", r)
    r = run("--response", "-", "--http", "0", "--idempotent", stdin=b"")
    check("backoff" in r.text, "a timeout on an idempotent call backs off", r)
    r = run("--response", "-", "--http", "429", "--attempt", "3", stdin=b'{"code":5003}')
    check("attempt 3" in r.text, "--attempt", r)

    r = run("--response", "-", stdin=b'{"code": 10')
    expect_rc(r, 2, "truncated JSON")
    one_error_line(r, r"line 1, column 11: invalid JSON", "truncated JSON")
    r = run("--response", "-", stdin=b'{"code":1}\n{"code":2}{"code":3}\n')
    expect_rc(r, 2, "two values on one line")
    one_error_line(r, r"line 2, column \d+: invalid JSON", "two values on one line")
    r = run("--response", "-", stdin=b'\xef\xbb\xbf{"code":1002}\n')
    expect_rc(r, 0, "a UTF-8 byte order mark")
    deep = b"[" * 100000 + b"]" * 100000 + b"\n"
    r = run("--response", "-", stdin=deep)
    expect_rc(r, 2, "deep nesting")
    wide = b'{"a":[' + b"0," * 500000 + b'0]}\n'
    r = run("--response", "-", stdin=wide)
    expect_rc(r, 2, "a line with half a million values")
    one_error_line(r, "too large to classify", "parse budget")


def fastpath_corpus():
    """Lines for group_fastpath: the common bodies, every entry of the
    catalog, and a line for each way out of the fast path of --response
    (src/cli/jsonscan.c, errinfo_json_scan)."""
    lines = [
        b'{"code": 1003, "message": "Invalid token", "requestId": "req-12345678"}',
        b'{"code":5003,"message":"Rate limit triggered","requestId":"a"}',
        b'{"code":1003,"message":"Timestamp outside of tolerance window"}',
        b'{"code":0,"message":"success","data":{"x":[1,2,{"y":"}"}]}}',
        b'{"code":1999}',
        b'{"code":0,"message":"success","data":{"orderId":"7","clientOrderId":"c-7","status":"NEW"}}',
        b'{"code":2001,"message":"Invalid parameter: price","data":{"field":"price"}}',
        b'{"code":1002,"message":"Token expired","data":null}',
        b'{"code":3004,"message":"Timestamp outside of tolerance window","data":null}',
        b'{}', b'{ }', b' {"code":1003} ', b'\t{\t"code"\t:\t1003\t}\t', b'{"code":1003}\r',
        b'{ "code" : 1003 , "message" : "Invalid token" }',
        b'\xef\xbb\xbf{"code":1002}',
    ]
    listing = [x["entry"] for x in json.loads(run("--list", "--json").out)["results"]]
    for e in listing:
        if e.get("code") is not None:
            lines.append(b'{"code":%d,"requestId":"r"}' % e["code"])
            lines.append(b'{"code":"%d"}' % e["code_last"])
        if e["kind"] == "message":
            lines.append(json.dumps({"code": 1, "message": e["key"]},
                                    ensure_ascii=False).encode())
        lines.append(json.dumps({"message": e["name"], "code": None}).encode())
    # Numbers, as values of "code" and of an ignored member.
    for num in (b"0", b"-0", b"01", b"-01", b"1.5", b"1.", b".5", b"-", b"--1", b"+1", b"1e3",
                b"1E-2", b"1.0e0", b"123456789012345678", b"-123456789012345678",
                b"1234567890123456789", b"9223372036854775807", b"9223372036854775808",
                b"-9223372036854775808", b"-9223372036854775809", b"1" * 400,
                b"0." + b"0" * 400 + b"1", b"1" * 400 + b".5", b"1x", b"1 2", b"0x10"):
        lines.append(b'{"code":%s,"message":"Invalid token"}' % num)
        lines.append(b'{"n":%s,"code":1003}' % num)
    # "code" of every type, and in strings.
    for v in (b'"1003"', b'" 1003"', b'"1003 "', b'"+1003"', b'"-5"', b'"abc"', b'""', b'"1.5"',
              b'"99999999999999999999"', b'true', b'false', b'null', b'1.0', b'{}', b'[]',
              b'{"code":1}', b'[1003]', b'"10\\u00303"', b'"\\u0031003"'):
        lines.append(b'{"code":%s}' % v)
    # Repeated members: jansson keeps the last.
    lines += [b'{"code":1003,"code":5001}', b'{"code":"x","code":1003}', b'{"code":1003,"code":"x"}',
              b'{"code":1003,"code":null}', b'{"code":null,"code":1003}', b'{"code":1.5,"code":1003}',
              b'{"message":"Invalid token","message":"Token expired","code":1}',
              b'{"message":"Invalid token","message":7,"code":1}',
              b'{"requestId":"a","requestId":"b","code":1}', b'{"requestId":"a","requestId":null}',
              b'{"x":1,"x":2,"code":1003}', b'{"data":{"code":1},"code":1003}']
    # "message" and "requestId" of other types; escapes and raw control
    # characters in keys and values; text the printers shorten or escape.
    lines += [b'{"code":1,"message":7}', b'{"code":1,"message":null}', b'{"code":1,"message":{}}',
              b'{"code":1,"message":["Invalid token"]}', b'{"code":1,"requestId":12}',
              b'{"code":1,"requestId":{"a":"b"}}', b'{"code":1,"message":true}',
              b'{"code":1003,"message":"Invalid\\u0020token"}', b'{"code":1,"message":"a\\"b"}',
              b'{"code":1,"message":"a\\\\b"}', b'{"code":1,"message":"a\\/b"}',
              b'{"code":1,"message":"tab\\there\\u0001\\u001f\\b\\f\\n\\r"}',
              b'{"code":1,"message":"nul\\u0000here"}', b'{"code":1,"requestId":"nul\\u0000"}',
              b'{"code":1,"message":"raw\ttab"}', b'{"code":1,"message":"raw\x01"}',
              b'{"code":1,"message":"del\x7fhere","requestId":"del\x7f"}',
              b'{"code\\u0000":1}', b'{"co\\u0064e":1003}', b'{"\\u0063ode":"1003"}',
              b'{"code":1,"message":"\\ud83d\\ude00"}', b'{"code":1,"message":"\\ud83d"}',
              b'{"code":1,"message":"/slash</script>"}', b'{"code":1,"message":"a\\x"}',
              '{"code":1,"message":"中文 é \U0001F600","requestId":"ü"}'.encode(),
              b'{"code":1,"message":"' + b"m" * 300 + b'"}',
              b'{"code":1,"requestId":"' + "é".encode() * 150 + b'"}',
              b'{"Code":1003}', b'{"code ":1003}', b'{"codes":1003}', b'{"":1,"code":1003}',
              b'{"message":"","requestId":"","code":""}']
    # Literals, structure, nesting, trailing text, other values.
    lines += [b'{"a":tru}', b'{"a":truex}', b'{"a":True}', b'{"a":nul}', b'{"a":nullx}',
              b'{"a":falsey}', b'{"a":true,"b":false,"c":null,"code":1003}',
              b'{"a":[],"b":{},"c":[[]],"d":[{}],"code":1003}', b'{"a":[1,2,],"code":1}',
              b'{"a":[,1]}', b'{"a":{"b":}}', b'{"a":{"b"}}', b'{"a":{,}}', b'{"a":[1 2]}',
              b'{"a":1,}', b'{,}', b'{"a"}', b'{"a":}', b'{"a" 1}', b'{"a":1 "b":2}', b'{a:1}',
              b"{'a':1}", b'{"code":1003}}', b'{"code":1003} x', b'{"code":1003},',
              b'{"code":1003}{"code":1}', b'{"code":1003}[', b'{"code":1003} // c',
              b'[1,2]', b'[]', b'[{"code":1003}]', b'"text"', b'1003', b'null', b'true',
              b'{"code":1', b'{"code":"1', b'{', b'{"a":"}"', b'{"a":[}', b'{"a":{]}',
              b'{"a":' + b"[" * 15 + b"]" * 15 + b',"code":1003}',
              b'{"a":' + b"[" * 16 + b"]" * 16 + b',"code":1003}',
              b'{"a":' + b"[" * 17 + b"]" * 17 + b',"code":1003}',
              b'{"a":' + b'{"b":' * 20 + b"1" + b"}" * 20 + b',"code":1003}',
              b'{"a":' + b"[" * 3000 + b"]" * 3000 + b',"code":1003}',
              b'{"a":' + b"[" * 3000 + b"]" * 2999 + b',"code":1003}']
    # Around the fast path's length limit (4096 bytes).
    for n in (4094, 4095, 4096, 4097, 4098, 70000):
        pad = n - len(b'{"code":1003,"p":""}')
        lines.append(b'{"code":1003,"p":"' + b"x" * pad + b'"}')
    return lines


def slow_twin(line):
    """The same body with a member whose key holds an escape: the fast path
    refuses it, so jansson reads it; the extracted members are the same.
    The member goes last, so an earlier error keeps its column."""
    stripped = line.rstrip(b" \t\r")
    if not stripped.endswith(b"}"):
        return None
    i = len(stripped) - 1
    head = line[:i]
    sep = b"" if head.rstrip(b" \t").endswith(b"{") else b","
    return head + sep + b'"\\u0020":0' + line[i:]


def normalized_err(res):
    # An error after the inserted member may differ in column and token.
    return re.sub(r"column -?\d+: invalid JSON: .*", "column C: invalid JSON",
                  res.errtext)


def group_fastpath():
    """--response reads the common line without jansson (errinfo_json_scan in
    src/cli/jsonscan.c). Every line here is run as is and as its slow twin,
    which the fast path refuses; output, status and diagnostics must be the
    same, alone and in streams, in text and JSON, under several options
    (--seed makes the JSON records' delay_ms repeat)."""
    lines = fastpath_corpus()
    twins = [(l, slow_twin(l)) for l in lines]
    ok = []
    for line, twin in twins:
        if twin is None:
            continue
        # Each line alone in text; in JSON too when it is an error (a
        # classified line comes out as JSON in the streams below).
        for opts in ([], ["--json"]):
            if opts and a.rc != 2:
                continue
            a = run("--response", "-", "--seed", "7", *opts, stdin=line + b"\n")
            b = run("--response", "-", "--seed", "7", *opts, stdin=twin + b"\n")
            what = f"fast path {' '.join(opts)} on {line[:120]!r}"
            expect_rc(a, b.rc, what)
            check(a.out == b.out, f"{what}: stdout differs from the jansson path",
                  f"{a!r}\n=== jansson path ===\n{b!r}")
            check(normalized_err(a) == normalized_err(b),
                  f"{what}: stderr differs from the jansson path", f"{a!r}\n=== jansson path ===\n{b!r}")
            check(a.rc == 2 or not a.err, f"{what}: a diagnostic without status 2", a)
            if not opts and a.rc != 2:
                ok.append((line, twin))
    check(len(ok) > 100, f"the corpus has {len(ok)} classified lines, expected more than 100")
    # Streams: blank lines between records, the records' separators, line
    # numbers, and the caches of entry texts across records.
    fast = b"".join(l + b"\n" + (b"\n" if i % 7 == 0 else b"") for i, (l, _) in enumerate(ok))
    slow = b"".join(t + b"\n" + (b"\n" if i % 7 == 0 else b"") for i, (_, t) in enumerate(ok))
    mixed = b"".join((l if i % 2 else t) + b"\n" for i, (l, t) in enumerate(ok))
    mixed_twin = b"".join((t if i % 2 else l) + b"\n" for i, (l, t) in enumerate(ok))
    for opts in ([], ["--json"], ["--http", "401", "--idempotent", "--attempt", "3"],
                 ["--json", "--http", "503", "--not-idempotent", "--lang", "zh"],
                 ["--lang", "zh", "--domain", "agent"], ["--json", "--domain", "widget", "--http", "0"],
                 ["--attempt", "4294967295", "--http", "429"]):
        for name, x, y in (("stream", fast, slow), ("mixed stream", mixed, mixed_twin)):
            a = run("--response", "-", "--seed", "7", *opts, stdin=x)
            b = run("--response", "-", "--seed", "7", *opts, stdin=y)
            what = f"fast path, {name} {' '.join(opts)}"
            expect_rc(a, b.rc, what)
            check(a.out == b.out and a.err == b.err, f"{what}: output differs from the jansson path",
                  f"{a!r}\n=== jansson path ===\n{b!r}")
            if "--json" in opts:
                json_lines(a, what)


def group_annotate():
    log = (b"2026-11-24 INFO start\n"
           b'2026-11-24 WARN rejected {"code":3001,"message":"Insufficient balance","requestId":"req-1"}\n'
           b'2026-11-24 ERROR body="{\\"code\\":1003,\\"message\\":\\"Timestamp outside of tolerance window\\"}"\n'
           b'2026-11-24 INFO {"code":0,"message":"success"}\n'
           b'2026-11-24 INFO {"errorCode":1003} "code" is a word here\n'
           b"\tcaf\xc3\xa9 \"code\": 1999\r\n"
           b'last line without newline "code":5003')
    r = run("--annotate", stdin=log)
    expect_rc(r, 0, "--annotate")
    copied = b"".join(l for l in r.out.splitlines(keepends=True) if not l.startswith(b"    -- "))
    check(copied == log + b"\n", "every input line is copied through unchanged", r)
    notes = [l for l in r.text.splitlines() if l.startswith("    -- ")]
    check(len(notes) == 8, f"four annotated lines, two lines each ({len(notes)})", r)
    check("INSUFFICIENT_BALANCE" in r.text and "(requestId req-1)" in r.text, "plain body", r)
    check("MSG_TIMESTAMP_OUT_OF_WINDOW" in r.text, "a body logged inside a JSON string", r)
    check("UNKNOWN_AUTH [rest, match class]" in r.text, "a bare code pair", r)
    check("RATE_LIMITED" in r.text, "the last line", r)
    check("SUCCESS" not in r.text, "success bodies are not annotated", r)
    # Lines that span the reader's 64 KiB blocks: the copy stays exact and
    # each note follows its own line.
    big = b"x" * 70000 + b' {"code":1002}'
    log2 = b"first\n" + big + b"\nmiddle \"code\":5003\n" + b"y" * 140000 + b"\n" + big
    r = run("--annotate", stdin=log2)
    expect_rc(r, 0, "--annotate across blocks")
    parts = r.out.split(b"\n")
    copied = b"\n".join(l for l in parts if not l.startswith(b"    -- "))
    check(copied == log2 + b"\n", "lines across blocks are copied exactly", r)
    notes = [i for i, l in enumerate(parts) if l.startswith(b"    -- 6MM code")]
    ends = [b' {"code":1002}', b'"code":5003', b' {"code":1002}']
    check(len(notes) == 3 and all(parts[i - 1].endswith(e) for i, e in zip(notes, ends)),
          "each note follows the line it explains", r)
    r = run("--annotate", "--domain", "agent", stdin=b'{"code":6905}\n')
    check("QUOTA_EXHAUSTED" in r.text, "--annotate --domain agent", r)
    r = run("--annotate", stdin=b"\xff\xfe binary\nnext \"code\":1002\n")
    expect_rc(r, 2, "invalid UTF-8 in a log")
    check(r.out.startswith(b"\xff\xfe binary\nnext"), "bad lines are still copied", r)
    check(b"TOKEN_EXPIRED" in r.out, "good lines are still annotated", r)


def group_help():
    r = run("--help")
    expect_rc(r, 0, "--help")
    for what in ("usage: 6mm-errinfo", "Examples:", "6mm-errinfo 3107", "--response [--http S] [--idempotent|--not-idempotent] [FILE...]",
                 "--annotate [FILE...]",
                 "Exit status:", "--not-idempotent"):
        check(what in r.text, f"--help mentions {what!r}", r)
    r = run("-h")
    expect_rc(r, 0, "-h")
    r = run("--version")
    expect_rc(r, 0, "--version")
    check(re.match(r"6mm-errinfo \d+\.\d+\.\d+ \(libsixmm-errinfo \S+, catalog \d+\.\d+\.\d+, "
                   r"sha256 [0-9a-f]{64}\)\n$", r.text), "--version format", r)


def group_man():
    mandoc = shutil.which("mandoc")
    if not mandoc:
        print("SKIP: mandoc is not installed")
        sys.exit(77)
    p = subprocess.run([mandoc, "-Tlint", "-W", "all", ARGS.man], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT)
    check(p.returncode == 0 and p.stdout == b"",
          f"mandoc -Tlint -W all is clean (status {p.returncode}):\n{p.stdout.decode()}")
    with open(ARGS.man, encoding="utf-8") as f:
        man = f.read()
    help_text = run("--help").text
    for opt in re.findall(r"^\s+(?:-\w, )?--([\w-]+)", help_text, re.M):
        check("\\-\\-" + opt.replace("-", "\\-") in man, f"the man page documents --{opt}")
    for word in ("EXIT STATUS", "JSON OUTPUT", "reconcile", "widget"):
        check(word in man, f"the man page mentions {word}")


def complete(words, cword):
    script = (f"source {ARGS.completion!r}\n"
              f"COMP_WORDS=({' '.join(repr(w) for w in words)}); COMP_CWORD={cword}\n"
              "_6mm_errinfo; printf '%s\\n' \"${COMPREPLY[@]}\"\n")
    p = subprocess.run(["bash", "--norc", "-c", script], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    check(p.returncode == 0 and not p.stderr, f"completion runs: {p.stderr!r}")
    return [w for w in p.stdout.decode().splitlines() if w]


def group_completion():
    p = subprocess.run(["bash", "-n", ARGS.completion], stderr=subprocess.PIPE)
    check(p.returncode == 0, f"bash -n: {p.stderr!r}")
    got = complete(["6mm-errinfo", "--dom"], 1)
    check(got == ["--domain"], f"options: {got}")
    got = complete(["6mm-errinfo", "--domain", ""], 2)
    check(got == ["rest", "agent", "widget"], f"domains: {got}")
    got = complete(["6mm-errinfo", "--retry", "re"], 2)
    check(sorted(got) == ["reauthenticate", "reconcile", "resign", "resync_clock"],
          f"retry classes: {got}")
    got = complete(["6mm-errinfo", "TOKEN_"], 1)
    check(sorted(got) == ["TOKEN_EXPIRED", "TOKEN_REVOKED"], f"names: {got}")
    got = complete(["6mm-errinfo", "agent", ":", "QUOTA"], 3)
    check(got == ["QUOTA_EXHAUSTED"], f"agent:NAME: {got}")
    got = complete(["6mm-errinfo", "wid"], 1)
    check("widget:" in got and "widget:auth_exchange_failed" in got, f"domain prefix: {got}")
    got = complete(["6mm-errinfo", "--lang", ""], 2)
    check(got == ["en", "zh"], f"--lang: {got}")
    # Every option of --help is offered.
    help_opts = set(re.findall(r"--[\w-]+", run("--help").text.split("Options:")[1].split("Examples:")[0]))
    got = set(complete(["6mm-errinfo", "--"], 1))
    check(help_opts <= got, f"every option is completed: missing {help_opts - got}")


def group_stream():
    """Pipe 100 MB of JSON Lines through --response and check the peak RSS.

    The stream is generated here and never stored. Its lines vary from a few
    bytes to 900 KiB (under the 1 MiB limit), so both the no-copy path and the
    spanning-line buffer are exercised. The figure is the tool's peak RSS as
    /usr/bin/time -f %M reports it."""
    if not os.access("/usr/bin/time", os.X_OK):
        print("SKIP: /usr/bin/time is not installed (Debian package time)")
        sys.exit(77)
    total = 100 * 1024 * 1024
    def body(code, i, pad):
        return b'{"code":%d,"message":"m","requestId":"req-%d","data":"%s"}\n' % (code, i, b"p" * pad)
    # One cycle is about 1 MiB: 500 small bodies, then a few large ones.
    small = [body(c, i, pad) for i, (c, pad) in
             enumerate([(1003, 0), (5003, 200), (1999, 40), (5001, 60), (1002, 9)])]
    bodies = small * 100 + [body(3107, 5, 4000), body(1999, 6, 16000), body(0, 7, 120000),
                            body(2001, 8, 900000)]
    lines_sent = [0]

    def feed(pipe):
        sent, i = 0, 0
        try:
            while sent < total:
                b = bodies[i % len(bodies)]
                pipe.write(b)
                sent += len(b)
                i += 1
            lines_sent[0] = i
        finally:
            pipe.close()

    # /usr/bin/time measures the tool alone: a child forked from this
    # Python process would report Python's own pages as its peak.
    rss_file = os.path.join(ARGS.tmp, "stream.maxrss")
    p = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", rss_file,
                          ARGS.bin, "--response", "-", "--json", "--idempotent"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    t = threading.Thread(target=feed, args=(p.stdin,))
    t.start()
    records, tail = 0, b""
    while True:
        chunk = p.stdout.read(1 << 16)
        if not chunk:
            break
        records += chunk.count(b"\n")
        tail = (tail + chunk)[-4096:]
    err = p.stderr.read()
    rc = p.wait()
    t.join()
    with open(rss_file, encoding="ascii") as f:
        peak_kb = int(f.read().split()[-1])
    print(f"100 MB stream: {lines_sent[0]} bodies, {records} records, exit {rc}, "
          f"peak RSS {peak_kb} KiB (limit {ARGS.rss_limit_kb} KiB)")
    check(rc == 1, f"exit status {rc} (1999 falls back to class, so 1); stderr: {err[:500]!r}")
    check(records == lines_sent[0], f"one record per body: {records} of {lines_sent[0]}")
    check("advice" in json.loads(tail.splitlines()[-1]), "the last record is JSON")
    check(peak_kb < ARGS.rss_limit_kb, f"peak RSS {peak_kb} KiB is under {ARGS.rss_limit_kb} KiB")


def write_tmp(name, data):
    path = os.path.join(ARGS.tmp, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def group_files():
    """Files as arguments: in order, - for stdin, grep -H naming with
    several, an unreadable file is one stderr line and status 2."""
    log1 = b'a plain line\nx {"code":5003,"message":"Rate limit triggered"}\n'
    log2 = b'y "code":1002\nlast line without newline'
    f1, f2 = write_tmp("one.log", log1), write_tmp("two.log", log2)
    alone = run("--annotate", f1)
    piped = run("--annotate", stdin=log1)
    expect_rc(alone, 0, "--annotate FILE")
    check(alone.out == piped.out, "--annotate FILE writes what --annotate < FILE writes", alone)
    check(run("--annotate", "-", stdin=log1).out == piped.out, "--annotate - is stdin")
    r = run("--annotate", f1, f2)
    expect_rc(r, 0, "--annotate with two files")
    lines = r.text.splitlines()
    check(all(l.startswith(f1 + ":") or l.startswith(f2 + ":") for l in lines),
          "with several files every line starts with its file name (grep -H)", r)
    copied = [l.split(":", 1)[1] for l in lines if not l.split(":", 1)[1].startswith("    -- ")]
    check(copied == ["a plain line", 'x {"code":5003,"message":"Rate limit triggered"}',
                     'y "code":1002', "last line without newline"],
          "both files are copied, in order", r)
    check(sum(1 for l in lines if "    -- 6MM code" in l) == 2, "both files are annotated", r)
    r = run("--annotate", f1, "-", stdin=log2)
    check(any(l.startswith("(standard input):") for l in r.text.splitlines()),
          "- among files is named (standard input)", r)
    missing = os.path.join(ARGS.tmp, "no-such.log")
    r = run("--annotate", f1, missing, f2)
    expect_rc(r, 2, "an unreadable file among others")
    one_error_line(r, r"cannot open '.*no-such\.log': No such file or directory",
                   "an unreadable file among others")
    check(f1 + ":a plain line" in r.text and f2 + ":last line without newline" in r.text,
          "the other files are still processed", r)
    r = run("--annotate", "--json", f1, f2)
    recs = json_lines(r, "--annotate --json with two files")
    check([(x["file"], x["line"]) for x in recs] == [(f1, 2), (f2, 1)],
          "JSON records name their file", r)
    check("file" not in json_lines(run("--annotate", "--json", f1), "one file")[0],
          "with one input the record has no file member")

    b1 = write_tmp("b1.jsonl", b'{"code":1002}\n{"code":5003}\n')
    b2 = write_tmp("b2.jsonl", b'{"code":1003}\n')
    r = run("--response", b1, b2)
    expect_rc(r, 0, "--response with two files")
    heads = [l for l in r.text.splitlines() if l.startswith("response at ")]
    check(heads == [f"response at {b1}:1", f"response at {b1}:2", f"response at {b2}:1"],
          f"--response names file and line: {heads}", r)
    r = run("--response", "--json", "--seed", "1", b1, missing, b2)
    expect_rc(r, 2, "--response with an unreadable file")
    one_error_line(r, r"cannot open", "--response with an unreadable file")
    recs = json_lines(r, "--response --json with files")
    check([(x["file"], x["line"], x["code"]) for x in recs] == [(b1, 1, 1002), (b1, 2, 5003), (b2, 1, 1003)],
          "--response --json reads the other files", r)


def group_delay():
    """The wait is a range in text; JSON has delay_ms (random, or repeatable
    with --seed) and delay_max_ms."""
    body = b'{"code":5003}\n'
    r = run("--response", "-", stdin=body)
    check("wait 0\u2013200 ms (full jitter), then send attempt 2" in r.text,
          "text gives the full-jitter range", r)
    check("about" not in r.text, "no single 'about N ms' figure", r)
    r = run("--response", "-", "--attempt", "2", stdin=body)
    check("wait 0\u2013400 ms (full jitter)" in r.text, "the range doubles with the attempt", r)
    r = run("--annotate", stdin=b'x {"code":5003}\n')
    check("then resend after 0\u2013200 ms (full jitter)" in r.text, "--annotate gives the range", r)
    many = body * 200
    a = json_lines(run("--response", "-", "--json", "--seed", "42", stdin=many), "seed 42")
    b = json_lines(run("--response", "-", "--json", "--seed", "42", stdin=many), "seed 42 again")
    c = json_lines(run("--response", "-", "--json", "--seed", "43", stdin=many), "seed 43")
    da = [x["advice"]["delay_ms"] for x in a]
    check(da == [x["advice"]["delay_ms"] for x in b], "--seed repeats the draws")
    check(da != [x["advice"]["delay_ms"] for x in c], "another seed, other draws")
    check(all(x["advice"]["delay_max_ms"] == 200 for x in a), "delay_max_ms is the top of the range")
    check(all(0 <= d <= 200 for d in da) and len(set(da)) > 50,
          f"delay_ms spreads over [0, 200] ({len(set(da))} distinct)")
    u1 = [x["advice"]["delay_ms"] for x in json_lines(run("--response", "-", "--json", stdin=many), "unseeded")]
    u2 = [x["advice"]["delay_ms"] for x in json_lines(run("--response", "-", "--json", stdin=many), "unseeded")]
    check(u1 != u2, "without --seed, runs draw differently")
    r = run("--response", "-", "--json", "--seed", "-1", stdin=body)
    expect_rc(r, 2, "--seed -1")
    r = run("--seed", "1", "1003")
    expect_rc(r, 2, "--seed with a query")
    one_error_line(r, "does not apply", "--seed with a query")


def group_edges():
    """The rough edges: other-domain hints, each thing once, blanks,
    conformance messages, help and hints."""
    r = run("6905")
    expect_rc(r, 1, "6905 in rest")
    check("agent:6905 is QUOTA_EXHAUSTED" in r.text, "a hint names the other domain's entry", r)
    doc = json_doc(run("--json", "6905"), "--json 6905")
    if doc:
        check(doc["results"][0]["suggestions"] == ["agent:6905"], "JSON suggests agent:6905")
    check("is " not in run("4000").text.split("\n")[1], "no hint for a code no domain knows")
    r = run("--annotate", stdin=b'{"code":6905}\n')
    check("agent:6905 is QUOTA_EXHAUSTED (try --domain agent)" in r.text, "--annotate hint", r)
    rec = json_lines(run("--annotate", "--json", stdin=b'{"code":6905}\n'), "annotate json hint")
    check(rec and rec[0]["elsewhere"] == {"domain": "agent", "key": "6905", "name": "QUOTA_EXHAUSTED",
                                          "category": "rate_limit", "retry": "backoff"},
          "JSON record: elsewhere is the other domain's entry, its identity", rec)

    r = run("--response", "-", "--http", "500", stdin=b'{"code":5003}\n')
    advice = "Throttled or temporarily unavailable; wait with exponential backoff and jitter, then resend."
    check(r.text.count(advice) == 1, "the advice sentence is printed once", r)
    check(r.text.count("http status:") == 1 and "http status:  429 (documented)" in r.text,
          "the request's status and the entry's documented status are told apart", r)
    check("request:      http 500, not idempotent, attempt 1" in r.text, "one request line", r)

    r = run("  Invalid token  ")
    expect_rc(r, 0, "a message with blanks around it")
    check("MSG_INVALID_TOKEN" in r.text, "blanks around a message are ignored", r)
    r = run("--response", "-", stdin=b'{"message":"  Timestamp outside of tolerance window "}\n')
    check("MSG_TIMESTAMP_OUT_OF_WINDOW" in r.text, "blanks around a body's message are ignored", r)

    for body, kind in ((b"12\n", "a number"), (b'"text"\n', "a string"), (b"[1]\n", "an array"),
                       (b"true\n", "true"), (b"null\n", "null")):
        r = run("--response", "-", stdin=body)
        expect_rc(r, 2, f"--response {body!r}")
        one_error_line(r, f"expected a JSON object \\(a 6MM response body\\), not {kind}$", f"{body!r}")
    r = run("--response", "-", "--json", "--seed", "1", stdin=b'{"code":1002,"message":"a\\u0000b"}\n')
    expect_rc(r, 0, "\\u0000 in a string is valid JSON (RFC 8259)")
    check(b"JSON_ALLOW_NUL" not in r.err, "no library internals in messages", r)
    recs = json_lines(r, "\\u0000")
    check(recs and recs[0]["message"] == "a\u0000b", "the NUL is kept", r)
    for body in (b'{"code":1', b'{"a":01}', b'{"a":"\\x"}', b'{"a":1,}', b"{'a':1}", b'{"a":"\x01"}'):
        r = run("--response", "-", stdin=body + b"\n")
        expect_rc(r, 2, f"RFC 8259 rejects {body!r}")
        check(not r.out, f"{body!r} is never classified", r)
        check(": :" not in r.errtext and "JSON_" not in r.errtext, f"{body!r}: a clean message", r)

    r = run("--list", "--retry", "nope")
    expect_rc(r, 2, "unknown retry class")
    check(r.errtext.count("--help") == 1, "the hint to --help is given once", r)
    r = run("--help")
    flat = " ".join(r.text.split())
    check("rest by default" in flat and "by default all of" in flat,
          "--help states the domain default per mode", r)
    check("--annotate never returns 1" in flat, "--help documents --annotate's exit status", r)
    check("body wins" in flat, "--help says that a body's code wins over --http 0", r)
    r = run("--response", "-", "--http", "0", stdin=b'{"code":1002}\n')
    check("reauthenticate" in r.text, "with --http 0 and a body, the body's code decides", r)

    for name in ("6mm-errinfo.1", "6mm-errinfo.schema.json") if ARGS.docs_dir else ():
        path = os.path.join(ARGS.docs_dir, name)
        check(os.path.isfile(path), f"build/docs/ holds {name}")


def group_reconcile():
    """--reconcile over sixmm_reconcile(): not found resends only after the
    signature window; pending polls, then escalates; final is done."""
    base = ["--reconcile", "--signed-at", "1700000000000"]
    r = run(*base, "--found", "none", "--now", "1700000004000")
    expect_rc(r, 0, "not found inside the window")
    check("step:         poll" in r.text and "wait:         " in r.text, "polls inside the window", r)
    m = re.search(r"wait: +(\d+) ms", r.text)
    check(m is not None, "a fixed wait that reaches the window's end", r)
    if m:
        later = run(*base, "--found", "none", "--now", str(1700000004000 + int(m.group(1))))
        check("step:         resend" in later.text, "after that wait, not found resends", later)
        check("same clientOrderId" in later.text and "never a new order" in later.text,
              "a resend is the same clientOrderId, never a new order", later)
        early = run(*base, "--found", "none", "--now", str(1700000004000 + int(m.group(1)) - 1))
        check("step:         poll" in early.text, "one millisecond before, it still polls", early)
        exact = run(*base, "--found", "none", "--now", "1700000012000", "--clock-error", "0")
        check("step:         resend" in exact.text, "with no clock error, window + lag is enough", exact)
        err = run(*base, "--found", "none", "--now", "1700000012000", "--clock-error", "500")
        check("step:         poll" in err.text, "the clock error moves the instant later", err)
        unknown = run(*base, "--found", "none", "--now", "1700000021999")
        check("step:         poll" in unknown.text and "not known" in unknown.text,
              "by default the clock error is not known: the window stands in for it", unknown)
    r = run(*base, "--found", "final", "--now", "1700000001000")
    expect_rc(r, 0, "final")
    check("step:         done" in r.text, "final is done", r)
    r = run(*base, "--found", "pending", "--now", "1700000001000", "--attempt", "1000")
    expect_rc(r, 1, "pending past the limit escalates (status 1)")
    check("step:         escalate" in r.text, "escalate", r)
    r = run(*base, "--found", "query_failed", "--now", "1700000001000", "--attempt", "2")
    check("step:         poll" in r.text and "\u2013" in r.text, "a failed query polls with a jittered range", r)
    r = run(*base, "--found", "none", "--now", "1700000001000", "--domain", "widget")
    check("step:         poll" in r.text, "no documented window: not found never resends", r)
    a = run(*base, "--found", "pending", "--now", "1", "--attempt", "2", "--json", "--seed", "5")
    b = run(*base, "--found", "pending", "--now", "1", "--attempt", "2", "--json", "--seed", "5")
    doc = json_doc(a, "--reconcile --json")
    if doc:
        check(doc["mode"] == "reconcile" and doc["step"] == "poll" and doc["found"] == "pending",
              "JSON names the step", a)
        check(doc["delay_min_ms"] <= doc["delay_ms"] <= doc["delay_max_ms"], "delay in its range", a)
        check(a.out == b.out, "--seed repeats")
    for argv, pattern in ((["--reconcile", "--found", "none", "--now", "5"], "needs --found, --signed-at and --now"),
                          (base + ["--found", "maybe", "--now", "5"], "unknown --found 'maybe'; known: none, pending, final, query_failed"),
                          (base + ["--found", "none", "--now", "-5"], "--now takes a time"),
                          (["--found", "none", "1003"], "does not apply"),
                          (base + ["--found", "none", "--now", "5", "extra"], "takes no arguments")):
        r = run(*argv)
        expect_rc(r, 2, " ".join(argv))
        one_error_line(r, re.escape(pattern), " ".join(argv))


def group_rough():
    """The rough edges a new user met, one check each: domain prefixes in
    any case, descriptions as queries, the other-domain card, the
    status-decided match, the docs against cli.yaml, zh doc links, every bad
    annotate line, ASCII under a non-UTF-8 locale, the defaults."""
    for q in ("AGENT:6905", "Agent:6905", "agent:6905"):
        r = run(q)
        expect_rc(r, 0, q)
        check("6905  QUOTA_EXHAUSTED  [agent]" in r.text, f"{q}: a domain prefix in any case", r)
    r = run("--domain", "AGENT", "6905")
    expect_rc(r, 0, "--domain AGENT")
    prefix, option = run("Venus:1"), run("--domain", "Venus", "1")
    expect_rc(prefix, 2, "Venus:1")
    expect_rc(option, 2, "--domain Venus")
    wording = "unknown domain 'Venus'; known: rest, agent, widget"
    check(wording in prefix.errtext and wording in option.errtext,
          "one wording for an unknown domain, as a prefix and as --domain", (prefix, option))
    r = run("Unknown:thing")
    one_error_line(r, re.escape("unknown domain 'Unknown'"), "Unknown:thing")

    for q, key in (("Rate limit triggered", "5003"), ("  rate LIMIT   triggered ", "5003"),
                   ("Token 已过期", "1002"), ("token已过期", "1002"), ("TOKEN EXPIRED", "1002"),
                   ("The shared quota for six types of queries has been exhausted", "6905")):
        r = run(q)
        expect_rc(r, 0, f"description {q!r}")
        check(r.text.startswith(key + "  ") and "match:        description" in r.text,
              f"{q!r} resolves to {key} with match description", r)
        doc = json_doc(run("--json", q), f"--json {q!r}")
        if doc:
            res = doc["results"][0]
            check(res["match"] == "description" and res["status"] == "found"
                  and res["entry"]["key"] == key, f"--json {q!r}: match description", doc)
    r = run("--domain", "rest", "The shared quota for six types of queries has been exhausted")
    expect_rc(r, 1, "a description of another domain with --domain rest")
    check("no such name, message, identifier or description" in r.text,
          "the miss says what was tried", r)

    r = run("6905")
    expect_rc(r, 1, "6905 in rest")
    check("agent:6905 is QUOTA_EXHAUSTED" in r.text and "never documented" not in r.text
          and "--domain agent" in r.text, "the 6905 card says one thing: documented in agent", r)
    r = run("4000")
    check("never documented" in r.text and "is QUOTA" not in r.text, "4000 is documented nowhere", r)

    for argv, body in ((["--http", "502"], b"<html>Bad Gateway</html>\n"),
                       (["--http", "429"], b'{"message":"slow down"}\n'),
                       (["--http", "503"], b"")):
        r = run("--response", "-", *argv, stdin=body)
        check("decided by:   the HTTP status (match: status)" in r.text,
              f"{argv} {body!r}: a status-decided answer says so in match", r)
        recs = json_lines(run("--response", "-", "--json", *argv, stdin=body), f"{argv} --json")
        check(recs and recs[0]["advice"]["match"] == "status" and recs[0]["advice"].get("entry") is None,
              f"{argv} {body!r}: JSON match status", recs)
    recs = json_lines(run("--response", "-", "--json", stdin=b'{"code":987654}\n'), "unknown code")
    check(recs and recs[0]["advice"]["match"] == "unknown", "a code no block knows at 200: unknown", recs)

    if ARGS.cli_yaml and ARGS.cli_doc:
        import yaml
        with open(ARGS.cli_yaml, encoding="utf-8") as f:
            cli = yaml.safe_load(f)
        with open(ARGS.cli_doc, encoding="utf-8") as f:
            doc = f.read()
        for o in cli["options"]:
            check(re.search(r"`--%s[ `=]" % re.escape(o["long"]), doc),
                  f"docs/CLI.md names --{o['long']} (codegen/cli.yaml)")
        table = doc[doc.index("## Exit status"):]
        table = table[:table.index("\n## ", 3)]
        for mode in ("--reconcile", "--annotate", "--response", "--list", "--search"):
            check(mode in table, f"the exit table of docs/CLI.md covers {mode}")
        for word in ("--clock-error", "--attempt"):
            check(re.search(r"`%s[^`]*`[^.]*default" % word, doc),
                  f"docs/CLI.md gives the default of {word}")

    r = run("--lang", "zh", "1002")
    check("doc:          https://docs.6mm.com/zh/" in r.text, "--lang zh links the zh page", r)
    check("/zh/" not in run("1002").text.split("doc:")[1].split("\n")[0], "en links the en page")
    doc = json_doc(run("--json", "--lang", "zh", "1002", "widget:auth_exchange_failed", "agent:6905"),
                   "zh doc urls")
    if doc:
        urls = [x["entry"]["doc_url"] for x in doc["results"]]
        check("/zh/" in urls[0] and "/zh/" in urls[1], "JSON zh doc_url for rest and widget", urls)
        check("/zh/" not in urls[2], "no zh page upstream for agent: the English link stays", urls)

    log = b'a\n\xff bad\n{"code":1003}\nb\0c\nd\n\xfe\n'
    r = run("--annotate", stdin=log)
    expect_rc(r, 2, "annotate with three bad lines")
    bad_lines(r, [r"line 2, byte 1: invalid UTF-8", r"line 4, byte 2: NUL byte",
                  r"line 6, byte 1: invalid UTF-8"], "every bad line of an annotate stream")
    check(r.out.startswith(log.split(b"{")[0]) and r.out.count(b"\n") == 6 + 2,
          "every line is still copied through, with the one note", r)

    c = dict(os.environ, LC_ALL="C")
    for argv, stdin in ((["--response", "-", "--http", "503", "--idempotent"], b'{"code":5003}\n'),
                        (["--annotate"], b'x {"code":5003,"message":"caf\xc3\xa9"}\n'),
                        (["--reconcile", "--found", "pending", "--signed-at", "1", "--now", "2",
                          "--attempt", "2"], b""),
                        (["--lang", "zh", "1002"], b""),
                        (["--lang", "zh", "--list"], b""),
                        (["Token 已过期"], b"")):
        r = run(*argv, stdin=stdin, env=c)
        body = r.out if argv[0] != "--annotate" else r.out.split(b"\n", 1)[1]
        check(r.rc in (0, 1) and all(b < 0x80 for b in body), f"LC_ALL=C {argv}: ASCII text only", r)
    r = run("--lang", "zh", "1002", env=c)
    check("Token expired" in r.text and "not UTF-8" in r.errtext, "zh under LC_ALL=C: English, said once", r)
    doc = json_doc(run("--json", "--lang", "zh", "1002", env=c), "--json under LC_ALL=C")
    check(doc and doc["results"][0]["entry"]["description"] == "Token 已过期",
          "JSON stays UTF-8 under any locale", doc)

    r = run("5003")
    check("retry:        backoff (at most 5 resends)" in r.text, "the retry limit counts resends", r)
    flat = " ".join(run("--help").text.split())
    check("1 for the first send (the default)" in flat, "--help gives --attempt's default", flat[:200])
    check("By default it is not known" in flat, "--help gives --clock-error's default", flat[:200])


IDENTITY = ["domain", "key", "name", "category", "retry", "http_status"]


def group_shape():
    """One record shape: every mode carries the one entry object (and the
    streams the one advice object); .results[].entry.name works on every
    document; a stream's entry is its identity unless --full, and then it is
    the query's entry, member for member; records stay small."""
    for argv in (["1002", "agent:6905"], ["--list"], ["--search", "token"]):
        doc = json_doc(run("--json", *argv), f"--json {argv}")
        names = [x["entry"]["name"] for x in doc["results"]] if doc else []
        check(names and all(names), f".results[].entry.name on {argv}: {names[:3]}", doc)
        if shutil.which("jq"):
            p = subprocess.run(["jq", "-r", ".results[].entry.name"], input=run("--json", *argv).out,
                               stdout=subprocess.PIPE)
            check(p.returncode == 0 and p.stdout.decode().split() == names,
                  f"jq '.results[].entry.name' on {argv}", p.stdout[:200])
    query = json_doc(run("--json", "1002"), "query 1002")
    body = b'{"code":1002,"message":"Token expired","requestId":"r-1"}\n'
    for mode in (["--response", "-"], ["--annotate"]):
        compact = json_lines(run(*mode, "--json", stdin=body), f"{mode} compact")
        full = json_lines(run(*mode, "--json", "--full", stdin=body), f"{mode} --full")
        if not (compact and full and query):
            continue
        e = compact[0]["advice"]["entry"]
        check(list(e) == IDENTITY, f"{mode}: the stream's entry is its identity: {list(e)}", e)
        check(full[0]["advice"]["entry"] == query["results"][0]["entry"],
              f"{mode} --full: the same entry object as the query's", full)
        q = query["results"][0]["entry"]
        check({k: q[k] for k in IDENTITY} == e, f"{mode}: the identity members equal the query's", e)
        check("reason" not in compact[0]["advice"] and full[0]["advice"]["reason"]
              and full[0]["attempt"] == 1 and "attempt" not in compact[0]
              and full[0]["mode"] == mode[0][2:] and "mode" not in compact[0],
              f"{mode}: --full adds the texts and the options", full)
    if ARGS.bench:
        import importlib.util
        spec = importlib.util.spec_from_file_location("cli_bench", ARGS.bench)
        bench = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(bench)
        for shape in ("app", "dense", "responses"):
            path = os.path.join(ARGS.tmp, f"{shape}.log")
            bench.build(path, 20000, bench.SHAPES[shape])
            with open(path, "rb") as f:
                data = f.read()
            mode = ["--response", "-"] if shape == "responses" else ["--annotate"]
            r = run(*mode, "--json", stdin=data)
            n = r.out.count(b"\n")
            avg = len(r.out) / n if n else 0
            check(n > 1000 and avg <= 300, f"{shape}: {n} records, {avg:.0f} bytes each on average "
                  f"(at most 300)")
            print(f"{shape}: {n} records of {avg:.0f} bytes on average")


GROUPS = {name[len("group_"):]: fn for name, fn in globals().items() if name.startswith("group_")}


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--schema")
    ap.add_argument("--golden")
    ap.add_argument("--man")
    ap.add_argument("--completion")
    ap.add_argument("--docs-dir", help="build/docs/, where the man page and the schema are copied")
    ap.add_argument("--tmp", default=os.environ.get("TMPDIR", "/tmp"))
    ap.add_argument("--cli-yaml", help="codegen/cli.yaml, the options docs/CLI.md must cover")
    ap.add_argument("--cli-doc", help="docs/CLI.md")
    ap.add_argument("--bench", help="bench/logs/cli_bench.py, whose logs the shape group reads")
    ap.add_argument("--rss-limit-kb", type=int, default=16384)
    ap.add_argument("group", choices=sorted(GROUPS))
    ARGS = ap.parse_args()
    os.makedirs(ARGS.tmp, exist_ok=True)
    GROUPS[ARGS.group]()
    print(f"{ARGS.group}: {len(FAILURES)} failure(s)")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
