"""Throttle.shared() and Throttle.redis(): one quota for every process of a
host (a file they all map) or for many hosts (Redis), both through the C
libraries, with leased slots: a process that dies holding a slot loses it
when the spec's lease ends.

The shared throttle is libsixmm-errinfo's sixmm_throttle_open_shared(); the
Redis one is libsixmm-throttle-redis, found at $SIXMM_THROTTLE_REDIS_LIBRARY,
beside the loaded libsixmm-errinfo, or by ctypes.util.find_library().
"""
import ctypes
import ctypes.util
import os
import threading
from ctypes import byref
from typing import TYPE_CHECKING, Dict, List, Optional

from ._advice import UINT32_MAX
from ._entry import DOMAINS, DomainLike, domain_index
from ._native import Throttle as _CThrottle
from ._native import lib
from ._native import path as _lib_path
from ._retry import Throttle, _now_ms

if TYPE_CHECKING:
    _ThrottleP = ctypes._Pointer[_CThrottle]
else:
    _ThrottleP = ctypes.POINTER(_CThrottle)

NO_TICKET = UINT32_MAX                  # SIXMM_THROTTLE_NO_TICKET
REDIS_ENV = "SIXMM_THROTTLE_REDIS_LIBRARY"
REDIS_NAME = "libsixmm-throttle-redis.so"
_SYSTEM_ERROR = -2                      # SIXMM_SHARED_E_SYSTEM

_PT = ctypes.POINTER(_CThrottle)
for _name, _res, _args in [
        ("sixmm_throttle_acquire_lease", ctypes.c_uint32,
         [_PT, ctypes.c_uint64, ctypes.POINTER(ctypes.c_uint32)]),
        ("sixmm_throttle_release_lease", None, [_PT, ctypes.c_uint32, ctypes.c_uint64]),
        ("sixmm_throttle_open_shared", ctypes.c_int,
         [ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(_PT)]),
        ("sixmm_throttle_close_shared", ctypes.c_int, [_PT]),
        ("sixmm_shared_strerror", ctypes.c_char_p, [ctypes.c_int])]:
    getattr(lib, _name).restype = _res
    getattr(lib, _name).argtypes = _args


class _RedisOptions(ctypes.Structure):
    """struct sixmm_redis_options."""

    _fields_ = [("key", ctypes.c_char_p), ("hosts", ctypes.c_uint32),
                ("host_index", ctypes.c_uint32), ("rate_per_s", ctypes.c_uint32),
                ("burst", ctypes.c_uint32), ("concurrency", ctypes.c_uint32),
                ("lease_ms", ctypes.c_uint32), ("timeout_ms", ctypes.c_uint32),
                ("presence_ms", ctypes.c_uint32)]


class _RedisStats(ctypes.Structure):
    """struct sixmm_redis_stats."""

    _fields_ = [("mode", ctypes.c_int), ("shared_turns", ctypes.c_uint64),
                ("fallback_turns", ctypes.c_uint64), ("fallbacks", ctypes.c_uint64),
                ("returns", ctypes.c_uint64), ("present", ctypes.c_uint32)]


_NUMBERS = ("rate_per_s", "burst", "concurrency", "lease_ms", "timeout_ms", "presence_ms")
_redis: List[ctypes.CDLL] = []
_redis_lock = threading.Lock()


def _redis_lib() -> ctypes.CDLL:
    """libsixmm-throttle-redis, loaded once; ImportError naming every try."""
    with _redis_lock:
        if _redis:
            return _redis[0]
        tried: List[str] = []
        for where in (os.environ.get(REDIS_ENV),
                      os.path.join(os.path.dirname(_lib_path), REDIS_NAME),
                      ctypes.util.find_library("sixmm-throttle-redis")):
            if not where:
                continue
            try:
                r = ctypes.CDLL(where)
            except OSError as exc:
                tried.append(f"{where}: {exc}")
                continue
            r.sixmm_redis_quota_open.restype = ctypes.c_int
            r.sixmm_redis_quota_open.argtypes = [ctypes.c_char_p, ctypes.c_int,
                                                 ctypes.POINTER(_RedisOptions),
                                                 ctypes.POINTER(ctypes.c_void_p)]
            r.sixmm_throttle_init_redis.restype = ctypes.c_int
            r.sixmm_throttle_init_redis.argtypes = [_PT, ctypes.c_void_p]
            r.sixmm_redis_quota_stats.restype = None
            r.sixmm_redis_quota_stats.argtypes = [ctypes.c_void_p, ctypes.POINTER(_RedisStats)]
            r.sixmm_redis_quota_close.restype = None
            r.sixmm_redis_quota_close.argtypes = [ctypes.c_void_p]
            _redis.append(r)
            return r
        raise ImportError(f"libsixmm-throttle-redis not found (set ${REDIS_ENV} or install "
                          f"it); tried: {'; '.join(tried) or 'nothing'}")


