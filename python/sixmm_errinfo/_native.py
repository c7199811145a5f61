"""Finding and loading libsixmm-errinfo, and the prototypes of its public API.

The only module that touches ctypes' loader. Order: the copy bundled in the
package, then the path in $SIXMM_ERRINFO_LIBRARY, then the system's copy
(ctypes.util.find_library). A library whose major version differs from the
package's is refused, and so is one whose enums differ from _spec.py's.
"""
import ctypes
import ctypes.util
import os
from typing import List, Optional, Tuple

try:
    from ._version import __version__
except ImportError:   # CMake writes _version.py into the staged package only
    raise ImportError("this is the unbuilt source of sixmm_errinfo: build the CMake target "
                      "sixmm_python and use build/python/pkg, or pip install ./python") from None

BUNDLED_NAME = "libsixmm-errinfo.so"
ENV_VAR = "SIXMM_ERRINFO_LIBRARY"
SYSTEM_NAME = "sixmm-errinfo"

c_entry_p = ctypes.c_void_p   # const sixmm_entry *: an address, or None for NULL


class Call(ctypes.Structure):
    """struct sixmm_call."""

    _fields_ = [("domain", ctypes.c_int), ("http_status", ctypes.c_int),
                ("has_code", ctypes.c_int), ("code", ctypes.c_int64),
                ("message", ctypes.c_char_p), ("message_len", ctypes.c_size_t),
                ("idempotent", ctypes.c_int), ("attempt", ctypes.c_uint)]


class RawAdvice(ctypes.Structure):
    """struct sixmm_advice; entry and reason as addresses (None for NULL)."""

    _fields_ = [("action", ctypes.c_int), ("entry", c_entry_p), ("match", ctypes.c_int),
                ("resend", ctypes.c_int), ("delay_ms", ctypes.c_uint32),
                ("reason", ctypes.c_void_p)]


class Throttle(ctypes.Structure):
    """struct sixmm_throttle (opaque)."""

    _fields_ = [("opaque", ctypes.c_uint64 * 72)]


class Budget(ctypes.Structure):
    """struct sixmm_budget (opaque)."""

    _fields_ = [("opaque", ctypes.c_uint64 * 4)]


class BudgetState(ctypes.Structure):
    """struct sixmm_budget_state."""

    _fields_ = [("tokens_milli", ctypes.c_uint64), ("max_milli", ctypes.c_uint64),
                ("refill_milli", ctypes.c_uint64), ("resend", ctypes.c_int)]


class Clock(ctypes.Structure):
    """struct sixmm_clock (opaque)."""

    _fields_ = [("opaque", ctypes.c_uint64 * 16)]


class Intent(ctypes.Structure):
    """struct sixmm_intent (opaque, plain data)."""

    _fields_ = [("opaque", ctypes.c_uint64 * 24)]


class NextOut(ctypes.Structure):
    """struct sixmm_next."""

    _fields_ = [("todo", ctypes.c_int), ("sign_ms", ctypes.c_int64),
                ("wait_ms", ctypes.c_uint32), ("outcome", ctypes.c_int), ("why", ctypes.c_int),
                ("reason", ctypes.c_char_p), ("alert", ctypes.c_int),
                ("alert_reason", ctypes.c_char_p), ("cause", ctypes.c_int),
                ("sends", ctypes.c_uint), ("queries", ctypes.c_uint)]


class ReconcileIn(ctypes.Structure):
    """struct sixmm_reconcile_in."""

    _fields_ = [("domain", ctypes.c_int), ("found", ctypes.c_int),
                ("signed_at_ms", ctypes.c_uint64), ("now_ms", ctypes.c_uint64),
                ("clock_error_ms", ctypes.c_uint32), ("attempt", ctypes.c_uint)]


class ReconcileOut(ctypes.Structure):
    """struct sixmm_reconcile_out."""

    _fields_ = [("step", ctypes.c_int), ("delay_ms", ctypes.c_uint32),
                ("reason", ctypes.c_char_p)]


