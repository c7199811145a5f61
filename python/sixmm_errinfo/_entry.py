"""Catalog entries and the lookups that find them, over the C library.

Every Entry stands for one `const sixmm_entry *` of the library and is made
once per address, so an entry reached two ways is the same object.
"""
import ctypes
from typing import Dict, Iterator, List, NamedTuple, Optional, Tuple, Union

from . import _fastcall, _native
from ._native import lib
from ._spec import Category, Domain, Retry

DomainLike = Union[str, Domain]
INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1

# The C library's own names for its enum values, by value.
MATCH_NAMES = _native.names(lib.sixmm_match_name)
KIND_NAMES = _native.names(lib.sixmm_kind_name)
_NAMES = (_native.names(lib.sixmm_domain_name), _native.names(lib.sixmm_category_name),
          _native.names(lib.sixmm_retry_name))
_BUILT: Tuple[List[str], ...] = ([d.value for d in Domain], [c.value for c in Category],
                                 [r.value for r in Retry])
if _NAMES != _BUILT:
    raise ImportError(f"{_native.path} has other domains, categories or retry classes "
                      f"({', '.join(map('/'.join, _NAMES))}) than this package was built "
                      "with: rebuild the package with the library")
DOMAINS, CATEGORIES, RETRIES = list(Domain), list(Category), list(Retry)
# By name and by member (an Enum member hashes by its own name, not its value).
DOMAIN_INDEX: Dict[Union[str, Domain], int] = {d.value: i for i, d in enumerate(DOMAINS)}
DOMAIN_INDEX.update({d: i for i, d in enumerate(DOMAINS)})
_LANGS = {"en": 0, "zh": 1}
_FIELDS = {"description": 0, "retry": 1, "remediation": 2}
_SOURCES = {1: "documented", 2: "inferred"}
_KIND_MESSAGE, _KIND_ID = 2, 3   # enum sixmm_kind


def domain_index(domain: DomainLike) -> int:
    """The C value of a domain name; ValueError for an unknown one."""
    try:
        return DOMAIN_INDEX[domain.value if isinstance(domain, Domain) else domain]
    except (KeyError, TypeError):
        raise ValueError(f"unknown domain {domain!r}; one of "
                         + ", ".join(d.value for d in DOMAINS)) from None


def _lang(lang: str) -> int:
    try:
        return _LANGS[lang]
    except (KeyError, TypeError):
        raise ValueError(f"unknown language {lang!r}; one of en, zh") from None


def _text(b: Optional[bytes]) -> str:
    return b.decode() if b else ""


class Provenance(NamedTuple):
    """Where a field comes from: ``source`` is "documented" (``text`` is the
    upstream URL with its anchor) or "inferred" (``text`` is the reasoning)."""

    source: str
    text: str


class Entry:
    """One catalog entry: a code, a range, a message, an identifier or a
    block fallback (kind "class"). Immutable; equal only to itself.

    ``code`` and ``code_last`` are the first and last code (equal for a
    single code), None for a message or an identifier. ``max_resends`` is
    the retry class's limit: how many resends the advisor recommends at most
    (attempt 1 is the first send)."""

    __slots__ = ("_ptr", "domain", "kind", "code", "code_last", "key", "name",
                 "category", "retry", "max_resends", "http_status", "doc_url")
    _ptr: int
    domain: Domain
    kind: str
    code: Optional[int]
    code_last: Optional[int]
    key: str
    name: str
    category: Category
    retry: Retry
    max_resends: int
    http_status: Optional[int]
    doc_url: str

    def __init__(self, ptr: int) -> None:
        http = lib.sixmm_entry_http_status(ptr)
        kind = lib.sixmm_entry_kind(ptr)
        # Messages and identifiers have no code (the C accessors say 0).
        coded = kind not in (_KIND_MESSAGE, _KIND_ID)
        for k, v in (("_ptr", ptr), ("domain", DOMAINS[lib.sixmm_entry_domain(ptr)]),
                     ("kind", KIND_NAMES[kind]),
                     ("code", lib.sixmm_entry_code(ptr) if coded else None),
                     ("code_last", lib.sixmm_entry_code_last(ptr) if coded else None),
                     ("key", _text(lib.sixmm_entry_key(ptr))),
                     ("name", _text(lib.sixmm_entry_name(ptr))),
                     ("category", CATEGORIES[lib.sixmm_entry_category(ptr)]),
                     ("retry", RETRIES[lib.sixmm_entry_retry(ptr)]),
                     ("max_resends", lib.sixmm_retry_max_resends(lib.sixmm_entry_retry(ptr))),
                     ("http_status", http or None),
                     ("doc_url", _text(lib.sixmm_entry_doc_url(ptr)))):
            object.__setattr__(self, k, v)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Entry is immutable (cannot set {name})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Entry is immutable (cannot delete {name})")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Entry) and other._ptr == self._ptr

    def __hash__(self) -> int:
        return hash(self._ptr)

    def __repr__(self) -> str:
        return (f"<Entry {self.domain.value}:{self.key} {self.name} "
                f"category={self.category.value} retry={self.retry.value} "
                f"max_resends={self.max_resends}>")

    def description(self, lang: str = "en") -> str:
        """The description; English verbatim from upstream where documented."""
        return _text(lib.sixmm_entry_description(self._ptr, _lang(lang)))

    def remediation(self, lang: str = "en") -> str:
        """What to do about it."""
        return _text(lib.sixmm_entry_remediation(self._ptr, _lang(lang)))

    def doc_url_lang(self, lang: str = "en") -> str:
        """The doc link in a language: for "zh" the Chinese twin of the page,
        at the same anchor, where upstream has one, else ``doc_url``."""
        return _text(lib.sixmm_entry_doc_url_lang(self._ptr, _lang(lang)))

    def troubleshooting(self, lang: str = "en") -> str:
        """The verbatim "Problem" cell of the upstream troubleshooting row, or ""."""
        return _text(lib.sixmm_entry_troubleshooting(self._ptr, _lang(lang)))

    def provenance(self, field: str) -> Provenance:
        """Provenance of "description", "retry" or "remediation"."""
        try:
            f = _FIELDS[field]
        except (KeyError, TypeError):
            raise ValueError(f"no provenance for {field!r}; one of "
                             + ", ".join(_FIELDS)) from None
        return Provenance(_SOURCES[lib.sixmm_entry_source(self._ptr, f)],
                          _text(lib.sixmm_entry_source_text(self._ptr, f)))

    @property
    def related(self) -> Tuple["Entry", ...]:
        """For a code, the messages sent with it; for a message, its codes."""
        n = lib.sixmm_entry_related_count(self._ptr)
        return tuple(entry_at_address(lib.sixmm_entry_related(self._ptr, i)) for i in range(n))


