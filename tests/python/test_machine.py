"""The order machine from Python: Clock and Intent over sixmm_clock and
sixmm_intent, and the spec's enums (IntentKind, Todo, Outcome, Status, ...)
rendered from spec/errors.yaml and checked against the library."""
import pytest

import sixmm_errinfo as se
from sixmm_errinfo import _enums
from sixmm_errinfo._spec import SPEC_ENUMS

OK = (200, b'{"code": 0, "message": "success", "data": {"orderId": "1"}}')
SERVER_T0 = 1_700_000_000_000


def sampled_clock(mono: int = 1000) -> se.Clock:
    c = se.Clock()
    c.sample(mono - 40, SERVER_T0, mono)
    return c


def test_every_spec_enum_is_rendered_and_matches_the_library() -> None:
    rendered = {name for name, *_ in SPEC_ENUMS}
    assert {"intent_kind", "todo", "outcome", "status"} <= rendered
    for name, cls, *_ in SPEC_ENUMS:
        assert [_enums.index(m) for m in cls] == list(range(len(cls)))
    assert se.Todo.SEND.value == "send" and se.Outcome.ACCEPTED.value == "accepted"


def test_statuses_read_the_wire_and_their_groups_through_the_library() -> None:
    assert _enums.wire(se.Status.PARTIALLY_FILLED) == "PARTIALLY_FILLED"
    assert _enums.from_wire(se.Status, "REJECTED") is se.Status.REJECTED
    assert _enums.from_wire(se.Status, "rejected") is None
    assert _enums.group(se.Status.FILLED).value == "completed"
    assert _enums.group(se.Status.PROCESSING).value == "open"
    assert _enums.text(se.Outcome.REFUSED, "zh") != _enums.text(se.Outcome.REFUSED, "en")


def test_the_clock_bounds_its_error() -> None:
    c = se.Clock()
    assert c.read(1000) is None
    assert "no sample" in repr(c)
    c.sample(1000, SERVER_T0, 1100)
    r = c.read(1100)
    assert r is not None and abs(r.server_ms - (SERVER_T0 + 50)) <= r.error_ms
    assert r.error_ms >= 50
    with pytest.raises(ValueError):
        c.sample(2000, SERVER_T0, 1000)


def place(mono: int = 1000) -> se.Intent:
    return se.Intent(se.IntentKind.PLACE, SERVER_T0, domain="rest")


def test_a_place_goes_send_answer_done() -> None:
    clock = sampled_clock()
    it = place()
    n = it.next(clock, mono_now_ms=1000, random=0)
    assert n.todo is se.Todo.SEND and n.reason
    it.sending(n.sign_ms)
    record = it.encode()
    assert 0 < len(record) <= se.RECORD_MAX
    it.answer(OK, mono_now_ms=1050)
    n = it.next(clock, mono_now_ms=1050, random=0)
    assert (n.todo, n.outcome, it.outcome, it.done) == (se.Todo.DONE, se.Outcome.ACCEPTED,
                                                       se.Outcome.ACCEPTED, True)
    assert n.sends == 1


def test_a_restart_reconciles_and_never_sends_at_once() -> None:
    clock = sampled_clock()
    it = place()
    n = it.next(clock, mono_now_ms=1000, random=0)
    it.sending(n.sign_ms)
    back = se.Intent.decode(it.encode())
    back.restart()
    n = back.next(clock, mono_now_ms=1100, random=0)
    assert n.todo is not se.Todo.SEND
    assert n.todo in (se.Todo.QUERY, se.Todo.WAIT)


def test_a_found_rejected_order_is_accepted_with_status_rejected() -> None:
    clock = sampled_clock()
    it = place()
    n = it.next(clock, mono_now_ms=1000, random=0)
    it.sending(n.sign_ms)
    it.answer((0, None), mono_now_ms=2000)   # no answer: the outcome is unknown
    for mono in range(2000, 200_000, 500):
        n = it.next(clock, mono_now_ms=mono, random=0)
        if n.todo is se.Todo.QUERY:
            break
        assert n.todo in (se.Todo.WAIT, se.Todo.SYNC), n
        if n.todo is se.Todo.SYNC:
            clock.sample(mono, SERVER_T0 + mono, mono + 1)
    assert n.todo is se.Todo.QUERY
    it.querying(n.sign_ms)
    it.found(se.Found.FINAL, "REJECTED")
    n = it.next(clock, mono_now_ms=mono + 10, random=0)
    assert (n.todo, it.outcome, it.status) == (se.Todo.DONE, se.Outcome.ACCEPTED,
                                               se.Status.REJECTED)


def test_a_torn_record_and_a_wrong_event_are_refused() -> None:
    it = place()
    rec = it.encode()
    with pytest.raises(ValueError, match="not an intent record"):
        se.Intent.decode(rec[:-1])
    with pytest.raises(ValueError, match="not an intent record"):
        se.Intent.decode(bytes([rec[0] ^ 1]) + rec[1:])
    with pytest.raises(ValueError, match="does not fit"):
        it.querying(SERVER_T0)   # nothing was asked for
    assert se.Intent.decode(rec).outcome is se.Outcome.UNKNOWN


def test_the_machine_takes_and_releases_the_throttle() -> None:
    throttle = se.Throttle(rate_per_s=1000, burst=10, concurrency=1)
    clock = sampled_clock()
    it = place()
    n = it.next(clock, throttle=throttle, budget=se.Budget(), mono_now_ms=1000, random=0)
    assert n.todo is se.Todo.SEND
    assert throttle.try_acquire(1000) is None, "the machine holds the only slot"
    it.sending(n.sign_ms)
    it.answer(OK, mono_now_ms=1001)
    assert it.next(clock, throttle=throttle, mono_now_ms=1002, random=0).todo is se.Todo.DONE
    assert throttle.try_acquire(1003) is not None, "the slot came back"
