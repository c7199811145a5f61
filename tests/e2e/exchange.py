"""The fake 6MM server's decisions, apart from HTTP: its clock, the checks of
a signed request in a configurable order, the quota limiter, tokens, the
faults it injects, the orders it holds and the ledger of executions.

Every code, HTTP status, text and order status comes from the generated
e2e/spec.json, by name.

The checks of a place request, in the order --server-order names:
  replay-first   signature, replay, window, limit
  limit-first    signature, limit, window, replay
  window-first   signature, window, replay, limit
  accepted-only  signature, window, limit, replay; a signature is recorded
                 only when its order executes
Everything else (1002 for an expired token, the injected 5002/5001) comes
after them. A signature is recorded when it passes the replay check, so a
copy of it arriving later is refused with 3004 (except accepted-only).
"""

import random
import threading
import time

SERVER_ORDERS = {
    "replay-first": ("replay", "window", "limit"),
    "limit-first": ("limit", "window", "replay"),
    "window-first": ("window", "replay", "limit"),
    "accepted-only": ("window", "limit", "replay"),
}

# Probabilities per place request (not per copy), checked in this order.
FAULTS = [
    ("drop_before", 0.04),     # connection closed, nothing executed
    ("delay", 0.03),           # held 2.5..9 s before the server sees it
    ("unavailable", 0.04),     # 5002, nothing executed
    ("error_before", 0.03),    # 5001, nothing executed
]
AFTER_EXECUTION = [
    ("error_after", 0.04),     # 5001 after executing
    ("lost_after", 0.04),      # connection closed after executing
    ("hang_after", 0.03),      # answered after the client's timeout
]
QUERY_FAIL = 0.05
CLOCK_AHEAD_MS = 15000         # more than the window: an unsynced client is refused


class Answer:
    """What to send back: a JSON body, or `drop` (close without a word)."""

    def __init__(self, http=200, code=0, message="success", data=None, drop=False,
                 hang_s=0.0):
        self.http, self.code, self.message, self.data = http, code, message, data
        self.drop, self.hang_s = drop, hang_s


class Limiter:
    """A token bucket per API key: rate_per_s, burst; 0 turns it off."""

    def __init__(self, rate_per_s, burst):
        self.rate, self.burst = rate_per_s, burst
        self.tokens, self.at = float(burst), time.monotonic()
        self.lock = threading.Lock()

    def allow(self):
        if self.rate <= 0:
            return True
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
            self.at = now
            if self.tokens >= 1:
                self.tokens -= 1
                return True
            return False


