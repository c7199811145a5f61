"""The two hot calls, sixmm_classify() and sixmm_lookup(), without ctypes'
argument conversion.

ctypes checks and converts every argument of a prototyped function
(argtypes); for these two that costs more than the C call itself (measured:
0.87 µs per prototyped sixmm_classify() call, 0.31 µs unprototyped), and
classify() makes two of them. Here the arguments are already C objects
(byref of the caller's structs, a c_int64), or a plain int made to fit a C
int, so nothing needs converting. The prototyped functions in _native stay
the plain way; tests/python/test_fastcall.py compares the two.
"""
import ctypes
from typing import Any, Optional

from ._native import lib

_classify = lib["sixmm_classify"]   # item access: a new, unprototyped function object
_classify.restype = ctypes.c_int
_lookup = lib["sixmm_lookup"]
_lookup.restype = ctypes.c_void_p
_TOP = 1 << 31
_SPAN = 1 << 32


def classify(call_ref: Any, random: int, advice_ref: Any) -> int:
    """sixmm_classify(call, random, out) for byref()s of Call and RawAdvice
    and 0 <= random < 2**32 (passed as the C int with the same bits)."""
    return int(_classify(call_ref, random - _SPAN if random >= _TOP else random, advice_ref))


def lookup(domain: int, code: int, match_ref: Any) -> Optional[int]:
    """sixmm_lookup(domain, code, match) for a valid domain, an int64 code
    and a byref() of a c_int."""
    ptr: Optional[int] = _lookup(domain, ctypes.c_int64(code), match_ref)
    return ptr
