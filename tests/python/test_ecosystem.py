"""The package among the HTTP clients its users hold: classify_response()
and raise_for_response() take a requests.Response or an httpx.Response
(Debian's python3-requests and python3-httpx) from a real server on
loopback, as well as (status, body); RetryHook drives tenacity.retry
(python3-tenacity); the objects print readably."""
import http.server
import json
import threading
from typing import Any, Dict, Iterator, List, Tuple

import pytest

import sixmm_errinfo as se

requests = pytest.importorskip("requests")
httpx = pytest.importorskip("httpx")
tenacity = pytest.importorskip("tenacity")

# Path -> (status, body) that the loopback server answers.
ANSWERS: Dict[str, Tuple[int, bytes]] = {
    "/ok": (200, b'{"code": 0, "message": "success", "data": {"orderId": "42"}}'),
    "/rate": (429, b'{"code": 5003, "message": "Rate limit triggered", "requestId": "r-1"}'),
    "/creds": (401, b'{"code": 1003, "message": "Invalid token"}'),
    "/html": (502, b"<html>Bad Gateway</html>"),
    "/empty": (503, b""),
}


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status, body = ANSWERS[self.path.split("?")[0]]
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def fetchers() -> List[Any]:
    return [pytest.param(lambda url: requests.get(url, timeout=10), id="requests"),
            pytest.param(lambda url: httpx.get(url, timeout=10), id="httpx")]


@pytest.mark.parametrize("get", fetchers())
@pytest.mark.parametrize("path", sorted(ANSWERS))
def test_a_response_object_classifies_as_its_status_and_body(base: str, get: Any,
                                                              path: str) -> None:
    resp = get(base + path)
    status, body = ANSWERS[path]
    for idempotent in (False, True):
        want = se.classify_response(status, body, idempotent=idempotent, random=7)
        assert se.classify_response(resp, idempotent=idempotent, random=7) == want
        assert se.classify_response((status, body), idempotent=idempotent, random=7) == want


@pytest.mark.parametrize("get", fetchers())
def test_raise_for_response_takes_a_response_object(base: str, get: Any) -> None:
    assert se.raise_for_response(get(base + "/ok")) == {"orderId": "42"}
    with pytest.raises(se.SixmmRateLimitError) as exc:
        se.raise_for_response(get(base + "/rate"), idempotent=True)
    assert (exc.value.code, exc.value.request_id, exc.value.http_status) == (5003, "r-1", 429)
    with pytest.raises(se.SixmmAuthError):
        se.raise_for_response(get(base + "/creds"))