class Exchange:
    def __init__(self, args, spec):
        self.args = args
        self.window_ms = spec["window_ms"]
        self.lag_ms = args.lag_ms if args.lag_ms is not None else spec["lag_ms"]
        # Within the clock's bound (sixmm_clock_init 0) unless told otherwise.
        self.drift_ppm = (args.drift_ppm if args.drift_ppm is not None
                          else 0.9 * spec["drift_ppm"])
        self.msg_timestamp = spec["msg_timestamp"]
        self.msg_replay = spec["msg_replay"]
        self.errors = spec["errors"]
        self.statuses = set(spec["statuses"])
        self.order = SERVER_ORDERS[args.server_order]
        self.faults = args.faults
        self.limiter = Limiter(args.quota_per_s, args.quota_burst)
        self.lock = threading.Lock()
        self.seen = set()           # recorded signatures of place requests
        self.arrived = set()        # (query, body) of every place arrival from the network
        self.orders = {}            # clientOrderId -> (server ms executed, lag ms, status)
        self.places, self.queries = {}, {}
        self.tokens = {}            # access token -> server ms it expires at
        self.counts = {}
        self.t0 = time.monotonic()
        self.base_ms = int(time.time() * 1000) + CLOCK_AHEAD_MS
        self.ledger = open(args.ledger, "a", encoding="ascii")

    # ---- bookkeeping -------------------------------------------------------
    def count(self, what, n=1):
        with self.lock:
            self.counts[what] = self.counts.get(what, 0) + n

    def status(self, wire):
        """An order status by its wire text, which the spec must list."""
        if wire not in self.statuses:
            raise KeyError(f"the spec lists no order status {wire}")
        return wire

    def now_ms(self):
        """Server time: ahead of the machine, and running at (1 + drift) the
        rate of its monotonic clock."""
        elapsed = time.monotonic() - self.t0
        return self.base_ms + int(elapsed * 1000 * (1 + self.drift_ppm / 1e6))

    def fail(self, name, message=None):
        e = self.errors[name]
        return Answer(e["http"], e["code"], message or e["message"])

    # ---- authentication ------------------------------------------------------
    def login(self, key, signature_ok):
        if key != self.args.key:
            return self.fail("NO_AUTH")
        if not signature_ok:
            self.count("bad_signature")
            return self.fail("INVALID_CREDENTIALS")
        token = f"tok-{random.getrandbits(64):016x}"
        expires = self.now_ms() + self.args.token_ttl_ms
        with self.lock:
            self.tokens[token] = expires
        self.count("login")
        return Answer(data={"accessToken": token, "expiresAt": expires})

    def authorize(self, key, bearer):
        """None when the caller may go on, else the refusal."""
        if key != self.args.key:
            return self.fail("NO_AUTH")
        if self.args.token_ttl_ms <= 0:
            return None
        with self.lock:
            expires = self.tokens.get(bearer)
        if expires is None:
            return self.fail("NO_AUTH")
        if self.now_ms() >= expires:
            self.count("token_expired")
            return self.fail("TOKEN_EXPIRED")
        return None

    # ---- the checks of one signed request ------------------------------------
    def in_window(self, ts):
        return abs(self.now_ms() - ts) <= self.window_ms

    def check(self, name, sig, ts):
        """One check of a place request; None when it passes."""
        if name == "window" and not self.in_window(ts):
            self.count("outside_window")
            return self.fail("INVALID_CREDENTIALS", self.msg_timestamp)
        if name == "limit" and not self.limiter.allow():
            self.count("rate_limited")
            return self.fail("RATE_LIMITED")
        if name == "replay":
            with self.lock:
                replay = sig in self.seen
                if not replay and self.args.server_order != "accepted-only":
                    self.seen.add(sig)
            if replay:
                self.count("replay")
                return self.fail("DUPLICATE_REQUEST", self.msg_replay)
        return None

    # ---- orders --------------------------------------------------------------
    def place(self, cid, sig, ts, copy):
        """A place request whose signature is valid. A copy (delivered a second
        time by the network) meets the checks but no injected fault."""
        with self.lock:
            nth = self.places.get(cid, 0)
            if not copy:
                self.places[cid] = nth + 1
        rng = random.Random(f"{self.args.seed}/{cid}/{nth}/{copy}")
        fault = None
        if self.faults and not copy:
            fault = next((name for name, p in FAULTS if rng.random() < p), None)
        if fault:
            self.count(fault)
        if fault == "drop_before":
            return Answer(drop=True)
        if fault == "delay":
            time.sleep(rng.uniform(2.5, 9.0))
        for name in self.order:
            refused = self.check(name, sig, ts)
            if refused:
                return refused
        if fault == "unavailable":
            return self.fail("SERVICE_UNAVAILABLE")
        if fault == "error_before":
            return self.fail("INTERNAL_ERROR")
        with self.lock:
            if self.args.server_order == "accepted-only":
                if sig in self.seen:
                    self.counts["replay"] = self.counts.get("replay", 0) + 1
                    return self.fail("DUPLICATE_REQUEST", self.msg_replay)
                self.seen.add(sig)
            r = rng.random()
            status = (self.status("REJECTED") if r < self.args.reject
                      else self.status("PENDING") if r < self.args.reject + self.args.pending
                      else self.status("FILLED"))
            # The lag before a query sees the order: up to the bound, and
            # near the bound for a good share of orders.
            lag = self.lag_ms * (rng.uniform(0.9, 1.0) if rng.random() < 0.3 else rng.random())
            first = cid not in self.orders
            if first:
                self.orders[cid] = (self.now_ms(), lag, status)
            self.ledger.write(f"{cid} {status}\n")
            self.ledger.flush()
        self.count("executed")
        if copy:
            self.count("copy_executed")
        after = None
        if self.faults and not copy:
            after = next((name for name, p in AFTER_EXECUTION if rng.random() < p), None)
        if after:
            self.count(after)
        if after == "error_after":
            return self.fail("INTERNAL_ERROR")
        if after == "lost_after":
            return Answer(drop=True)
        hang = self.args.client_timeout_ms / 1000 + 0.5 if after == "hang_after" else 0.0
        return Answer(data={"clientOrderId": cid, "orderId": str(abs(hash(cid)) % 10**9),
                            "status": self.status("NEW"), "timestamp": self.now_ms()},
                      hang_s=hang)

    def query(self, cid, ts):
        if not self.in_window(ts):
            self.count("outside_window")
            return self.fail("INVALID_CREDENTIALS", self.msg_timestamp)
        if not self.limiter.allow():
            self.count("rate_limited")
            return self.fail("RATE_LIMITED")
        with self.lock:
            nth = self.queries.get(cid, 0)
            self.queries[cid] = nth + 1
            order = self.orders.get(cid)
        rng = random.Random(f"{self.args.seed}/{cid}/q/{nth}")
        if self.faults and rng.random() < QUERY_FAIL:
            self.count("query_failed")
            return self.fail("INTERNAL_ERROR")
        if order is not None and self.now_ms() - order[0] >= order[1]:
            return Answer(data={"clientOrderId": cid, "status": order[2]})
        if order is not None:
            self.count("query_lagged")
        return self.fail("ORDER_NOT_FOUND")

    def arrival(self, query, body):
        """A place request from the network: one the client sent again
        itself (identical bytes) is a replay by its transport."""
        with self.lock:
            again = (query, body) in self.arrived
            self.arrived.add((query, body))
        if again:
            self.count("transport_replay")
