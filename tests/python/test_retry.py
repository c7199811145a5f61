"""Throttle, Budget and reconcile() from Python: shared by 8 threads (and
8 asyncio tasks), their guarantees hold."""
import asyncio
import threading
import time
from typing import List, Tuple

import pytest

import sixmm_errinfo as se

THREADS = 8


def test_a_domain_quota_or_custom_numbers() -> None:
    se.Throttle("agent")
    with pytest.raises(ValueError, match="no quota for domain 'rest'"):
        se.Throttle("rest")
    with pytest.raises(ValueError, match="burst must be an int from 1"):
        se.Throttle(rate_per_s=1, burst=0, concurrency=1)
    with pytest.raises(ValueError, match="not both"):
        se.Throttle("agent", rate_per_s=1, burst=1, concurrency=1)


def run_8_threads(t: se.Throttle, calls: int, hold_s: float) -> Tuple[float, List[float], int]:
    """8 threads, started together, each making `calls` calls of `hold_s` in
    a slot: (the time before any acquire, every call's start, the most calls
    in flight at once)."""
    lock, ready = threading.Lock(), threading.Barrier(THREADS + 1)
    starts: List[float] = []
    in_flight, most = [0], [0]

    def worker() -> None:
        ready.wait()
        for _ in range(calls):
            with t.slot():
                with lock:
                    starts.append(time.monotonic())
                    in_flight[0] += 1
                    most[0] = max(most[0], in_flight[0])
                time.sleep(hold_s)
                with lock:
                    in_flight[0] -= 1

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for th in threads:
        th.start()
    before = time.monotonic()
    ready.wait()
    for th in threads:
        th.join()
    assert len(starts) == THREADS * calls
    return before, sorted(starts), most[0]


def test_8_threads_keep_to_the_rate() -> None:
    rate, burst = 200, 5
    before, starts, most = run_8_threads(
        se.Throttle(rate_per_s=rate, burst=burst, concurrency=3), calls=10, hold_s=0.001)
    assert most <= 3
    # GCRA: the k-th start (0-based) comes (k - burst + 1) / rate s after the
    # first turn, or later; the first turn came after `before`.
    slack = 0.003   # the throttle counts whole milliseconds
    for k, s in enumerate(starts):
        assert s - before >= (k - burst + 1) / rate - slack, f"start {k} came early"


def test_8_threads_never_take_more_than_the_slots() -> None:
    _, _, most = run_8_threads(se.Throttle(rate_per_s=100000, burst=1000, concurrency=3),
                               calls=4, hold_s=0.02)
    assert most == 3, "8 threads fill every slot, and never more"


def test_8_tasks_share_it_without_blocking_the_loop() -> None:
    t = se.Throttle(rate_per_s=500, burst=4, concurrency=2)
    in_flight, most, ticks = [0], [0], [0]

    async def task() -> None:
        for _ in range(5):
            async with t.slot_async():
                in_flight[0] += 1
                most[0] = max(most[0], in_flight[0])
                await asyncio.sleep(0.002)
                in_flight[0] -= 1

    async def ticker() -> None:
        while True:
            ticks[0] += 1
            await asyncio.sleep(0.001)

    async def main() -> None:
        tick = asyncio.ensure_future(ticker())
        await asyncio.gather(*(task() for _ in range(THREADS)))
        tick.cancel()

    asyncio.run(main())
    assert most[0] == 2
    assert ticks[0] > 5, "the event loop kept running while tasks waited"


def test_acquire_async_then_release() -> None:
    t = se.Throttle(rate_per_s=1000, burst=1, concurrency=1)
    asyncio.run(t.acquire_async())
    assert t.try_acquire() is None   # the one slot is taken
    t.release()
    assert t.try_acquire() is not None


def test_backoff_feedback_delays_every_later_turn() -> None:
    t = se.Throttle(rate_per_s=1000, burst=100, concurrency=8)
    a = se.classify(http_status=429, code=5003, idempotent=True, random=(1 << 32) - 1)
    assert a.action is se.Retry.BACKOFF and a.delay_ms > 0
    t.feedback(a, now_ms=5000)
    w = t.try_acquire(now_ms=5000)
    assert w is not None and w >= a.delay_ms


def test_a_budget_shared_by_8_threads_allows_what_one_thread_gets() -> None:
    failing = se.classify(http_status=503, idempotent=True, random=0)
    assert failing.resend
    alone = se.Budget("rest")
    allowed = sum(alone.apply(failing).resend for _ in range(100))
    assert 0 < allowed < 100
    shared = se.Budget("rest")
    counts = [0] * THREADS

    def worker(i: int) -> None:
        for _ in range(100):
            counts[i] += shared.apply(failing).resend

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sum(counts) == allowed
    stopped = shared.apply(failing)
    assert not stopped.resend and stopped.action is failing.action and stopped.reason


def test_successes_refill_the_budget() -> None:
    b = se.Budget("rest")
    failing = se.classify(http_status=503, idempotent=True, random=0)
    success = se.classify(http_status=200, code=0, idempotent=True)
    while b.apply(failing).resend:
        pass
    for _ in range(50):
        assert b.apply(success) == success
    assert b.apply(failing).resend


def test_not_found_polls_until_the_window_has_closed_then_resends() -> None:
    signed, err = 1_700_000_000_000, 250
    r = se.reconcile(found=se.Found.NONE, signed_at_ms=signed, now_ms=signed + 100,
                     clock_error_ms=err, attempt=1, random=0)
    assert r.step is se.Step.POLL and r.delay_ms > 0 and r.reason
    later = se.reconcile(found="none", signed_at_ms=signed, now_ms=signed + 100 + r.delay_ms,
                         clock_error_ms=err, attempt=2, random=0)
    assert later.step is se.Step.RESEND
    early = se.reconcile(found="none", signed_at_ms=signed, now_ms=signed + 99 + r.delay_ms,
                         clock_error_ms=err, attempt=2, random=0)
    assert early.step is se.Step.POLL


def test_found_is_done_and_failures_escalate_in_the_end() -> None:
    kw = dict(signed_at_ms=1000, now_ms=2000, clock_error_ms=0)
    assert se.reconcile(found="final", attempt=1, **kw).step is se.Step.DONE
    steps = [se.reconcile(found=se.Found.QUERY_FAILED, attempt=n, random=0, **kw).step
             for n in range(1, 50)]
    assert steps[0] is se.Step.POLL and steps[-1] is se.Step.ESCALATE
    pending = [se.reconcile(found=se.Found.PENDING, attempt=n, **kw).step for n in range(1, 50)]
    assert se.Step.RESEND not in pending and pending[-1] is se.Step.ESCALATE


def test_reconcile_rejects_bad_arguments() -> None:
    kw = dict(signed_at_ms=1000, now_ms=2000, clock_error_ms=0, attempt=1)
    with pytest.raises(ValueError):
        se.reconcile(found="lost", **kw)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="now_ms must be in"):
        se.reconcile(found="none", signed_at_ms=1, now_ms=-1, clock_error_ms=0, attempt=1)
    with pytest.raises(TypeError, match="attempt must be an int"):
        se.reconcile(found="none", signed_at_ms=1, now_ms=1, clock_error_ms=0,
                     attempt="1")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown domain"):
        se.reconcile(found="none", domain="moon", **kw)
