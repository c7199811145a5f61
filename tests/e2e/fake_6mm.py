#!/usr/bin/env python3
"""A fake 6MM REST server on loopback, for the end-to-end test.

    fake_6mm.py --spec spec.json --ledger FILE --secret S --key K [--seed N]

It prints the port it listens on (an ephemeral one) on the first line of
stdout, then serves until it gets SIGTERM; its fault counts go to stderr.

What it checks, as the 6MM docs describe it: the X-API-KEY header; the
signature (HMAC-SHA256 keyed with the secret over the query string without
`signature`, in the order sent, followed by the raw body); the signed
timestamp within the signature window of server time; and, on the place
path, that the signature was never accepted before ("Signature replay
detected", 3004). It does not deduplicate clientOrderId. Every execution is
appended to the ledger, one clientOrderId a line.

Its clock runs ahead of the machine's, so a client must measure the offset
with GET /v1/time. Faults are drawn from a PRNG seeded with (seed,
clientOrderId, how many place requests that id has made), so each order
meets the same faults on every run.
"""

import argparse
import hashlib
import hmac
import json
import random
import signal
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CLOCK_AHEAD_MS = 15000   # more than the window: an unsynced client is refused
QUERY_LAG_MAX_S = 0.5    # within the spec's lag

# Probabilities per place request, checked in this order.
FAULTS = [
    ("drop_before", 0.05),     # connection closed, nothing executed
    ("delay", 0.03),           # held 2.5..14 s before the server sees it
    ("rate_limited", 0.03),    # 429 / 5003
    ("unavailable", 0.04),     # 5002, nothing executed
    ("error_before", 0.04),    # 5001, nothing executed
]
AFTER_EXECUTION = [
    ("error_after", 0.04),     # 5001 after executing
    ("lost_after", 0.04),      # connection closed after executing
    ("hang_after", 0.03),      # answered after the client's timeout
]
QUERY_FAIL = 0.05


class State:
    def __init__(self, args, spec):
        self.args = args
        self.window_ms = spec["window_ms"]
        self.msg_timestamp = spec["msg_timestamp"]
        self.msg_replay = spec["msg_replay"]
        self.errors = spec["errors"]
        self.lock = threading.Lock()
        self.seen = set()           # accepted signatures on the place path
        self.executed = {}          # clientOrderId -> server time (s) of first execution
        self.places = {}            # clientOrderId -> place requests so far
        self.queries = {}           # clientOrderId -> status queries so far
        self.counts = {}
        self.ledger = open(args.ledger, "a", encoding="ascii")

    def count(self, what):
        with self.lock:
            self.counts[what] = self.counts.get(what, 0) + 1