_S = ctypes.c_char_p
_SIZE = ctypes.c_size_t
_INT = ctypes.c_int
_U32, _U64 = ctypes.c_uint32, ctypes.c_uint64
_PT, _PB, _PA = ctypes.POINTER(Throttle), ctypes.POINTER(Budget), ctypes.POINTER(RawAdvice)
_PI = ctypes.POINTER(Intent)
_PROTOTYPES: List[Tuple[str, object, List[object]]] = [
    ("sixmm_version", _S, []),
    ("sixmm_catalog_version", _S, []),
    ("sixmm_catalog_digest", _S, []),
    ("sixmm_lookup", c_entry_p, [_INT, ctypes.c_int64, ctypes.POINTER(_INT)]),
    ("sixmm_lookup_text", c_entry_p, [_INT, _S, _SIZE, ctypes.POINTER(_INT)]),
    ("sixmm_lookup_name", c_entry_p, [_INT, _S, _SIZE]),
    ("sixmm_lookup_message", c_entry_p, [_INT, _S, _SIZE]),
    ("sixmm_lookup_id", c_entry_p, [_INT, _S, _SIZE]),
    ("sixmm_lookup_description", c_entry_p, [_INT, _S, _SIZE, ctypes.POINTER(_SIZE)]),
    ("sixmm_parse_code", _INT, [_S, _SIZE, ctypes.POINTER(ctypes.c_int64)]),
    ("sixmm_entry_count", _SIZE, []),
    ("sixmm_entry_at", c_entry_p, [_SIZE]),
    ("sixmm_entry_domain", _INT, [c_entry_p]),
    ("sixmm_entry_kind", _INT, [c_entry_p]),
    ("sixmm_entry_code", ctypes.c_int64, [c_entry_p]),
    ("sixmm_entry_code_last", ctypes.c_int64, [c_entry_p]),
    ("sixmm_entry_name", _S, [c_entry_p]),
    ("sixmm_entry_key", _S, [c_entry_p]),
    ("sixmm_entry_category", _INT, [c_entry_p]),
    ("sixmm_entry_retry", _INT, [c_entry_p]),
    ("sixmm_entry_http_status", _INT, [c_entry_p]),
    ("sixmm_entry_description", _S, [c_entry_p, _INT]),
    ("sixmm_entry_remediation", _S, [c_entry_p, _INT]),
    ("sixmm_entry_troubleshooting", _S, [c_entry_p, _INT]),
    ("sixmm_entry_doc_url", _S, [c_entry_p]),
    ("sixmm_entry_doc_url_lang", _S, [c_entry_p, _INT]),
    ("sixmm_entry_source", _INT, [c_entry_p, _INT]),
    ("sixmm_entry_source_text", _S, [c_entry_p, _INT]),
    ("sixmm_entry_related_count", _SIZE, [c_entry_p]),
    ("sixmm_entry_related", c_entry_p, [c_entry_p, _SIZE]),
    ("sixmm_classify", _INT, [ctypes.POINTER(Call), ctypes.c_uint32, ctypes.POINTER(RawAdvice)]),
    ("sixmm_domain_name", _S, [_INT]),
    ("sixmm_domain_parse", _INT, [_S, _SIZE, ctypes.POINTER(_INT)]),
    ("sixmm_category_name", _S, [_INT]),
    ("sixmm_retry_name", _S, [_INT]),
    ("sixmm_retry_advice", _S, [_INT, _INT]),
    ("sixmm_retry_max_resends", _INT, [_INT]),
    ("sixmm_match_name", _S, [_INT]),
    ("sixmm_kind_name", _S, [_INT]),
    ("sixmm_throttle_init", _INT, [_PT, _INT]),
    ("sixmm_throttle_init_custom", _INT, [_PT, _U32, _U32, _U32]),
    ("sixmm_throttle_acquire", _U32, [_PT, _U64]),
    ("sixmm_throttle_release", None, [_PT, _U64]),
    ("sixmm_throttle_feedback", None, [_PT, _PA, _U64]),
    ("sixmm_budget_init", _INT, [_PB, _INT]),
    ("sixmm_budget_apply", _INT, [_PB, _PA]),
    ("sixmm_budget_read", _INT, [_PB, ctypes.POINTER(BudgetState)]),
    ("sixmm_reconcile", _INT, [ctypes.POINTER(ReconcileIn), _U32, ctypes.POINTER(ReconcileOut)]),
    ("sixmm_clock_init", _INT, [ctypes.POINTER(Clock), _U32]),
    ("sixmm_clock_sample", _INT, [ctypes.POINTER(Clock), _U64, ctypes.c_int64, _U64]),
    ("sixmm_clock_read", _INT, [ctypes.POINTER(Clock), _U64, ctypes.POINTER(ctypes.c_int64),
                                ctypes.POINTER(_U32)]),
    ("sixmm_intent_init", _INT, [_PI, _INT, _INT, ctypes.c_int64, _U32]),
    ("sixmm_intent_set_flags", _INT, [_PI, ctypes.c_uint]),
    ("sixmm_intent_next", _INT, [_PI, ctypes.POINTER(Clock), _PT, _PB, _U64, _U32,
                                 ctypes.POINTER(NextOut)]),
    ("sixmm_intent_sending", _INT, [_PI, ctypes.c_int64]),
    ("sixmm_intent_not_sent", _INT, [_PI]),
    ("sixmm_intent_answer", _INT, [_PI, ctypes.POINTER(Call), _U64]),
    ("sixmm_intent_querying", _INT, [_PI, ctypes.c_int64]),
    ("sixmm_intent_found", _INT, [_PI, _INT, _S, _SIZE]),
    ("sixmm_intent_restart", _INT, [_PI]),
    ("sixmm_intent_outcome", _INT, [_PI]),
    ("sixmm_intent_status", _INT, [_PI]),
    ("sixmm_intent_is_done", _INT, [_PI]),
    ("sixmm_intent_encode", _SIZE, [_PI, ctypes.c_char_p, _SIZE]),
    ("sixmm_intent_decode", _INT, [_PI, ctypes.c_char_p, _SIZE]),
]


