"""The retry advisor: sixmm_classify() for Python callers.

The decision is the C library's; this module only fills in a sixmm_call and
reads the sixmm_advice back.
"""
import ctypes
import json
from ctypes import byref
from typing import Any, Dict, NamedTuple, Optional, Union

from . import _fastcall
from ._entry import (DOMAIN_INDEX, INT64_MAX, INT64_MIN, MATCH_NAMES, RETRIES, DomainLike,
                     _BY_ADDRESS, Entry, domain_index, entry_or_none, parse_code)
from ._native import Call, RawAdvice
from ._random import random32
from ._response import _MISSING, Body, status_and_body
from ._spec import Retry

UINT32_MAX = (1 << 32) - 1
UINT_MAX = (1 << (8 * ctypes.sizeof(ctypes.c_uint))) - 1
INT_MIN, INT_MAX = -(1 << 31), (1 << 31) - 1


class Advice(NamedTuple):
    """What to do after a call.

    ``resend``: send again, after ``delay_ms`` and what ``action`` says.
    ``delay_max_ms`` is the longest delay the jitter can give for this call
    (the same classification with the largest random value). ``entry`` is
    the catalog entry that decided (None when nothing matched) and ``match``
    how it was found.
    """

    action: Retry
    resend: bool
    delay_ms: int
    delay_max_ms: int
    reason: str
    entry: Optional[Entry]
    match: str


_new_advice = tuple.__new__   # Advice(...) without its Python-level __new__
# The library's reasons are static texts: each is decoded once, by address,
# and remembered the other way too, for the retry loop to hand back to C.
_REASONS: Dict[int, str] = {}
_ADDRESSES: Dict[str, int] = {}


def _reason(ptr: Optional[int]) -> str:
    if not ptr:
        return ""
    r = _REASONS.get(ptr)
    if r is None:
        r = _REASONS.setdefault(ptr, ctypes.string_at(ptr).decode())
        _ADDRESSES.setdefault(r, ptr)
    return r


def reason_address(reason: str) -> int:
    """The library's static text of a reason that one of its calls gave."""
    try:
        return _ADDRESSES[reason]
    except (KeyError, TypeError):
        raise ValueError(f"not a reason the library gave: {reason!r}; pass an Advice "
                         "from classify()") from None