def test_no_http_package_is_imported_by_the_package() -> None:
    import subprocess
    import sys
    code = ("import sys, sixmm_errinfo as se; se.classify_response(200, b'{}'); "
            "print(sorted(m for m in ('requests', 'httpx', 'tenacity') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_what_is_not_a_response_is_refused() -> None:
    with pytest.raises(TypeError, match="status_code and content"):
        se.classify_response(object())
    with pytest.raises(TypeError, match="2 items"):
        se.classify_response((200,))


@pytest.mark.parametrize("found", list(se.Found))
@pytest.mark.parametrize("now", [10_500, 25_000, 100_000])
def test_reconcile_defaults_answer_as_the_cli_defaults(cli: str, found: se.Found,
                                                       now: int) -> None:
    """reconcile() and `6mm-errinfo --reconcile` with only found, signed-at
    and now: the same step, reason and range of waits."""
    import subprocess
    got = json.loads(subprocess.run(
        [cli, "--reconcile", "--json", "--found", found.value, "--signed-at", "10000",
         "--now", str(now)], capture_output=True, text=True).stdout)
    lo = se.reconcile(found=found, signed_at_ms=10_000, now_ms=now, random=0)
    hi = se.reconcile(found=found.value, signed_at_ms=10_000, now_ms=now, random=2**32 - 1)
    assert (lo.step.value, lo.reason, lo.delay_ms, hi.delay_ms) == \
        (got["step"], got["reason"], got["delay_min_ms"], got["delay_max_ms"])


def test_the_defaults_are_the_clis() -> None:
    """Not idempotent (assume the worst), attempt 1, clock error not known."""
    body = b'{"code": 5001}'
    assert se.classify_response(200, body, random=1) == \
        se.classify_response(200, body, idempotent=False, attempt=1, random=1)
    r = se.reconcile(found=se.Found.NONE, signed_at_ms=10_000, now_ms=100_000, random=3)
    assert r == se.reconcile(found="none", signed_at_ms=10_000, now_ms=100_000,
                             clock_error_ms=2**32 - 1, attempt=1, random=3)
    assert se.reconcile(found="query_failed", signed_at_ms=0, now_ms=1).step in se.Step


def test_entry_has_its_retry_limit(cli: str) -> None:
    import subprocess
    listed = json.loads(subprocess.run([cli, "--list", "--json"], capture_output=True,
                                       check=True).stdout)["results"]
    for x, c in zip(se.entries(), listed):
        assert x.max_resends == c["entry"]["max_resends"], x
    # The limit is the one the advisor applies: resends up to it, then none.
    for x in se.entries():
        if x.code is None or x.domain is not se.Domain.REST:
            continue
        resends = [se.classify(http_status=200, code=x.code, idempotent=True, attempt=a,
                               random=0).resend for a in range(1, x.max_resends + 3)]
        if any(resends):
            assert resends == [True] * x.max_resends + [False, False], x


def test_reprs_are_readable() -> None:
    assert repr(se.Throttle("agent")) == \
        "<Throttle agent's quota: 2 requests/s, bursts of 4, at most 2 in flight>"
    assert repr(se.Throttle(rate_per_s=10, burst=5, concurrency=3)) == \
        "<Throttle 10 requests/s, bursts of 5, at most 3 in flight>"
    b = se.Budget("rest")
    assert repr(b) == "<Budget rest: 10 of 10 tokens, +0.1 per success, resends granted>"
    assert "max_resends=5" in repr(se.lookup(5003).entry)
    assert "0x" not in repr(se.RetryHook(budget=b)) + repr(se.explain("1002"))


def test_the_budget_state_follows_its_calls() -> None:
    b = se.Budget("rest")
    assert b.state == se.BudgetState(10.0, 10.0, 0.1, True)
    backoff = se.classify(http_status=503, idempotent=True, random=0)
    assert backoff.resend
    granted = 0
    while b.apply(backoff).resend:
        granted += 1
    assert granted == 5
    assert b.state.resend is False and b.state.tokens == 4.0
    assert "refused" in repr(b)
    b.apply(se.classify(http_status=200, code=0))
    assert b.state.tokens == pytest.approx(4.1)


def calls(base: str, path: str, counter: List[int]) -> Any:
    counter.append(1)
    return se.raise_for_response(requests.get(base + path, timeout=10), idempotent=True)


def test_tenacity_retries_as_advised_until_the_limit(base: str) -> None:
    hook, waits, n = se.RetryHook(idempotent=True), [], []   # type: ignore[var-annotated]
    # stop: a hook that never stops fails here instead of looping for ever.
    retrying = tenacity.retry(retry=hook.retry_if, wait=hook.wait, reraise=True,
                              sleep=waits.append, stop=tenacity.stop_after_attempt(50))
    with pytest.raises(se.SixmmRateLimitError):
        retrying(calls)(base, "/rate", n)
    limit = se.lookup(5003).entry.max_resends  # type: ignore[union-attr]
    assert len(n) == limit + 1 and len(waits) == limit
    tops = [se.classify(http_status=429, code=5003, idempotent=True, attempt=a,
                        random=2**32 - 1).delay_ms / 1000 for a in range(1, limit + 1)]
    assert all(0 <= w <= t for w, t in zip(waits, tops)), (waits, tops)


def test_tenacity_stops_at_once_where_a_resend_cannot_help(base: str) -> None:
    hook, n = se.RetryHook(), []   # type: ignore[var-annotated]
    with pytest.raises(se.SixmmAuthError):
        tenacity.retry(retry=hook.retry_if, wait=hook.wait, reraise=True,
                       sleep=lambda s: None)(calls)(base, "/creds", n)
    assert len(n) == 1


def test_tenacity_passes_success_and_foreign_errors_through(base: str) -> None:
    budget = se.Budget()
    budget.apply(se.classify(http_status=503, idempotent=True))
    hook, n = se.RetryHook(budget=budget), []   # type: ignore[var-annotated]
    wrap = tenacity.retry(retry=hook.retry_if, wait=hook.wait, reraise=True,
                          sleep=lambda s: None)
    assert wrap(calls)(base, "/ok", n) == {"orderId": "42"}
    assert len(n) == 1
    assert budget.state.tokens == pytest.approx(9.1), "the budget sees the success"

    @wrap
    def broken() -> None:
        n.append(1)
        raise KeyError("not ours")
    with pytest.raises(KeyError):
        broken()
    assert len(n) == 2


def test_tenacity_resends_stop_when_the_budget_is_spent(base: str) -> None:
    budget = se.Budget()
    hook, n = se.RetryHook(idempotent=True, budget=budget), []   # type: ignore[var-annotated]
    states: List[Any] = []
    with pytest.raises(se.SixmmRateLimitError):
        tenacity.retry(retry=hook.retry_if, wait=hook.wait, reraise=True,
                       sleep=lambda s: None, before_sleep=states.append)(calls)(base, "/rate", n)
    assert not budget.state.resend
    assert all(s.sixmm_advice.entry is se.lookup(5003).entry for s in states)
    n.clear()
    with pytest.raises(se.SixmmRateLimitError):
        tenacity.retry(retry=hook.retry_if, wait=hook.wait, reraise=True,
                       sleep=lambda s: None)(calls)(base, "/rate", n)
    assert len(n) == 1, "a spent budget must stop the first resend"
    json.dumps(budget.state._asdict())
