"""The unprototyped hot calls (_fastcall) against the prototyped ones
(_native): the same answers for the same arguments."""
import ctypes
from typing import Optional

from hypothesis import given, settings
from hypothesis import strategies as st

import sixmm_errinfo as se
from sixmm_errinfo import _fastcall, _native
from sixmm_errinfo._advice import advice_from_raw
from sixmm_errinfo._native import Call, RawAdvice, lib

int64 = st.integers(-(1 << 63), (1 << 63) - 1)
CODES = st.one_of(st.integers(-2, 200000), int64)


@settings(max_examples=500, deadline=None)
@given(domain=st.integers(0, 2), code=CODES)
def test_lookup_is_the_prototyped_lookup(domain: int, code: int) -> None:
    m1, m2 = ctypes.c_int(-7), ctypes.c_int(-7)
    assert _fastcall.lookup(domain, code, ctypes.byref(m1)) == \
        lib.sixmm_lookup(domain, code, ctypes.byref(m2))
    assert m1.value == m2.value


@settings(max_examples=500, deadline=None)
@given(domain=st.integers(0, 2), status=st.integers(-1, 700), has_code=st.booleans(),
       code=CODES, idempotent=st.booleans(), attempt=st.integers(0, (1 << 32) - 1),
       random=st.one_of(st.sampled_from([0, (1 << 31) - 1, 1 << 31, (1 << 32) - 1]),
                        st.integers(0, (1 << 32) - 1)))
def test_classify_is_the_prototyped_classify(domain: int, status: int, has_code: bool,
                                             code: int, idempotent: bool, attempt: int,
                                             random: int) -> None:
    call = Call(domain, status, has_code, code, None, 0, idempotent, attempt)
    a1, a2 = RawAdvice(), RawAdvice()
    r1 = _fastcall.classify(ctypes.byref(call), random, ctypes.byref(a1))
    r2 = lib.sixmm_classify(ctypes.byref(call), random, ctypes.byref(a2))
    assert r1 == r2 == 0
    assert bytes(a1) == bytes(a2)
    assert _native.path


@settings(max_examples=500, deadline=None)
@given(status=st.sampled_from([0, 200, 400, 401, 429, 500, 503, 504]),
       code=st.one_of(st.none(), st.sampled_from([0, 1002, 1999, 3004, 5001, 5002, 5003])),
       idempotent=st.booleans(), attempt=st.integers(0, 12),
       random=st.integers(0, (1 << 32) - 1))
def test_classify_is_two_plain_calls(status: int, code: Optional[int], idempotent: bool,
                                     attempt: int, random: int) -> None:
    """classify() skips the second call when the top delay is 0: the same
    advice as the plain way, one prototyped call per random value."""
    a = se.classify(http_status=status, code=code, idempotent=idempotent, attempt=attempt,
                    random=random)
    call = Call(0, status, code is not None, code or 0, None, 0, idempotent, attempt)
    top, raw = RawAdvice(), RawAdvice()
    lib.sixmm_classify(ctypes.byref(call), (1 << 32) - 1, ctypes.byref(top))
    lib.sixmm_classify(ctypes.byref(call), random, ctypes.byref(raw))
    assert a == advice_from_raw(raw, top.delay_ms)
