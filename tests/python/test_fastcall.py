"""The unprototyped hot calls (_fastcall) against the prototyped ones
(_native): the same answers for the same arguments."""
import ctypes

from hypothesis import given, settings
from hypothesis import strategies as st

from sixmm_errinfo import _fastcall, _native
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
