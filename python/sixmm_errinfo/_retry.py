"""The retry loop over the C library: Throttle, Budget and reconcile().

The C objects are caller-owned words updated with atomics, so one Python
object is shared by every thread of a client; ctypes releases the GIL
during each call. Time is the C library's input: this module reads
time.monotonic_ns() (throttle) and passes the caller's server-time numbers
(reconcile) through.
"""
import asyncio
import contextlib
import os
import threading
import time
from ctypes import byref
from typing import AsyncIterator, Dict, Iterator, NamedTuple, Optional

from ._advice import UINT32_MAX, Advice, advice_from_raw, reason_address
from ._entry import DOMAINS, MATCH_NAMES, RETRIES, DomainLike, domain_index
from ._native import Budget as _CBudget
from ._native import BudgetState as _CBudgetState
from ._native import RawAdvice, ReconcileIn, ReconcileOut, lib
from ._native import Throttle as _CThrottle
from ._random import random32
from ._spec import QUOTAS, Found, Step

THROTTLE_BUSY = UINT32_MAX   # SIXMM_THROTTLE_BUSY: every slot is taken
CLOCK_ERROR_UNKNOWN = UINT32_MAX   # SIXMM_CLOCK_ERROR_UNKNOWN: no bound is known


# The wire values of the public header's enums, in declaration order.
_FOUND: Dict[Found, int] = {f: i for i, f in enumerate(Found)}
_STEPS = list(Step)
_RETRY_INDEX = {r: i for i, r in enumerate(RETRIES)}
_MATCH_INDEX = {m: i for i, m in enumerate(MATCH_NAMES)}


def found_index(found: "Found | str") -> int:
    """The C value of a Found (or its name)."""
    return _FOUND[Found(found)]


def _raw(advice: Advice) -> RawAdvice:
    """The sixmm_advice that an Advice was read from."""
    if not isinstance(advice, Advice):
        raise TypeError(f"advice must be an Advice, not {type(advice).__name__}")
    return RawAdvice(_RETRY_INDEX[advice.action],
                     advice.entry._ptr if advice.entry is not None else None,
                     _MATCH_INDEX[advice.match], int(advice.resend), advice.delay_ms,
                     reason_address(advice.reason))


def _now_ms() -> int:
    return time.monotonic_ns() // 1_000_000


class Throttle:
    """Gives each send its turn: a token bucket (rate and burst) and a bound
    on concurrent calls, shared by every thread (and task) that uses it.

    ``Throttle("agent")`` takes the quota the spec documents for the domain;
    ``Throttle(rate_per_s=..., burst=..., concurrency=...)`` sets one.
    """

    # How long a caller waits before asking again when every slot is taken
    # by a user outside this object; a release here wakes waiters at once.
    BUSY_POLL_S = 0.005

    def __init__(self, domain: Optional[DomainLike] = None, *, rate_per_s: Optional[int] = None,
                 burst: Optional[int] = None, concurrency: Optional[int] = None) -> None:
        self._t = _CThrottle()
        self._freed = threading.Condition()
        custom = (rate_per_s, burst, concurrency)
        self._domain = DOMAINS[domain_index(domain)] if domain is not None else None
        self._quota = custom
        if domain is not None:
            if any(v is not None for v in custom):
                raise ValueError("give a domain or rate_per_s, burst and concurrency, not both")
            if lib.sixmm_throttle_init(byref(self._t), domain_index(domain)) != 0:
                raise ValueError(f"the spec documents no quota for domain {domain!r}; give "
                                 "rate_per_s, burst and concurrency")
            self._quota = QUOTAS.get(DOMAINS[domain_index(domain)], custom)
            return
        for name, v in zip(("rate_per_s", "burst", "concurrency"), custom):
            if not isinstance(v, int) or isinstance(v, bool) or not 0 < v <= UINT32_MAX:
                raise ValueError(f"{name} must be an int from 1 to 2**32-1, not {v!r}")
        if lib.sixmm_throttle_init_custom(byref(self._t), *custom) != 0:
            raise ValueError(f"the library refused rate_per_s={rate_per_s}, burst={burst}, "
                             f"concurrency={concurrency}")

    def __repr__(self) -> str:
        rate, burst, concurrency = self._quota
        where = f"{self._domain.value}'s quota: " if self._domain is not None else ""
        most = f", at most {concurrency} in flight" if concurrency is not None else ""
        return f"<Throttle {where}{rate} requests/s, bursts of {burst}{most}>"

    @classmethod
    def shared(cls, path: "str | os.PathLike[str]", domain: DomainLike) -> "Throttle":
        """One throttle for every process of this host: the file at `path`,
        created with the domain's quota on first use; slots are leases.
        ValueError for a file made otherwise; close() unmaps it."""
        from ._quota import shared
        return shared(path, domain)

    @classmethod
    def redis(cls, url: str, domain: DomainLike, *, key: Optional[str] = None, hosts: int = 1,
              host_index: int = 0, **numbers: Optional[int]) -> "Throttle":
        """One throttle for several hosts, in the Redis at `url`
        ("redis://HOST:PORT"): each host opens it with the same key, hosts
        = N and its own host_index, and falls back to its share of the quota
        while Redis is away. numbers (rate_per_s, burst, concurrency,
        lease_ms, timeout_ms, presence_ms) override the spec's."""
        from ._quota import redis
        return redis(url, domain, key, hosts, host_index, dict(numbers))

    def try_acquire(self, now_ms: Optional[int] = None) -> Optional[int]:
        """Take a slot: the milliseconds to wait before sending (0: now), or
        None when every slot is taken (nothing was taken)."""
        w = int(lib.sixmm_throttle_acquire(byref(self._t), _now_ms() if now_ms is None
                                           else now_ms))
        return None if w == THROTTLE_BUSY else w

    def acquire(self) -> None:
        """Wait for a slot and for the send's turn. Pair with release()."""
        while True:
            w = self.try_acquire()
            if w is not None:
                if w:
                    time.sleep(w / 1000)
                return
            with self._freed:
                self._freed.wait(self.BUSY_POLL_S)

    def release(self, now_ms: Optional[int] = None) -> None:
        """The call that acquire() let through has ended."""
        lib.sixmm_throttle_release(byref(self._t), _now_ms() if now_ms is None else now_ms)
        with self._freed:
            self._freed.notify()

    def feedback(self, advice: Advice, now_ms: Optional[int] = None) -> None:
        """Tell the throttle how the call ended (a rate limit slows it down)."""
        lib.sixmm_throttle_feedback(byref(self._t), byref(_raw(advice)),
                                    _now_ms() if now_ms is None else now_ms)

    @contextlib.contextmanager
    def slot(self) -> Iterator[None]:
        """``with throttle.slot(): send()``: waits as needed, releases after."""
        self.acquire()
        try:
            yield
        finally:
            self.release()

    async def acquire_async(self) -> None:
        """acquire() for asyncio: waits without blocking the event loop."""
        while True:
            w = self.try_acquire()
            if w is not None:
                if w:
                    await asyncio.sleep(w / 1000)
                return
            await asyncio.sleep(self.BUSY_POLL_S)

    @contextlib.asynccontextmanager
    async def slot_async(self) -> AsyncIterator[None]:
        """``async with throttle.slot_async(): await send()``."""
        await self.acquire_async()
        try:
            yield
        finally:
            self.release()