def _major(version: str) -> str:
    return version.split(".", 1)[0]


def _candidates() -> List[Tuple[str, Optional[str]]]:
    """(where, path) in loading order; path None when that place has nothing."""
    here = os.path.dirname(os.path.abspath(__file__))
    system = ctypes.util.find_library(SYSTEM_NAME)
    return [(f"bundled ({here})", os.path.join(here, BUNDLED_NAME)),
            (f"${ENV_VAR}", os.environ.get(ENV_VAR) or None),
            (f"ctypes.util.find_library({SYSTEM_NAME!r})", system)]


def _open(path: str) -> ctypes.CDLL:
    """Load one candidate and bind the prototypes; raise OSError saying why not."""
    lib = ctypes.CDLL(path)
    for name, restype, argtypes in _PROTOTYPES:
        try:
            fn = getattr(lib, name)
        except AttributeError:
            raise OSError(f"it has no function {name}") from None
        fn.restype = restype
        fn.argtypes = argtypes
        if name == "sixmm_version":   # first: another major may lack the rest
            version = fn().decode()
            if _major(version) != _major(__version__):
                raise OSError(f"it is version {version}; this package {__version__} needs "
                              f"major version {_major(__version__)}")
    return lib


def load() -> Tuple[ctypes.CDLL, str]:
    """The library and the path it came from, or ImportError naming every try."""
    tried = []
    for where, path in _candidates():
        if path is None:
            tried.append(f"{where}: not set" if where.startswith("$") else f"{where}: none found")
            continue
        if where.startswith("bundled") and not os.path.exists(path):
            tried.append(f"{where}: no {BUNDLED_NAME}")
            continue
        try:
            return _open(path), path
        except OSError as exc:
            tried.append(f"{where}: {path}: {exc}")
    raise ImportError("sixmm_errinfo cannot load libsixmm-errinfo; looked in:\n  "
                      + "\n  ".join(tried))


lib, path = load()


def names(fn: "ctypes._NamedFuncPointer") -> List[str]:
    """The names a *_name(i) function gives for i = 0, 1, ... until it says ""."""
    out: List[str] = []
    while True:
        n = fn(len(out))
        if not n:
            return out
        out.append(n.decode())
