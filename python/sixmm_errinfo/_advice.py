"""The retry advisor: sixmm_classify() for Python callers.

The decision is the C library's; this module only fills in a sixmm_call and
reads the sixmm_advice back.
"""
import ctypes
import json
import secrets
from typing import Any, Dict, NamedTuple, Optional, Union

from ._entry import (INT64_MAX, INT64_MIN, MATCH_NAMES, RETRIES, DomainLike, Entry,
                     domain_index, entry_or_none, parse_code)
from ._native import Call, RawAdvice, lib
from ._spec import Retry

UINT32_MAX = (1 << 32) - 1
UINT_MAX = (1 << (8 * ctypes.sizeof(ctypes.c_uint))) - 1
INT_MIN, INT_MAX = -(1 << 31), (1 << 31) - 1
Body = Union[bytes, bytearray, str, Dict[str, Any], None]


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


_REASONS: Dict[int, str] = {}


def _reason(ptr: Optional[int]) -> str:
    if not ptr:
        return ""
    r = _REASONS.get(ptr)
    if r is None:
        r = _REASONS.setdefault(ptr, ctypes.string_at(ptr).decode())
    return r


def _int(name: str, value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    return value


def advice_from_raw(raw: RawAdvice, delay_max_ms: int) -> Advice:
    return Advice(RETRIES[raw.action], bool(raw.resend), raw.delay_ms, delay_max_ms,
                  _reason(raw.reason), entry_or_none(raw.entry), MATCH_NAMES[raw.match])


def classify(*, http_status: int, code: Optional[int] = None,
             message: Union[str, bytes, None] = None, idempotent: bool, attempt: int = 1,
             domain: DomainLike = "rest", random: Optional[int] = None) -> Advice:
    """Classify what a call returned.

    ``http_status`` is 0 when the connection failed or timed out; ``code``
    and ``message`` are the body's, when it had them. ``idempotent`` is True
    only for calls that are safe to resend blindly (queries). ``attempt`` is
    1 for the first send. ``random`` (0 to 2**32-1) drives the jitter; None
    draws it from the operating system's random source.

    Raises TypeError for arguments of the wrong type and ValueError for an
    unknown domain, a negative attempt or a random value out of range.
    """
    call = Call()
    call.domain = domain_index(domain)
    s = _int("http_status", http_status)
    # Outside C's int, a status means nothing; -1 is decided as "no response".
    call.http_status = s if INT_MIN <= s <= INT_MAX else -1
    if code is not None:
        c = _int("code", code)
        # A code past int64 is unknown and outside every block, as these are.
        call.has_code = 1
        call.code = INT64_MAX if c > INT64_MAX else INT64_MIN if c < INT64_MIN else c
    if message is not None:
        if isinstance(message, str):
            m = message.encode("utf-8", "replace")
        elif isinstance(message, bytes):
            m = message
        else:
            raise TypeError(f"message must be str or bytes, not {type(message).__name__}")
        call.message = m
        call.message_len = len(m)
    if not isinstance(idempotent, bool):
        raise TypeError(f"idempotent must be a bool, not {type(idempotent).__name__}")
    call.idempotent = idempotent
    a = _int("attempt", attempt)
    if a < 0:
        raise ValueError(f"attempt must be 0 or more, not {a}")
    call.attempt = min(a, UINT_MAX)   # UINT_MAX is past every class's limit
    if random is None:
        r = secrets.randbits(32)
    else:
        r = _int("random", random)
        if not 0 <= r <= UINT32_MAX:
            raise ValueError(f"random must be in [0, 2**32-1], not {r}")
    raw = RawAdvice()
    pcall, praw = ctypes.byref(call), ctypes.byref(raw)
    lib.sixmm_classify(pcall, UINT32_MAX, praw)   # the jitter is monotonic in random
    top = raw.delay_ms
    lib.sixmm_classify(pcall, r, praw)
    return advice_from_raw(raw, top)


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


def classify_response(http_status: int, body: Body, *, idempotent: bool, attempt: int = 1,
                      domain: DomainLike = "rest", random: Optional[int] = None) -> Advice:
    """classify() with the code and message read from a response body
    (bytes, str, an already parsed dict, or None when there was none)."""
    b = parse_body(body)
    return classify(http_status=http_status, code=b.code, message=b.message,
                    idempotent=idempotent, attempt=attempt, domain=domain, random=random)