def _int(name: str, value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    return value


def advice_from_raw(raw: RawAdvice, delay_max_ms: int) -> Advice:
    """An Advice from a filled-in sixmm_advice."""
    return Advice(RETRIES[raw.action], raw.resend != 0, raw.delay_ms, delay_max_ms,
                  _reason(raw.reason), entry_or_none(raw.entry), MATCH_NAMES[raw.match])


def make_call(http_status: int, code: Optional[int], message: Union[str, bytes, None],
              idempotent: bool, attempt: int, domain: DomainLike) -> Call:
    """A sixmm_call from classify()'s arguments, checked; fields left at 0
    are the C defaults (no code, no message)."""
    call = Call()
    try:
        call.domain = DOMAIN_INDEX[domain]
    except (KeyError, TypeError):
        call.domain = domain_index(domain)
    if type(http_status) is not int:
        _int("http_status", http_status)
    # Outside C's int, a status means nothing; -1 is decided as "no response".
    call.http_status = http_status if INT_MIN <= http_status <= INT_MAX else -1
    if code is not None:
        if type(code) is not int:
            _int("code", code)
        # A code past int64 is unknown and outside every block, as these are.
        call.has_code = 1
        call.code = code if INT64_MIN <= code <= INT64_MAX else \
            INT64_MAX if code > 0 else INT64_MIN
    if message is not None:
        if isinstance(message, str):
            m = message.encode("utf-8", "replace")
        elif isinstance(message, bytes):
            m = message
        else:
            raise TypeError(f"message must be str or bytes, not {type(message).__name__}")
        call.message = m
        call.message_len = len(m)
    if idempotent is True:
        call.idempotent = 1
    elif idempotent is not False:
        raise TypeError(f"idempotent must be a bool, not {type(idempotent).__name__}")
    if type(attempt) is not int:
        _int("attempt", attempt)
    if attempt < 0:
        raise ValueError(f"attempt must be 0 or more, not {attempt}")
    call.attempt = attempt if attempt <= UINT_MAX else UINT_MAX   # past every class's limit
    return call


def classify(*, http_status: int, code: Optional[int] = None,
             message: Union[str, bytes, None] = None, idempotent: bool = False, attempt: int = 1,
             domain: DomainLike = "rest", random: Optional[int] = None) -> Advice:
    """Classify what a call returned.

    ``http_status`` is 0 when the connection failed or timed out; ``code``
    and ``message`` are the body's, when it had them. ``idempotent`` is True
    only for calls that are safe to resend blindly (queries); the default,
    as in the CLI, assumes the worst. ``attempt`` is 1 for the first send. ``random`` (0 to 2**32-1) drives the jitter; None
    draws it from the operating system's random source.

    Raises TypeError for arguments of the wrong type and ValueError for an
    unknown domain, a negative attempt or a random value out of range.
    """
    call = make_call(http_status, code, message, idempotent, attempt, domain)
    if random is None:
        r = random32()
    else:
        if type(random) is not int:
            _int("random", random)
        if not 0 <= random <= UINT32_MAX:
            raise ValueError(f"random must be in [0, 2**32-1], not {random}")
        r = random
    raw = RawAdvice()
    pcall, praw = byref(call), byref(raw)
    _fastcall.classify(pcall, UINT32_MAX, praw)   # the jitter is monotonic in random
    top = raw.delay_ms
    if top:   # with no wait at the top there is none to jitter: the answer is the same
        _fastcall.classify(pcall, r, praw)
    # advice_from_raw(), inlined: this is the hot path.
    e, why = raw.entry, raw.reason
    entry = (_BY_ADDRESS.get(e) or entry_or_none(e)) if e else None
    return _new_advice(Advice, (RETRIES[raw.action], raw.resend != 0, raw.delay_ms, top,
                                _REASONS.get(why) or _reason(why), entry,
                                MATCH_NAMES[raw.match]))


class ParsedBody(NamedTuple):
    """The fields of a 6MM response body that the advisor reads."""

    code: Optional[int]
    message: Optional[str]
    request_id: Optional[str]
    data: Any


_NO_BODY = ParsedBody(None, None, None, None)


def parse_body(body: Body) -> ParsedBody:
    """Read code, message, requestId and data from a body, as the CLI does.

    A body that is not a JSON object, or not JSON at all, gives no fields,
    so that the HTTP status decides. A "code" given as decimal text counts;
    one of any other type is ignored.
    """
    if body is None:
        return _NO_BODY
    if isinstance(body, dict):
        obj: Any = body
    elif isinstance(body, (bytes, bytearray, str)):
        try:
            obj = json.loads(body)
        except (ValueError, RecursionError):   # UnicodeDecodeError is a ValueError
            return _NO_BODY
    else:
        raise TypeError(f"body must be bytes, str, a dict or None, not {type(body).__name__}")
    if not isinstance(obj, dict):
        return _NO_BODY
    c = obj.get("code")
    code: Optional[int] = None
    if isinstance(c, int) and not isinstance(c, bool):
        code = c
    elif isinstance(c, str):
        code = parse_code(c.encode("utf-8", "replace"))
    m, rid = obj.get("message"), obj.get("requestId")
    return ParsedBody(code, m if isinstance(m, str) else None,
                      rid if isinstance(rid, str) else None, obj.get("data"))


def classify_response(response: Any, body: Body = _MISSING, *, idempotent: bool = False,
                      attempt: int = 1, domain: DomainLike = "rest",
                      random: Optional[int] = None) -> Advice:
    """classify() with the code and message read from a response body.

    ``classify_response(resp)`` takes a requests.Response or an
    httpx.Response; ``classify_response((status, body))`` and
    ``classify_response(status, body)`` take the status and the body (bytes,
    str, an already parsed dict, or None when there was none)."""
    http_status, raw_body = status_and_body(response, body)
    b = parse_body(raw_body)
    return classify(http_status=http_status, code=b.code, message=b.message,
                    idempotent=idempotent, attempt=attempt, domain=domain, random=random)
