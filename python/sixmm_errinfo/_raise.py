"""raise_for_response(): a response body's data, or the right SixmmError."""
from typing import Any, Optional, Type

from ._advice import Advice, ParsedBody, classify, parse_body
from ._entry import CATEGORIES, DomainLike, lookup
from ._error import SixmmError
from ._native import lib
from ._response import _MISSING, Body, status_and_body
from ._spec import ERRORS

# Code 0 is the only success; the advisor's action for it means "done".
_DONE = lookup(0).entry.retry  # type: ignore[union-attr]
# What the library says about a call that nothing in the catalog matched.
_NOTHING_KNOWN = CATEGORIES[lib.sixmm_entry_category(None)]


def error_for(http_status: int, body: Body, advice: Advice) -> SixmmError:
    """The exception for a call that did not succeed, given its advice (for
    example after Budget.apply()): the SixmmError subclass of the deciding
    entry's category, to raise."""
    return _error(http_status, parse_body(body), advice)


def _error(http_status: int, b: ParsedBody, advice: Advice) -> SixmmError:
    entry = advice.entry
    category = entry.category if entry is not None else _NOTHING_KNOWN
    # Only success has no class, and a call that failed is never filed under it.
    cls: Type[SixmmError] = ERRORS.get(category, SixmmError)
    head = f"{b.code}" if b.code is not None else f"HTTP {http_status}"
    if entry is not None:
        head += f" {entry.name}"
    text = f"{head}: {b.message or (entry.description() if entry else 'no message')}" \
           f" ({advice.action.value}: {advice.reason})"
    return cls(text, code=b.code, message=b.message, request_id=b.request_id,
               http_status=http_status, entry=entry, advice=advice, data=b.data)


def raise_for_response(response: Any, body: Body = _MISSING, *, idempotent: bool = False,
                       attempt: int = 1, domain: DomainLike = "rest",
                       random: Optional[int] = None) -> Any:
    """Return the body's ``data`` when the call succeeded (code 0), else
    raise the SixmmError subclass of the category that decided.

    Takes what classify_response() takes: a requests.Response or an
    httpx.Response, a (status, body) pair, or status and body. The exception
    carries the advice, so a retry loop can catch SixmmError and read
    ``exc.advice.resend``.
    """
    http_status, raw_body = status_and_body(response, body)
    b = parse_body(raw_body)
    advice = classify(http_status=http_status, code=b.code, message=b.message,
                      idempotent=idempotent, attempt=attempt, domain=domain, random=random)
    if advice.action is _DONE:
        return b.data
    raise _error(http_status, b, advice)