def server_ms():
    return int(time.time() * 1000) + CLOCK_AHEAD_MS


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state = None

    def log_message(self, fmt, *args):
        pass

    def reply(self, http, code, message, data=None):
        body = {"code": code, "message": message, "requestId": "req-fake"}
        if data is not None:
            body["data"] = data
        raw = json.dumps(body).encode()
        self.send_response(http)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def fail(self, name, message=None):
        """Answer with the catalog's code `name`, under the HTTP status and with
        the text the catalog gives it (or `message`, a text the server sends)."""
        e = self.state.errors[name]
        self.reply(e["http"], e["code"], message or e["message"])

    def drop(self):
        """Close without an answer: the client sees the connection fail."""
        self.close_connection = True

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n).decode() if n else ""

    def authenticate(self, query, body):
        """None when the request may proceed, else the refusal already sent."""
        st = self.state
        if self.headers.get("X-API-KEY") != st.args.key:
            self.fail("NO_AUTH")
            return False
        parts = query.split("&") if query else []
        sent = [p for p in parts if p.startswith("signature=")]
        unsigned = "&".join(p for p in parts if not p.startswith("signature="))
        want = hmac.new(st.args.secret.encode(), (unsigned + body).encode(),
                        hashlib.sha256).hexdigest()
        if len(sent) != 1 or not hmac.compare_digest(sent[0][len("signature="):], want):
            st.count("bad_signature")
            self.fail("INVALID_CREDENTIALS")
            return False
        params = urllib.parse.parse_qs(unsigned)
        try:
            ts = int(params["timestamp"][0])
        except (KeyError, ValueError):
            self.fail("MISSING_PARAMETER")
            return False
        if abs(server_ms() - ts) > st.window_ms:
            st.count("outside_window")
            self.fail("INVALID_CREDENTIALS", st.msg_timestamp)
            return False
        return sent[0]

    def do_GET(self):
        path, _, query = self.path.partition("?")
        if path == "/v1/time":
            self.reply(200, 0, "success", {"timestampMs": server_ms()})
        elif path == "/v1/private/order":
            self.query(query)
        else:
            self.fail("INVALID_PARAMETER")

    def do_POST(self):
        path, _, query = self.path.partition("?")
        body = self.body()
        if path != "/v1/private/order/place":
            self.fail("INVALID_PARAMETER")
            return
        self.place(query, body)

    def query(self, query):
        st = self.state
        if not self.authenticate(query, ""):
            return
        cid = urllib.parse.parse_qs(query).get("clientOrderId", [""])[0]
        with st.lock:
            nth = st.queries.get(cid, 0)
            st.queries[cid] = nth + 1
        rng = random.Random(f"{st.args.seed}/{cid}/q/{nth}")
        if rng.random() < QUERY_FAIL:
            st.count("query_failed")
            self.fail("INTERNAL_ERROR")
            return
        with st.lock:
            at = st.executed.get(cid)
        if at is not None and time.time() - at >= rng.uniform(0, QUERY_LAG_MAX_S):
            self.reply(200, 0, "success", {"clientOrderId": cid, "status": "FILLED"})
        else:
            self.fail("ORDER_NOT_FOUND")

    def place(self, query, body):
        st = self.state
        try:
            cid = json.loads(body)["clientOrderId"]
        except (ValueError, KeyError, TypeError):
            self.fail("MISSING_PARAMETER")
            return
        with st.lock:
            nth = st.places.get(cid, 0)
            st.places[cid] = nth + 1
        rng = random.Random(f"{st.args.seed}/{cid}/{nth}")
        fault = next((name for name, p in FAULTS if rng.random() < p), None)
        if fault:
            st.count(fault)
        if fault == "drop_before":
            return self.drop()
        if fault == "delay":
            time.sleep(rng.uniform(2.5, 14.0))
        sig = self.authenticate(query, body)
        if not sig:
            return
        with st.lock:
            replay = sig in st.seen
            st.seen.add(sig)
        if replay:
            st.count("replay")
            self.fail("DUPLICATE_REQUEST", st.msg_replay)
            return
        if fault == "rate_limited":
            return self.fail("RATE_LIMITED")
        if fault == "unavailable":
            return self.fail("SERVICE_UNAVAILABLE")
        if fault == "error_before":
            return self.fail("INTERNAL_ERROR")
        with st.lock:
            st.executed.setdefault(cid, time.time())
            st.ledger.write(cid + "\n")
            st.ledger.flush()
        after = next((name for name, p in AFTER_EXECUTION if rng.random() < p), None)
        if after:
            st.count(after)
        if after == "error_after":
            return self.fail("INTERNAL_ERROR")
        if after == "lost_after":
            return self.drop()
        if after == "hang_after":
            time.sleep(st.args.client_timeout_ms / 1000 + 0.5)
        self.reply(200, 0, "success", {"clientOrderId": cid, "orderId": "1",
                                       "status": "NEW", "timestamp": server_ms()})


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128   # every client thread may connect at once

    def handle_error(self, request, client_address):
        """A client that timed out and hung up is part of the test, not an error."""
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--spec", required=True, help="generated e2e/spec.json")
    ap.add_argument("--ledger", required=True)
    ap.add_argument("--secret", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--client-timeout-ms", type=int, default=2000)
    args = ap.parse_args()
    with open(args.spec, encoding="utf-8") as f:
        spec = json.load(f)
    Handler.state = State(args, spec)
    server = Server(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)

    def stop(*_):
        threading.Thread(target=server.shutdown).start()
    signal.signal(signal.SIGTERM, stop)
    server.serve_forever()
    print(json.dumps(Handler.state.counts, sort_keys=True), file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