class LeasedThrottle(Throttle):
    """A Throttle whose slots are leases: release() gives back one of this
    object's leases (any: they are all alike), and one that is never given
    back ends with the lease. Made by Throttle.shared() or Throttle.redis()."""

    def __init__(self, pointer: "_ThrottleP", where: str) -> None:
        # Throttle.__init__ makes an in-process throttle; this one exists.
        self._where = where
        self._freed = threading.Condition()
        self._ptr = pointer
        self._t = pointer.contents
        self._tickets: List[int] = []
        self._lock = threading.Lock()
        self._closed = False

    def __repr__(self) -> str:
        return f"<Throttle {self._where}>"

    def try_acquire(self, now_ms: Optional[int] = None) -> Optional[int]:
        """Take a leased slot: the milliseconds to wait before sending (0:
        now), or None when every slot is taken (nothing was taken)."""
        ticket = ctypes.c_uint32(NO_TICKET)
        w = int(lib.sixmm_throttle_acquire_lease(self._ptr, _now_ms() if now_ms is None
                                                 else now_ms, byref(ticket)))
        if w == UINT32_MAX:
            return None
        with self._lock:
            self._tickets.append(ticket.value)
        return w

    def release(self, now_ms: Optional[int] = None) -> None:
        """Give back one lease that try_acquire() or acquire() took."""
        with self._lock:
            if not self._tickets:
                return
            ticket = self._tickets.pop()
        lib.sixmm_throttle_release_lease(self._ptr, ticket, _now_ms() if now_ms is None
                                         else now_ms)
        with self._freed:
            self._freed.notify()


class SharedThrottle(LeasedThrottle):
    """Throttle.shared(): the throttle in a file that every process maps."""

    def close(self) -> None:
        """Unmap it (the file and the quota's state stay for the others)."""
        if not self._closed:
            self._closed = True
            lib.sixmm_throttle_close_shared(self._ptr)


class RedisThrottle(LeasedThrottle):
    """Throttle.redis(): the quota in Redis, shared by the hosts that open
    the same key, with this host's share while Redis is away."""

    def __init__(self, r: ctypes.CDLL, quota: ctypes.c_void_p, local: _CThrottle,
                 where: str) -> None:
        super().__init__(ctypes.pointer(local), where)
        self._r, self._q, self._local = r, quota, local

    def stats(self) -> Dict[str, int]:
        """mode (0: Redis, 1: this host's share), shared_turns,
        fallback_turns, fallbacks, returns, present."""
        s = _RedisStats()
        self._r.sixmm_redis_quota_stats(self._q, byref(s))
        return {name: int(getattr(s, name)) for name, _ in _RedisStats._fields_}

    def close(self) -> None:
        """Close the connection; leases still held expire in Redis."""
        if not self._closed:
            self._closed = True
            self._r.sixmm_redis_quota_close(self._q)


def shared(path: "str | os.PathLike[str]", domain: DomainLike) -> SharedThrottle:
    """sixmm_throttle_open_shared(): ValueError for a file that is not a
    region of the domain's quota, OSError when the system refuses."""
    out = _PT()
    rc = int(lib.sixmm_throttle_open_shared(os.fsencode(path), domain_index(domain), byref(out)))
    if rc != 0:
        why = (lib.sixmm_shared_strerror(rc) or b"").decode()
        if rc == _SYSTEM_ERROR:
            raise OSError(ctypes.get_errno(), f"{os.fspath(path)}: {why}")
        raise ValueError(f"{os.fspath(path)}: {why}")
    return SharedThrottle(out, f"shared by the processes that map {os.fspath(path)!r}, "
                               f"{DOMAINS[domain_index(domain)].value}'s quota")


def redis(url: str, domain: DomainLike, key: Optional[str], hosts: int, host_index: int,
          numbers: Dict[str, Optional[int]]) -> RedisThrottle:
    """sixmm_redis_quota_open() and sixmm_throttle_init_redis()."""
    for name, v, low in (("hosts", hosts, 1), ("host_index", host_index, 0)):
        if not isinstance(v, int) or isinstance(v, bool) or not low <= v <= UINT32_MAX:
            raise ValueError(f"{name} must be an int from {low} to 2**32-1, not {v!r}")
    values = []
    for name in _NUMBERS:
        given = numbers.pop(name, None)
        if given is not None and (not isinstance(given, int) or isinstance(given, bool)
                                  or not 0 < given <= UINT32_MAX):
            raise ValueError(f"{name} must be an int from 1 to 2**32-1, not {given!r}")
        values.append(given or 0)
    if numbers:
        raise TypeError(f"unknown options: {', '.join(sorted(numbers))}")
    r = _redis_lib()
    opts = _RedisOptions(key.encode() if key is not None else None, hosts, host_index, *values)
    q = ctypes.c_void_p()
    if r.sixmm_redis_quota_open(url.encode(), domain_index(domain), byref(opts), byref(q)) != 0:
        raise ValueError(f"the Redis quota refused url={url!r}, domain={domain!r}, key={key!r}, "
                         f"hosts={hosts}, host_index={host_index}")
    local = _CThrottle()
    r.sixmm_throttle_init_redis(byref(local), q)
    return RedisThrottle(r, q, local, f"in Redis at {url}, "
                                      f"{DOMAINS[domain_index(domain)].value}'s quota, "
                                      f"host {host_index} of {hosts}")
