"""The order machine for Python callers: Clock and Intent over sixmm_clock
and sixmm_intent (docs/ADVISOR.md has the loop and its rules).

The C objects are caller-owned words; each Python object holds its own.
Time is passed in, as in C: monotonic milliseconds (``mono_*``, from
time.monotonic_ns() when left out) and server milliseconds. The state
machine is the library's; this module converts arguments and results.
"""
import ctypes
import time
from ctypes import byref
from typing import Any, NamedTuple, Optional

from ._advice import UINT32_MAX, make_call, parse_body
from ._entry import DOMAINS, RETRIES, DomainLike, domain_index
from ._native import NextOut, lib
from ._native import Clock as _CClock
from ._native import Intent as _CIntent
from ._random import random32
from ._response import _MISSING, Body, status_and_body
from ._retry import Budget, Throttle, found_index
from ._spec import Alert, Found, IntentKind, IntentReason, Outcome, Status, Todo

RECORD_MAX = 256   # SIXMM_INTENT_RECORD_MAX
TRUST_SINGLE_DELIVERY = 1   # SIXMM_INTENT_TRUST_SINGLE_DELIVERY
_TODOS, _OUTCOMES, _STATUSES = list(Todo), list(Outcome), list(Status)
_REASONS, _ALERTS, _KINDS = list(IntentReason), list(Alert), list(IntentKind)
INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1


def mono_ms() -> int:
    """Monotonic milliseconds, the clock the machine's waits are in."""
    return time.monotonic_ns() // 1_000_000


def _mono(v: Optional[int], name: str) -> int:
    if v is None:
        return mono_ms()
    if not isinstance(v, int) or isinstance(v, bool) or not 0 <= v < 1 << 64:
        raise ValueError(f"{name} must be an int in [0, 2**64), not {v!r}")
    return v


def _server(v: int, name: str) -> int:
    if not isinstance(v, int) or isinstance(v, bool) or not INT64_MIN <= v <= INT64_MAX:
        raise ValueError(f"{name} must be an int64 of server milliseconds, not {v!r}")
    return v


class ClockReading(NamedTuple):
    """The estimated server time and a true bound on its error, in ms."""

    server_ms: int
    error_ms: int


class Clock:
    """The server's clock, from GET /v1/time exchanges timed with a monotonic
    clock: an estimate with a true error bound. Shared by a client's threads.
    ``drift_ppm`` 0 takes the spec's bound."""

    def __init__(self, drift_ppm: int = 0) -> None:
        if not isinstance(drift_ppm, int) or not 0 <= drift_ppm <= UINT32_MAX:
            raise ValueError(f"drift_ppm must be in [0, 2**32), not {drift_ppm!r}")
        self._c = _CClock()
        lib.sixmm_clock_init(byref(self._c), drift_ppm)

    def sample(self, mono_sent_ms: int, server_ms: int, mono_received_ms: int) -> None:
        """Add one exchange: monotonic ms before sending and after the answer,
        and the server's data.timestampMs."""
        if lib.sixmm_clock_sample(byref(self._c), _mono(mono_sent_ms, "mono_sent_ms"),
                                  _server(server_ms, "server_ms"),
                                  _mono(mono_received_ms, "mono_received_ms")) != 0:
            raise ValueError("mono_received_ms is before mono_sent_ms")

    def read(self, mono_now_ms: Optional[int] = None) -> Optional[ClockReading]:
        """The server time now and its error bound; None before any sample."""
        server, error = ctypes.c_int64(), ctypes.c_uint32()
        if lib.sixmm_clock_read(byref(self._c), _mono(mono_now_ms, "mono_now_ms"),
                                byref(server), byref(error)) != 0:
            return None
        return ClockReading(server.value, error.value)

    def __repr__(self) -> str:
        r = self.read()
        return "<Clock: no sample yet>" if r is None else \
            f"<Clock: server {r.server_ms} ms ± {r.error_ms} ms>"


class Next(NamedTuple):
    """What Intent.next() says (sixmm_next). ``sign_ms``: the timestamp to
    sign with (SEND, QUERY); ``wait_ms``: ask again after it (WAIT);
    ``outcome``: the result (DONE); ``why`` and ``reason``: why, for the log
    line; ``alert``: Alert.NONE or why an operator is alerted, with
    ``alert_reason``; ``cause``: the retry class of the latest answer;
    ``sends`` and ``queries``: the retry count for the log line."""

    todo: Todo
    sign_ms: int
    wait_ms: int
    outcome: Outcome
    why: IntentReason
    reason: str
    alert: Alert
    alert_reason: str
    cause: Any
    sends: int
    queries: int


