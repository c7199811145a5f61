"""docs/PYTHON.md's request loop (python/examples/request_loop.py), run
against a 6MM-like server on loopback that checks every signature."""
import hashlib
import hmac
import http.server
import importlib.util
import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest

import sixmm_errinfo as se

EXAMPLE = Path(__file__).resolve().parents[2] / "python" / "examples" / "request_loop.py"
KEY, SECRET = "key-1", "secret-1"
Answer = Optional[Tuple[int, Dict[str, Any]]]   # None: drop the connection


class Fake6mm(http.server.ThreadingHTTPServer):
    """Answers POST /v1/private/order/place and GET /v1/private/order from
    scripts, GET /v1/time always, and records every request."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.scripts: Dict[str, List[Answer]] = {}
        self.seen: List[Tuple[str, str, Dict[str, str], bytes]] = []
        self.time_calls = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(http.server.BaseHTTPRequestHandler):
    server: Fake6mm

    def log_message(self, *args: Any) -> None:
        pass

    def answer(self, status: int, body: Dict[str, Any]) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def handle_any(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if url.path == "/v1/time":
            self.server.time_calls += 1
            return self.answer(200, {"code": 0, "data": {"timestampMs": int(time.time() * 1000)}})
        signed, _, sig = url.query.rpartition("&signature=")
        want = hmac.new(SECRET.encode(), signed.encode() + body, hashlib.sha256).hexdigest()
        query = dict(urllib.parse.parse_qsl(url.query))
        self.server.seen.append((self.command, url.path, query, body))
        if self.headers.get("X-API-KEY") != KEY or sig != want:
            return self.answer(401, {"code": 1003, "message": "Invalid token"})
        script = self.server.scripts.get(url.path) or []
        reply = script.pop(0) if script else (500, {"code": 5001})
        if reply is None:
            self.close_connection = True
            self.connection.shutdown(2)
            return
        self.answer(*reply)

    do_GET = do_POST = handle_any


@pytest.fixture()
def server() -> Iterator[Fake6mm]:
    s = Fake6mm()
    t = threading.Thread(target=s.serve_forever, daemon=True)
    t.start()
    yield s
    s.shutdown()
    s.server_close()


@pytest.fixture(scope="module")
def example() -> Any:
    spec = importlib.util.spec_from_file_location("request_loop", EXAMPLE)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


ORDER = {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "quantity": "1", "price": "100"}
PLACE, QUERY = "/v1/private/order/place", "/v1/private/order"


def ok(data: Dict[str, Any]) -> Tuple[int, Dict[str, Any]]:
    return 200, {"code": 0, "message": "success", "data": data, "requestId": "r-ok"}


def posts(server: Fake6mm) -> List[Tuple[Dict[str, str], Dict[str, Any]]]:
    return [(q, json.loads(b)) for m, p, q, b in server.seen if p == PLACE]


def test_the_page_shows_the_example_as_it_is(docs_page: str) -> None:
    page = Path(docs_page).read_text()
    assert "<!-- example: python/examples/request_loop.py -->\n```python\n" \
        + EXAMPLE.read_text() + "```\n" in page


def test_a_rate_limit_waits_and_resends_the_same_order(server: Fake6mm, example: Any) -> None:
    server.scripts[PLACE] = [(429, {"code": 5003, "message": "Rate limit triggered"}),
                             ok({"orderId": "1"})]
    assert example.Client(server.url, KEY, SECRET).place_order(ORDER) == {"orderId": "1"}
    (q1, b1), (q2, b2) = posts(server)
    assert b1 == b2 and b1["clientOrderId"]
    assert q1["timestamp"] != q2["timestamp"] or q1["signature"] != q2["signature"]


def test_a_clock_error_resyncs_then_resends(server: Fake6mm, example: Any) -> None:
    server.scripts[PLACE] = [(400, {"message": "Timestamp outside of tolerance window"}),
                             ok({"orderId": "2"})]
    client = example.Client(server.url, KEY, SECRET)
    client.offset_ms = -60_000
    assert client.place_order(ORDER) == {"orderId": "2"}
    assert server.time_calls == 1 and abs(client.offset_ms) < 5_000
    assert len(posts(server)) == 2


@pytest.mark.parametrize("first", [None, (500, {"code": 5001, "message": "Internal"})],
                         ids=["connection-lost", "internal-error"])
def test_an_unknown_outcome_is_looked_up_not_placed_again(server: Fake6mm, example: Any,
                                                          first: Answer) -> None:
    server.scripts[PLACE] = [first]
    server.scripts[QUERY] = [ok({"orderId": "3", "status": "NEW"})]
    data = example.Client(server.url, KEY, SECRET).place_order(ORDER)
    assert data == {"orderId": "3", "status": "NEW"}
    (q, body), = posts(server)
    queries = [q for m, p, q, b in server.seen if p == QUERY]
    assert [q["clientOrderId"] for q in queries] == [body["clientOrderId"]]


def test_a_rejection_raises_its_category(server: Fake6mm, example: Any) -> None:
    server.scripts[PLACE] = [(200, {"code": 3001, "message": "Insufficient balance",
                                    "requestId": "r-9"})]
    with pytest.raises(se.SixmmBusinessError) as info:
        example.Client(server.url, KEY, SECRET).place_order(ORDER)
    assert info.value.request_id == "r-9" and not info.value.advice.resend
    assert len(posts(server)) == 1


def test_the_script_runs_as_a_command(server: Fake6mm) -> None:
    server.scripts[PLACE] = [ok({"orderId": "4"})]
    p = subprocess.run([sys.executable, str(EXAMPLE), server.url, KEY, SECRET, "BTCUSDT", "BUY",
                        "1", "100"], capture_output=True, text=True, env=dict(os.environ))
    assert (p.returncode, json.loads(p.stdout)) == (0, {"orderId": "4"}), p.stderr
    p = subprocess.run([sys.executable, str(EXAMPLE)], capture_output=True, text=True)
    assert p.returncode == 2 and "request_loop.py BASE_URL" in p.stderr
