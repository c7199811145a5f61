"""The journal for Python callers: Journal over libsixmm-journal (SQLite).

The records are the order machine's (Intent.encode()); the journal keeps them
by client order id, each put durable before it returns, so that a process
that restarts finishes what it had in flight (docs/JOURNAL.md). The library
is found at $SIXMM_JOURNAL_LIBRARY, beside libsixmm-errinfo, or on the
system's library path; all the storing is the C library's.
"""
import ctypes
import ctypes.util
import os
import threading
from ctypes import byref
from typing import Callable, List, Optional, Tuple

from ._machine import Intent
from ._native import Intent as _CIntent
from ._native import path as _lib_path

JOURNAL_ENV = "SIXMM_JOURNAL_LIBRARY"
JOURNAL_NAME = "libsixmm-journal.so"
ID_MAX = 255   # SIXMM_JOURNAL_ID_MAX
NOT_FOUND = 1  # SIXMM_JOURNAL_NOT_FOUND

_EACH = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p,
                         ctypes.POINTER(_CIntent))
_loaded: List[ctypes.CDLL] = []
_load_lock = threading.Lock()


class JournalError(OSError):
    """A journal that cannot be opened, read or written: the library's one
    line naming the file (corrupt, foreign, locked, full)."""


def _declare(j: ctypes.CDLL) -> None:
    vp, cp, it = ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(_CIntent)
    j.sixmm_journal_open_timeout.restype = ctypes.c_int
    j.sixmm_journal_open_timeout.argtypes = [cp, ctypes.c_uint32, ctypes.POINTER(vp)]
    j.sixmm_journal_close.restype = None
    j.sixmm_journal_close.argtypes = [vp]
    j.sixmm_journal_errmsg.restype = cp
    j.sixmm_journal_errmsg.argtypes = [vp]
    j.sixmm_journal_put.restype = ctypes.c_int
    j.sixmm_journal_put.argtypes = [vp, cp, it]
    j.sixmm_journal_get.restype = ctypes.c_int
    j.sixmm_journal_get.argtypes = [vp, cp, it]
    j.sixmm_journal_pending.restype = ctypes.c_int
    j.sixmm_journal_pending.argtypes = [vp, _EACH, vp]


def _journal_lib() -> ctypes.CDLL:
    """libsixmm-journal, loaded once; ImportError naming every try."""
    with _load_lock:
        if _loaded:
            return _loaded[0]
        tried: List[str] = []
        for where in (os.environ.get(JOURNAL_ENV),
                      os.path.join(os.path.dirname(_lib_path), JOURNAL_NAME),
                      ctypes.util.find_library("sixmm-journal")):
            if not where:
                continue
            try:
                j = ctypes.CDLL(where)
            except OSError as exc:
                tried.append(f"{where}: {exc}")
                continue
            _declare(j)
            _loaded.append(j)
            return j
        raise ImportError(f"libsixmm-journal not found (set ${JOURNAL_ENV} or install it); "
                          f"tried: {'; '.join(tried) or 'nothing'}")


def _id(client_order_id: str) -> bytes:
    b = client_order_id.encode() if isinstance(client_order_id, str) else b""
    if not 1 <= len(b) <= ID_MAX or b"\0" in b:
        raise ValueError(f"client_order_id must be 1 to {ID_MAX} bytes of text without NUL, "
                         f"not {client_order_id!r}")
    return b


def _intent_of(c: "ctypes._Pointer[_CIntent]") -> Intent:
    it = Intent.__new__(Intent)
    it._it = _CIntent()
    ctypes.memmove(byref(it._it), c, ctypes.sizeof(_CIntent))
    return it


class Journal:
    """Intent records by client order id, in one SQLite file (WAL,
    synchronous=FULL). Use it as a context manager, or call close()."""

    def __init__(self, path: str, *, busy_timeout_ms: int = 5000) -> None:
        self._j = _journal_lib()
        self._h = ctypes.c_void_p()
        self.path = os.fspath(path)
        if not isinstance(busy_timeout_ms, int) or not 0 <= busy_timeout_ms < 1 << 32:
            raise ValueError(f"busy_timeout_ms must be in [0, 2**32), not {busy_timeout_ms!r}")
        if self._j.sixmm_journal_open_timeout(self.path.encode(), busy_timeout_ms,
                                              byref(self._h)) != 0:
            msg = self._error()
            self.close()
            raise JournalError(msg)

    def _error(self) -> str:
        m = self._j.sixmm_journal_errmsg(self._h)
        return str(m.decode(errors="replace")) if m else "journal error"

    def _handle(self) -> ctypes.c_void_p:
        if not self._h:
            raise ValueError("the journal is closed")
        return self._h

    def put(self, client_order_id: str, intent: Intent) -> None:
        """Store the intent's record; returns only once it is durable."""
        if self._j.sixmm_journal_put(self._handle(), _id(client_order_id),
                                     byref(intent._it)) != 0:
            raise JournalError(self._error())

    def get(self, client_order_id: str) -> Optional[Intent]:
        """The intent stored under that id, or None when there is none."""
        it = Intent.__new__(Intent)
        it._it = _CIntent()
        rc = self._j.sixmm_journal_get(self._handle(), _id(client_order_id), byref(it._it))
        if rc == NOT_FOUND:
            return None
        if rc != 0:
            raise JournalError(self._error())
        return it

    def pending(self) -> List[Tuple[str, Intent]]:
        """Every (client order id, intent) whose intent is not done, in order
        of id: what a restarted process finishes first (call restart() on each)."""
        out: List[Tuple[str, Intent]] = []

        def each(_ctx: Optional[int], cid: bytes, c: "ctypes._Pointer[_CIntent]") -> int:
            out.append((cid.decode(), _intent_of(c)))
            return 0

        cb: Callable[..., int] = _EACH(each)
        if self._j.sixmm_journal_pending(self._handle(), cb, None) < 0:
            raise JournalError(self._error())
        return out

    def close(self) -> None:
        """Close the journal; later calls raise ValueError. Closing twice is fine."""
        if self._h:
            self._j.sixmm_journal_close(self._h)
            self._h = ctypes.c_void_p()

    def __enter__(self) -> "Journal":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Journal {self.path!r}{'' if self._h else ' closed'}>"