class Intent:
    """One intent (an order to place, a cancel, a transfer, a read) through
    the order machine. Call next(), do what it says, report what happened
    with the events; write encode() to a journal after sending() and before
    the bytes go out. One thread at a time."""

    def __init__(self, kind: IntentKind, now_server_ms: int, *, domain: DomainLike = "rest",
                 lifetime_ms: int = 0, trust_single_delivery: bool = False) -> None:
        self._it = _CIntent()
        k = _KINDS.index(IntentKind(kind))
        if not isinstance(lifetime_ms, int) or not 0 <= lifetime_ms <= UINT32_MAX:
            raise ValueError(f"lifetime_ms must be in [0, 2**32), not {lifetime_ms!r}")
        if lib.sixmm_intent_init(byref(self._it), domain_index(domain), k,
                                 _server(now_server_ms, "now_server_ms"), lifetime_ms) != 0:
            raise ValueError("the library refused the intent")
        if trust_single_delivery:
            lib.sixmm_intent_set_flags(byref(self._it), TRUST_SINGLE_DELIVERY)

    def next(self, clock: Clock, *, throttle: Optional[Throttle] = None,
             budget: Optional[Budget] = None, mono_now_ms: Optional[int] = None,
             random: Optional[int] = None) -> Next:
        """What to do next. SEND and QUERY have taken the throttle's turn
        and slot; the next call after the event that ends the request
        releases it."""
        r = random32() if random is None else random
        if not isinstance(r, int) or not 0 <= r <= UINT32_MAX:
            raise ValueError(f"random must be in [0, 2**32-1], not {r!r}")
        out = NextOut()
        lib.sixmm_intent_next(byref(self._it), byref(clock._c),
                              byref(throttle._t) if throttle is not None else None,
                              byref(budget._b) if budget is not None else None,
                              _mono(mono_now_ms, "mono_now_ms"), r, byref(out))
        return Next(_TODOS[out.todo], out.sign_ms, out.wait_ms, _OUTCOMES[out.outcome],
                    _REASONS[out.why], (out.reason or b"").decode(), _ALERTS[out.alert],
                    (out.alert_reason or b"").decode(), RETRIES[out.cause], out.sends,
                    out.queries)

    def _event(self, rc: int, what: str) -> None:
        if rc != 0:
            raise ValueError(f"{what} does not fit the intent's state; nothing changed")

    def sending(self, signed_at_ms: int) -> None:
        """Just before the bytes go out; then write the record, then send."""
        self._event(lib.sixmm_intent_sending(byref(self._it),
                                             _server(signed_at_ms, "signed_at_ms")), "sending")

    def not_sent(self) -> None:
        """No byte of the request left the machine (connect or TLS failed)."""
        self._event(lib.sixmm_intent_not_sent(byref(self._it)), "not_sent")

    def answer(self, response: Any, body: Body = _MISSING, *,
               mono_now_ms: Optional[int] = None) -> None:
        """The answer to the send: a requests or httpx Response, (status,
        body), or status and body; status 0 when none arrived."""
        status, raw = status_and_body(response, body)
        b = parse_body(raw)
        call = make_call(status, b.code, b.message, False, 1, DOMAINS[0])
        self._event(lib.sixmm_intent_answer(byref(self._it), byref(call),
                                            _mono(mono_now_ms, "mono_now_ms")), "answer")

    def querying(self, query_signed_at_ms: int) -> None:
        """Just before the status query goes out."""
        self._event(lib.sixmm_intent_querying(
            byref(self._it), _server(query_signed_at_ms, "query_signed_at_ms")), "querying")

    def found(self, found: Found, status: str = "") -> None:
        """What the status query said, with the status as the server sent it
        ("NEW", "FILLED", "PROCESSING"...)."""
        s = status.encode() if isinstance(status, str) else status
        self._event(lib.sixmm_intent_found(byref(self._it), found_index(found), s, len(s)),
                    "found")

    def restart(self) -> None:
        """After decode() following a crash: recorded sends may be in flight."""
        self._event(lib.sixmm_intent_restart(byref(self._it)), "restart")

    @property
    def outcome(self) -> Outcome:
        return _OUTCOMES[int(lib.sixmm_intent_outcome(byref(self._it)))]

    @property
    def status(self) -> Status:
        return _STATUSES[int(lib.sixmm_intent_status(byref(self._it)))]

    @property
    def done(self) -> bool:
        """DONE or escalated: nothing more to do (a journal's pending test)."""
        return bool(lib.sixmm_intent_is_done(byref(self._it)))

    def encode(self) -> bytes:
        """The record: versioned, fixed byte order, with a checksum."""
        buf = ctypes.create_string_buffer(RECORD_MAX)
        n = lib.sixmm_intent_encode(byref(self._it), buf, RECORD_MAX)
        if n == 0:
            raise ValueError("the library could not encode the intent")
        return buf.raw[:n]

    @classmethod
    def decode(cls, record: bytes) -> "Intent":
        """The intent of a record; ValueError for a torn or foreign one. Call
        restart() after a crash."""
        it = cls.__new__(cls)
        it._it = _CIntent()
        b = bytes(record)
        if lib.sixmm_intent_decode(byref(it._it), b, len(b)) != 0:
            raise ValueError("not an intent record (torn, foreign or corrupt)")
        return it

    def __repr__(self) -> str:
        return f"<Intent outcome={self.outcome.value} status={self.status.value}" \
               f"{' done' if self.done else ''}>"
