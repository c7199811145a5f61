"""Place one order on the 6MM REST API, following sixmm_errinfo's advice.

    python3 request_loop.py BASE_URL API_KEY SECRET SYMBOL SIDE QUANTITY PRICE

Standard library only (urllib). Every send goes through one Throttle and
every outcome through one Budget, shared by all threads of the client. An
order whose outcome is unknown is never placed again blindly: it is looked
up by its clientOrderId, and only resent (same id, new signature) when the
reconcile step says that the first send can no longer execute.
"""
import hashlib
import hmac
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any, Dict, List, Optional, Tuple

import sixmm_errinfo as se

TIMEOUT_S = 10
CLOCK_ERROR_MS = 250   # how far our estimate of the server's clock may be off

# The REST API documents no quota: these numbers are the client's own choice.
throttle = se.Throttle(rate_per_s=10, burst=10, concurrency=4)
budget = se.Budget("rest")
ORDER_NOT_FOUND = se.lookup_name("ORDER_NOT_FOUND").entry

Reply = Tuple[int, Optional[bytes], int]   # HTTP status (0: none), body, signed timestamp


class Client:
    def __init__(self, base_url: str, api_key: str, secret: str) -> None:
        self.base_url, self.api_key, self.secret = base_url, api_key, secret.encode()
        self.offset_ms = 0   # server clock minus ours

    def server_ms(self) -> int:
        return int(time.time() * 1000) + self.offset_ms

    def sync_clock(self) -> None:
        """GET /v1/time; the server's time was read about half-way through."""
        before = time.time() * 1000
        with urllib.request.urlopen(self.base_url + "/v1/time", timeout=TIMEOUT_S) as r:
            server = json.load(r)["data"]["timestampMs"]
        self.offset_ms = int(server - (before + time.time() * 1000) / 2)

    def send(self, method: str, path: str, query: Dict[str, str],
             body: Optional[bytes]) -> Reply:
        """One signed send, in its turn: a new timestamp and signature each time."""
        signed_at = self.server_ms()
        qs = urllib.parse.urlencode(dict(query, timestamp=str(signed_at)))
        sig = hmac.new(self.secret, qs.encode() + (body or b""), hashlib.sha256).hexdigest()
        req = urllib.request.Request(
            f"{self.base_url}{path}?{qs}&signature={sig}", data=body, method=method,
            headers={"X-API-KEY": self.api_key, "Content-Type": "application/json"})
        with throttle.slot():
            try:
                with urllib.request.urlopen(req, timeout=TIMEOUT_S) as r:
                    return r.status, r.read(), signed_at
            except urllib.error.HTTPError as e:
                return e.code, e.read(), signed_at
            except (urllib.error.URLError, OSError):
                return 0, None, signed_at   # no answer: the outcome is unknown

    def advise(self, reply: Reply, idempotent: bool, attempt: int) -> se.Advice:
        advice = se.classify_response(reply[0], reply[1], idempotent=idempotent,
                                      attempt=attempt)
        throttle.feedback(advice)
        return budget.apply(advice)

    def find_order(self, symbol: str, client_order_id: str) -> Tuple[se.Found, Any]:
        """Query the order by its clientOrderId: found (with its data) or not."""
        reply = self.send("GET", "/v1/private/order",
                          {"symbol": symbol, "clientOrderId": client_order_id}, None)
        advice = self.advise(reply, idempotent=True, attempt=1)
        if advice.action is se.Retry.NONE:
            return se.Found.FINAL, json.loads(reply[1] or b"{}").get("data")
        if advice.entry is not None and advice.entry is ORDER_NOT_FOUND:
            return se.Found.NONE, None
        return se.Found.QUERY_FAILED, None

    def place_order(self, order: Dict[str, Any]) -> Any:
        """POST /v1/private/order/place; the order's data, or a SixmmError."""
        order = dict(order, clientOrderId=order.get("clientOrderId") or uuid.uuid4().hex)
        body = json.dumps(order).encode()
        attempt = 1
        while True:
            reply = self.send("POST", "/v1/private/order/place", {}, body)
            advice = self.advise(reply, idempotent=False, attempt=attempt)
            if advice.action is se.Retry.NONE:
                return json.loads(reply[1] or b"{}").get("data")
            if advice.resend:
                if advice.action is se.Retry.RESYNC_CLOCK:
                    self.sync_clock()
                time.sleep(advice.delay_ms / 1000)
                attempt += 1
                continue
            if advice.action is not se.Retry.RECONCILE:
                # Rejected, a wrong request, or the budget is spent: the
                # category's exception (SixmmBusinessError, ...).
                raise se.error_for(reply[0], reply[1], advice)
            # The outcome is unknown: look the order up before anything else.
            for query in range(1, 1000):
                found, data = self.find_order(order["symbol"], order["clientOrderId"])
                step = se.reconcile(found=found, signed_at_ms=reply[2],
                                    now_ms=self.server_ms(), clock_error_ms=CLOCK_ERROR_MS,
                                    attempt=query)
                if step.step is se.Step.DONE:
                    return data
                if step.step is not se.Step.POLL:
                    break
                time.sleep(step.delay_ms / 1000)
            if step.step is se.Step.RESEND:   # same clientOrderId, new signature
                attempt += 1
                continue
            # Past the reconcile limit: a person must look at this order.
            raise se.error_for(reply[0], reply[1], advice._replace(reason=step.reason))

def main(argv: List[str]) -> int:
    if len(argv) != 8:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    base, key, secret, symbol, side, quantity, price = argv[1:]
    client = Client(base, key, secret)
    client.sync_clock()
    try:
        data = client.place_order({"symbol": symbol, "side": side, "type": "LIMIT",
                                   "timeInForce": "GTC", "quantity": quantity,
                                   "price": price})
    except se.SixmmError as exc:
        print(f"order failed: {exc} (requestId {exc.request_id})", file=sys.stderr)
        return 1
    print(json.dumps(data))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
