"""Properties of classify(), classify_response() and raise_for_response()
on arbitrary input (Debian's python3-hypothesis)."""
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sixmm_errinfo as se

CODES = [e.code for e in se.entries() if e.code is not None]
MESSAGES = [e.key for e in se.entries() if e.kind in ("message", "id")]
codes = st.one_of(st.sampled_from(CODES), st.integers(), st.integers(-(1 << 70), 1 << 70))
messages = st.one_of(st.none(), st.sampled_from(MESSAGES), st.text(), st.binary())
statuses = st.one_of(st.sampled_from([0, 200, 400, 401, 429, 500, 502, 503, 504]),
                     st.integers(-(1 << 40), 1 << 40))
domains = st.sampled_from(list(se.Domain) + ["rest", "agent", "widget"])
attempts = st.integers(0, 1 << 40)
randoms = st.one_of(st.none(), st.integers(0, (1 << 32) - 1))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12)
json_bodies = st.fixed_dictionaries({}, optional={
    "code": st.one_of(codes, st.text(), st.floats(), st.booleans(), st.none(), json_values),
    "message": st.one_of(st.sampled_from(MESSAGES), json_values),
    "requestId": st.one_of(st.text(), json_values),
    "data": json_values})
bodies = st.one_of(st.none(), st.binary(), st.text(), json_bodies,
                   json_bodies.map(json.dumps), json_bodies.map(lambda b: json.dumps(b).encode()))


@settings(max_examples=400, deadline=None)
@given(status=statuses, code=st.one_of(st.none(), codes), message=messages,
       idempotent=st.booleans(), attempt=attempts, domain=domains, random=randoms)
def test_classify_answers_any_well_typed_call(status: int, code: Any, message: Any,
                                              idempotent: bool, attempt: int, domain: Any,
                                              random: Any) -> None:
    a = se.classify(http_status=status, code=code, message=message, idempotent=idempotent,
                    attempt=attempt, domain=domain, random=random)
    assert isinstance(a.action, se.Retry)
    assert 0 <= a.delay_ms <= a.delay_max_ms
    assert a.reason
    assert a.match in ("exact", "range", "class", "unknown", "status")
    assert (a.entry is None) == (a.match in ("unknown", "status"))
    if not idempotent and a.action is se.Retry.RECONCILE:
        assert not a.resend, "an unknown outcome of a non-idempotent call is never resent"


@settings(max_examples=300, deadline=None)
@given(status=st.sampled_from([0, 100, 200, 500, 502, 503, 504, 599]), attempt=attempts,
       domain=domains, random=randoms, code=st.one_of(st.none(), codes))
def test_a_non_idempotent_call_with_an_unknown_outcome_is_never_resent(
        status: int, attempt: int, domain: Any, random: Any, code: Any) -> None:
    """No code (a timeout, a gateway's page, a body without one) or an advice
    to reconcile: the outcome is unknown."""
    a = se.classify(http_status=status, code=code, idempotent=False, attempt=attempt,
                    domain=domain, random=random)
    if code is None or a.action is se.Retry.RECONCILE:
        assert not a.resend, a


@settings(max_examples=400, deadline=None)
@given(status=statuses, body=bodies, idempotent=st.booleans(), domain=domains)
def test_responses_give_advice_data_or_a_sixmm_error(status: int, body: Any,
                                                      idempotent: bool, domain: Any) -> None:
    a = se.classify_response(status, body, idempotent=idempotent, domain=domain)
    assert isinstance(a, se.Advice)
    try:
        se.raise_for_response(status, body, idempotent=idempotent, domain=domain)
    except se.SixmmError as exc:
        assert exc.advice.action is a.action
        assert exc.http_status == status
        assert str(exc)
    else:
        assert a.action is se.Retry.NONE


junk = st.one_of(st.floats(), st.lists(st.integers()), st.dictionaries(st.text(), st.text()),
                 st.text(), st.binary(), st.none(), st.booleans(), st.integers())


@settings(max_examples=400, deadline=None)
@given(status=junk, code=junk, message=junk, idempotent=junk, attempt=junk, domain=junk,
       random=junk, body=junk)
def test_wrong_types_get_type_or_value_errors_only(status: Any, code: Any, message: Any,
                                                   idempotent: Any, attempt: Any, domain: Any,
                                                   random: Any, body: Any) -> None:
    for call in (lambda: se.classify(http_status=status, code=code, message=message,
                                     idempotent=idempotent, attempt=attempt, domain=domain,
                                     random=random),
                 lambda: se.classify_response(status, body, idempotent=idempotent,
                                              attempt=attempt, domain=domain),
                 lambda: se.raise_for_response(status, body, idempotent=idempotent,
                                               domain=domain)):
        try:
            call()
        except (TypeError, ValueError, se.SixmmError):
            pass


def test_the_documented_errors_say_what_was_wrong() -> None:
    with pytest.raises(TypeError, match="idempotent must be a bool, not int"):
        se.classify(http_status=500, idempotent=1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="random must be in"):
        se.classify(http_status=500, idempotent=True, random=1 << 32)
    with pytest.raises(ValueError, match="attempt must be 0 or more"):
        se.classify(http_status=500, idempotent=True, attempt=-1)
    with pytest.raises(TypeError, match="body must be bytes, str, a dict or None, not list"):
        se.classify_response(500, [], idempotent=True)  # type: ignore[arg-type]
