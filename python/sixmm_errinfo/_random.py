"""The random source of classify(random=None): the operating system's
(os.urandom), read 4 KiB at a time.

A call to os.urandom or secrets costs about 1 µs, more than the
classification itself; a pool of words drawn from it keeps the source and
costs a list pop. The pool is emptied in a forked child, so that workers
forked from one parent never share their jitter.
"""
import array
import os
from typing import List

_pool: List[int] = []
_BYTES = 4096
_WORD = next(t for t in "IL" if array.array(t).itemsize == 4)   # a 32-bit unsigned word


def _refill() -> None:
    _pool.extend(array.array(_WORD, os.urandom(_BYTES)))


def _forget() -> None:
    _pool.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget)


def random32() -> int:
    """A uniformly random value in [0, 2**32), from os.urandom. Thread-safe:
    list.pop is atomic, and a concurrent refill only adds fresh words."""
    while True:
        try:
            return _pool.pop()
        except IndexError:
            _refill()