_BY_ADDRESS: Dict[int, Entry] = {}


def entry_at_address(ptr: int) -> Entry:
    """The Entry for a non-NULL `const sixmm_entry *`, made once."""
    e = _BY_ADDRESS.get(ptr)
    if e is None:
        # Two threads may both build one; setdefault keeps the first.
        e = _BY_ADDRESS.setdefault(ptr, Entry(ptr))
    return e


def entry_or_none(ptr: Optional[int]) -> Optional[Entry]:
    if not ptr:
        return None
    e = _BY_ADDRESS.get(ptr)
    return e if e is not None else entry_at_address(ptr)


_CATALOG: List[Entry] = [entry_at_address(lib.sixmm_entry_at(i))
                         for i in range(lib.sixmm_entry_count())]


class Match(NamedTuple):
    """A lookup's answer: ``entry`` (None when unknown) and how it was found,
    ``kind``: "exact", "range", "class" or "unknown"."""

    entry: Optional[Entry]
    kind: str


_UNKNOWN = MATCH_NAMES[3]
_EXACT = MATCH_NAMES[0]


def _bytes(text: Union[str, bytes]) -> bytes:
    if isinstance(text, bytes):
        return text
    if isinstance(text, str):
        return text.encode("utf-8", "replace")
    raise TypeError(f"expected str or bytes, not {type(text).__name__}")


_MATCHES: Dict[int, Match] = {}   # by entry address * 4 + match kind: each made once


def _code_match(ptr: Optional[int], m: int) -> Match:
    key = ((ptr or 0) << 2) | m
    hit = _MATCHES.get(key)
    if hit is None:
        hit = _MATCHES.setdefault(key, Match(entry_or_none(ptr), MATCH_NAMES[m]))
    return hit


def lookup(code: Union[int, str, bytes], domain: DomainLike = "rest") -> Match:
    """Look a wire code up: exact, then range, then class (its thousands
    block), else unknown. A code given as text ("5003", as a body or a log
    carries it) is read as lookup_text() reads it."""
    if type(code) is not int:
        if isinstance(code, (str, bytes)):
            return lookup_text(code, domain)
        if not isinstance(code, int) or isinstance(code, bool):
            raise TypeError(f"code must be an int or its text, not {type(code).__name__}")
    try:
        d = DOMAIN_INDEX[domain]
    except (KeyError, TypeError):
        d = domain_index(domain)
    if not INT64_MIN <= code <= INT64_MAX:
        return Match(None, _UNKNOWN)
    m = ctypes.c_int()
    ptr = _fastcall.lookup(d, code, ctypes.byref(m))
    return _code_match(ptr, m.value)


def lookup_text(text: Union[str, bytes], domain: DomainLike = "rest") -> Match:
    """Parse the decimal text of a code, then lookup(); junk is unknown."""
    b = _bytes(text)
    m = ctypes.c_int()
    ptr = lib.sixmm_lookup_text(domain_index(domain), b, len(b), ctypes.byref(m))
    return _code_match(ptr, m.value)


def _exact(fn: "ctypes._NamedFuncPointer", text: Union[str, bytes], domain: DomainLike) -> Match:
    b = _bytes(text)
    e = entry_or_none(fn(domain_index(domain), b, len(b)))
    return Match(e, _EXACT if e is not None else _UNKNOWN)


def lookup_name(name: Union[str, bytes], domain: DomainLike = "rest") -> Match:
    """Look a symbolic name up, ignoring ASCII case ("token_expired")."""
    return _exact(lib.sixmm_lookup_name, name, domain)


def lookup_message(message: Union[str, bytes], domain: DomainLike = "rest") -> Match:
    """Look a server message up, ignoring ASCII case."""
    return _exact(lib.sixmm_lookup_message, message, domain)


def lookup_id(ident: Union[str, bytes], domain: DomainLike = "widget") -> Match:
    """Look a widget string identifier up (exact case)."""
    return _exact(lib.sixmm_lookup_id, ident, domain)


def entries() -> Iterator[Entry]:
    """Every documented entry, all domains, in spec order."""
    return iter(_CATALOG)


def parse_code(text: bytes) -> Optional[int]:
    """The C library's reading of a code's text, or None for junk."""
    out = ctypes.c_int64()
    return out.value if lib.sixmm_parse_code(text, len(text), ctypes.byref(out)) == 0 else None