class BudgetState(NamedTuple):
    """A budget's state: the tokens left, the bucket's size and what each
    success adds back (the spec's max_tokens and token_ratio), and whether an
    advised resend would be granted now."""

    tokens: float
    max_tokens: float
    token_ratio: float
    resend: bool


class Budget:
    """The retry budget shared by all calls of a client: when too many calls
    fail, resends stop, so that an outage is not multiplied by retries."""

    def __init__(self, domain: DomainLike = "rest") -> None:
        self._b = _CBudget()
        self._domain = DOMAINS[domain_index(domain)]
        if lib.sixmm_budget_init(byref(self._b), domain_index(domain)) != 0:
            raise ValueError(f"no retry budget policy for domain {domain!r}")

    def apply(self, advice: Advice) -> Advice:
        """Count the call's outcome; the advice, with its resend turned into
        a stop when the budget is spent."""
        raw = _raw(advice)
        if lib.sixmm_budget_apply(byref(self._b), byref(raw)) == 0:
            return advice
        return advice_from_raw(raw, raw.delay_ms)

    @property
    def state(self) -> BudgetState:
        """The state now (other threads may change it the moment after)."""
        st = _CBudgetState()
        lib.sixmm_budget_read(byref(self._b), byref(st))
        return BudgetState(st.tokens_milli / 1000, st.max_milli / 1000, st.refill_milli / 1000,
                           st.resend != 0)

    def __repr__(self) -> str:
        s = self.state
        return (f"<Budget {self._domain.value}: {s.tokens:g} of {s.max_tokens:g} tokens, "
                f"+{s.token_ratio:g} per success, resends "
                f"{'granted' if s.resend else 'refused'}>")


class Reconciled(NamedTuple):
    """The step after a status query: ``delay_ms`` is the wait before the
    next query when ``step`` is POLL; ``reason`` is for a log line."""

    step: Step
    delay_ms: int
    reason: str


def reconcile(*, found: Found, signed_at_ms: int, now_ms: int,
              clock_error_ms: Optional[int] = None, attempt: int = 1,
              domain: DomainLike = "rest", random: Optional[int] = None) -> Reconciled:
    """Decide what follows a status query by the original clientOrderId.

    Times are server time in milliseconds: ``signed_at_ms`` is the timestamp
    the latest send was signed with. ``clock_error_ms`` None, the default as
    in the CLI, says the bound is not known: the library then assumes the
    worst (CLOCK_ERROR_UNKNOWN). ``attempt`` is the status query, 1 for the
    first. A RESEND is always the same clientOrderId with a new timestamp
    and signature, never a new order.
    """
    f = _FOUND[Found(found)]
    if clock_error_ms is None:
        clock_error_ms = CLOCK_ERROR_UNKNOWN
    nums = {"signed_at_ms": (signed_at_ms, 64), "now_ms": (now_ms, 64),
            "clock_error_ms": (clock_error_ms, 32), "attempt": (attempt, 32)}
    for name, (v, bits) in nums.items():
        if not isinstance(v, int) or isinstance(v, bool):
            raise TypeError(f"{name} must be an int, not {type(v).__name__}")
        if not 0 <= v < 1 << bits:
            raise ValueError(f"{name} must be in [0, 2**{bits}), not {v}")
    r = random32() if random is None else random
    if not isinstance(r, int) or not 0 <= r <= UINT32_MAX:
        raise ValueError(f"random must be in [0, 2**32-1], not {r!r}")
    cin = ReconcileIn(domain_index(domain), f, signed_at_ms, now_ms, clock_error_ms, attempt)
    out = ReconcileOut()
    lib.sixmm_reconcile(byref(cin), r, byref(out))
    return Reconciled(_STEPS[out.step], out.delay_ms, (out.reason or b"").decode())
