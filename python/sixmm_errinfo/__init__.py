"""sixmm_errinfo: the 6MM API error catalog and retry advisor, for Python.

Every answer comes from the C library libsixmm-errinfo, loaded through
ctypes; this package holds no second copy of its tables or rules.

    >>> import sixmm_errinfo as se
    >>> se.lookup(1002).entry.name
    'TOKEN_EXPIRED'
    >>> se.explain("token_expird").suggestions
    ('TOKEN_EXPIRED',)
"""
from ._advice import Advice, classify, classify_response
from ._entry import (Entry, Match, Provenance, entries, lookup, lookup_id, lookup_message,
                     lookup_name, lookup_text)
from ._error import SixmmError
from ._explain import Explanation, explain
from ._native import lib as _lib
from ._native import path as library_path
from ._raise import error_for, raise_for_response
from ._retry import Budget, BudgetState, Reconciled, Throttle, reconcile
from ._search import SearchHit, search
from ._tenacity import RetryHook
from ._machine import RECORD_MAX, Clock, ClockReading, Intent, Next
from ._journal import Journal, JournalError
from . import _enums  # noqa: F401  (checks the spec's enums against the library)
from . import _spec
from ._spec import *  # noqa: F401,F403  (Domain, Category, Retry, one error per category)
from ._spec import Found, Step
from ._version import __version__


def catalog_version() -> str:
    """The catalog version of spec/errors.yaml that the library was built from."""
    return str(_lib.sixmm_catalog_version().decode())


def catalog_digest() -> str:
    """The SHA-256 of that spec/errors.yaml, in hex: which catalog decided."""
    return str(_lib.sixmm_catalog_digest().decode())


def library_version() -> str:
    """The version of the loaded libsixmm-errinfo."""
    return str(_lib.sixmm_version().decode())


__all__ = [
    "__version__", "catalog_version", "catalog_digest", "library_version", "library_path",
    "lookup", "lookup_text", "lookup_name", "lookup_message", "lookup_id", "entries",
    "explain", "Explanation", "search", "SearchHit",
    "Entry", "Match", "Provenance", "Advice", "classify", "classify_response",
    "raise_for_response", "error_for", "SixmmError",
    "Throttle", "Budget", "BudgetState", "reconcile", "Found", "Step", "Reconciled",
    "RetryHook", "Clock", "ClockReading", "Intent", "Next", "RECORD_MAX",
    "Journal", "JournalError",
]
__all__ += _spec.__all__
