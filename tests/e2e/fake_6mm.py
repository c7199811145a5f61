#!/usr/bin/env python3
"""A fake 6MM REST server on loopback, for the end-to-end tests.

    fake_6mm.py --spec spec.json --ledger FILE --secret S --key K [options]

It prints the port it listens on (an ephemeral one) on the first line of
stdout, then serves until it gets SIGTERM; its counts go to stderr as one
JSON object.

What it checks, as the 6MM docs describe it: the X-API-KEY header (and with
--token-ttl-ms an `Authorization: Bearer` token from POST
/v1/public/user/login, which expires: 1002); the signature (HMAC-SHA256
keyed with the secret over the query string without `signature`, in the
order sent, followed by the raw body); the signed timestamp within the
signature window of server time; on the place path that the signature was
never recorded before (3004); and a real quota (429/5003). The order of
those checks is --server-order (exchange.py). It does not deduplicate
clientOrderId. Every execution is appended to the ledger as
`CLIENT_ORDER_ID STATUS`.

Its clock runs ahead of the machine's and drifts (--drift-ppm). A status
query sees an executed order only after a lag of up to --lag-ms (the spec's
bound by default). With --duplicate P, a place request is delivered a
second time (identical bytes, up to --duplicate-gap-ms later), as a proxy
that retries would. Faults are drawn from a PRNG seeded with (seed,
clientOrderId, how many place requests that id has made), so each order
meets the same faults on every run.

It also counts what the client's transport does: `reused_connection` (an
order request on a connection that carried an earlier request) and
`transport_replay` (an order request whose exact bytes arrived before).
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

from exchange import SERVER_ORDERS, Answer, Exchange

PLACE = "/v1/private/order/place"
QUERY = "/v1/private/order"
LOGIN = "/v1/public/user/login"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    exchange = None

    def setup(self):
        super().setup()
        self.served = 0   # requests read on this connection so far

    def log_message(self, fmt, *args):
        pass

    def send(self, answer):
        if answer.drop:
            self.close_connection = True
            return
        if answer.hang_s:
            time.sleep(answer.hang_s)
        body = {"code": answer.code, "message": answer.message, "requestId": "req-fake"}
        if answer.data is not None:
            body["data"] = answer.data
        raw = json.dumps(body).encode()
        self.send_response(answer.http)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n).decode() if n else ""

    def signed(self, query, body):
        """(signature, timestamp) of a correctly signed request, else None."""
        ex = self.exchange
        parts = query.split("&") if query else []
        sent = [p for p in parts if p.startswith("signature=")]
        unsigned = "&".join(p for p in parts if not p.startswith("signature="))
        want = hmac.new(ex.args.secret.encode(), (unsigned + body).encode(),
                        hashlib.sha256).hexdigest()
        if len(sent) != 1 or not hmac.compare_digest(sent[0][len("signature="):], want):
            return None
        try:
            ts = int(urllib.parse.parse_qs(unsigned)["timestamp"][0])
        except (KeyError, ValueError):
            return None
        return sent[0], ts

    def bearer(self):
        auth = self.headers.get("Authorization") or ""
        return auth[len("Bearer "):] if auth.startswith("Bearer ") else None

    def handle_one_request(self):
        self.served += 1
        super().handle_one_request()

    def do_GET(self):
        ex = self.exchange
        path, _, query = self.path.partition("?")
        if path == "/v1/time":
            return self.send(Answer(data={"timestampMs": ex.now_ms()}))
        if path != QUERY:
            return self.send(ex.fail("INVALID_PARAMETER"))
        refused = ex.authorize(self.headers.get("X-API-KEY"), self.bearer())
        if refused:
            return self.send(refused)
        signed = self.signed(query, "")
        if not signed:
            ex.count("bad_signature")
            return self.send(ex.fail("INVALID_CREDENTIALS"))
        cid = urllib.parse.parse_qs(query).get("clientOrderId", [""])[0]
        self.send(ex.query(cid, signed[1]))

    def do_POST(self):
        ex = self.exchange
        path, _, query = self.path.partition("?")
        body = self.body()
        if path == LOGIN:
            return self.send(ex.login(self.headers.get("X-API-KEY"),
                                      self.signed(query, body) is not None))
        if path != PLACE:
            return self.send(ex.fail("INVALID_PARAMETER"))
        if self.served > 1:
            ex.count("reused_connection")
        ex.arrival(query, body)
        headers = (self.headers.get("X-API-KEY"), self.bearer())
        rng = random.Random(f"{ex.args.seed}/copy/{query}")
        if rng.random() < ex.args.duplicate:
            gap = rng.uniform(0, ex.args.duplicate_gap_ms / 1000)
            threading.Thread(target=self.copy, args=(gap, query, body, headers),
                             daemon=True).start()
        self.send(place(ex, query, body, headers, self.signed, copy=False))

    def copy(self, gap, query, body, headers):
        """The second delivery of a request; its answer goes nowhere."""
        time.sleep(gap)
        self.exchange.count("copy_delivered")
        place(self.exchange, query, body, headers, self.signed, copy=True)


def place(ex, query, body, headers, signed_of, copy):
    try:
        cid = json.loads(body)["clientOrderId"]
    except (ValueError, KeyError, TypeError):
        return ex.fail("MISSING_PARAMETER")
    refused = ex.authorize(*headers)
    if refused:
        return refused
    signed = signed_of(query, body)
    if not signed:
        ex.count("bad_signature")
        return ex.fail("INVALID_CREDENTIALS")
    return ex.place(cid, signed[0], signed[1], copy)


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
    ap.add_argument("--server-order", choices=sorted(SERVER_ORDERS), default="window-first")
    ap.add_argument("--faults", type=int, choices=(0, 1), default=1,
                    help="inject drops, delays, 5002, 5001, lost answers (1)")
    ap.add_argument("--lag-ms", type=int, default=None,
                    help="the longest query lag (default: the spec's bound)")
    ap.add_argument("--drift-ppm", type=float, default=None,
                    help="how much faster the server's clock runs than the machine's "
                         "(default: 0.9 x the spec's bound)")
    ap.add_argument("--duplicate", type=float, default=0.0,
                    help="probability that a place request is delivered twice")
    ap.add_argument("--duplicate-gap-ms", type=int, default=12000)
    ap.add_argument("--quota-per-s", type=float, default=0.0, help="0: no quota")
    ap.add_argument("--quota-burst", type=int, default=10)
    ap.add_argument("--token-ttl-ms", type=int, default=0,
                    help="require a token from the login path, valid this long (0: none)")
    ap.add_argument("--reject", type=float, default=0.0,
                    help="probability that an executed order ends REJECTED")
    ap.add_argument("--pending", type=float, default=0.0,
                    help="probability that an executed order stays PENDING")
    args = ap.parse_args()
    with open(args.spec, encoding="utf-8") as f:
        spec = json.load(f)
    Handler.exchange = Exchange(args, spec)
    server = Server(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)

    def stop(*_):
        threading.Thread(target=server.shutdown).start()
    signal.signal(signal.SIGTERM, stop)
    server.serve_forever()
    print(json.dumps(Handler.exchange.counts, sort_keys=True), file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
