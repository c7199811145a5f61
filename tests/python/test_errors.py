"""raise_for_response() and the exceptions: one subclass per category,
named from the library's own category names."""
import pytest

import sixmm_errinfo as se
from sixmm_errinfo import _native

SUCCESS = se.lookup(0).entry


def camel(name: str) -> str:
    return "Sixmm" + "".join(p.capitalize() for p in name.split("_")) + "Error"


def test_there_is_one_exception_per_category_but_success() -> None:
    assert SUCCESS is not None
    names = _native.names(_native.lib.sixmm_category_name)
    want = [camel(n) for n in names if n != SUCCESS.category.value]
    got = [n for n in se.__all__ if n.startswith("Sixmm") and n != "SixmmError"]
    assert got == want
    for n in names:
        if n != SUCCESS.category.value:
            cls = getattr(se, camel(n))
            assert issubclass(cls, se.SixmmError) and cls.category is se.Category(n)
            assert cls.__doc__


def test_success_returns_the_data() -> None:
    body = b'{"code":0,"message":"success","data":{"orderId":"42"},"requestId":"r1"}'
    assert se.raise_for_response(200, body, idempotent=False) == {"orderId": "42"}
    assert se.raise_for_response(200, {"code": 0}, idempotent=True) is None


@pytest.mark.parametrize("e", [e for e in se.entries() if e.code not in (None, 0)],
                         ids=lambda e: f"{e.domain.value}:{e.key}")
def test_every_documented_code_raises_its_category(e: se.Entry) -> None:
    body = {"code": e.code, "message": "as sent", "requestId": "req-7", "data": [1]}
    status = e.http_status or 400
    with pytest.raises(se.SixmmError) as info:
        se.raise_for_response(status, body, idempotent=False, domain=e.domain)
    exc = info.value
    assert type(exc) is getattr(se, camel(e.category.value))
    assert (exc.code, exc.message, exc.request_id, exc.http_status, exc.data) == \
        (e.code, "as sent", "req-7", status, [1])
    assert exc.entry is e and exc.advice.entry is e
    assert exc.advice == se.classify_response(status, body, idempotent=False,
                                              domain=e.domain, random=0)._replace(
        delay_ms=exc.advice.delay_ms)
    assert e.name in str(exc) and "as sent" in str(exc)


def test_a_call_nothing_matched_raises_the_base_or_unknown_class() -> None:
    with pytest.raises(se.SixmmError) as info:
        se.raise_for_response(503, b"<html>Service Unavailable</html>", idempotent=False)
    exc = info.value
    assert exc.entry is None and exc.code is None
    assert exc.advice.action is se.Retry.RECONCILE and not exc.advice.resend
    assert "HTTP 503" in str(exc)
    # The library's category for "no entry" (never success).
    nothing = se._entry.CATEGORIES[_native.lib.sixmm_entry_category(None)]
    assert nothing is not se.Category.SUCCESS
    assert type(exc) is getattr(se, camel(nothing.value))


def test_a_rate_limit_is_caught_as_such() -> None:
    with pytest.raises(se.SixmmRateLimitError) as info:
        se.raise_for_response(429, '{"code":5003,"message":"Rate limit triggered"}',
                              idempotent=True, attempt=2)
    assert info.value.advice.resend and info.value.advice.delay_max_ms > 0
