"""explain(): what `6mm-errinfo QUERY` answers, for any text a caller holds.

The resolution is the CLI's (src/cli/query.c), step for step, over the C
library's lookups: an optional DOMAIN: prefix (any case), then a code, else
a name, a server message or a widget identifier in each domain in turn,
then a description (en or zh, up to case and blanks), else the closest
names ("did you mean"). tests/python/test_explain.py compares the
two on every entry and on the edge cases. Texts are compared as UTF-8
bytes, as the CLI compares them.
"""
import ctypes
from typing import List, NamedTuple, Optional, Tuple, Union

from ._entry import (DOMAINS, KIND_NAMES, MATCH_NAMES, DomainLike, Entry, domain_index,
                     entries, entry_or_none, lookup, parse_code)
from ._native import lib
from ._spec import Domain

MAX_SUGGESTIONS, MAX_SUGGEST_LEN = 3, 64
_EXACT, _RANGE, _UNKNOWN, _DESCRIPTION = (MATCH_NAMES[0], MATCH_NAMES[1], MATCH_NAMES[3],
                                          MATCH_NAMES[5])
_FOUND = (_EXACT, _RANGE, _DESCRIPTION)   # the matches the CLI answers with status 0
_KIND_MESSAGE, _KIND_ID = KIND_NAMES[2], KIND_NAMES[3]
_REST = DOMAINS[0]


class Explanation(NamedTuple):
    """The answer to one query, field for field the CLI's JSON record.

    ``status`` is "found" (match exact, range or description), "fallback"
    (a block's fallback, or nothing known) or "error" (the text is not a query: then
    ``error`` says why, and ``domain`` and ``match`` are None).
    ``suggestions`` are what to type instead ("agent:6905", "TOKEN_EXPIRED").
    """

    query: str
    status: str
    domain: Optional[Domain]
    match: Optional[str]
    code: Optional[int]
    entry: Optional[Entry]
    suggestions: Tuple[str, ...]
    error: Optional[str]


def _fold(b: bytes) -> bytes:
    return b.lower() if b.isascii() else bytes(c + 32 if 65 <= c <= 90 else c for c in b)


def edit_distance(a: bytes, b: bytes) -> int:
    """Levenshtein distance, ignoring ASCII case."""
    a, b = _fold(a), _fold(b)
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        diag, row[0] = row[0], i
        for j in range(1, len(b) + 1):
            up = row[j]
            row[j] = min(diag + (a[i - 1] != b[j - 1]), up + 1, row[j - 1] + 1)
            diag = up
    return row[len(b)]


def _suggestion(e: Entry, word: bytes) -> str:
    """How a suggestion is typed: its domain prefix outside rest, a message
    in double quotes."""
    q = '"' if e.kind == _KIND_MESSAGE and word.decode() == e.key else ""
    prefix = "" if e.domain is _REST else e.domain.value + ":"
    return f"{q}{prefix}{word.decode()}{q}"


def suggest(key: bytes, domain: Optional[Domain]) -> Tuple[str, ...]:
    """The closest names, messages and identifiers, at most a third of the
    key's length away (1 to 3 edits), nearest first, spec order on ties."""
    if len(key) >= 8 and _fold(key[:8]) == b"sixmm_e_":
        key = key[8:]
    if not key or len(key) > MAX_SUGGEST_LEN:
        return ()
    limit = max(1, min(3, len(key) // 3))
    found: List[Tuple[int, int, Entry, bytes]] = []
    for order, e in enumerate(entries()):
        if domain is not None and e.domain is not domain:
            continue
        cands = ([] if e.kind == _KIND_ID else [e.name.encode()]) + \
            ([e.key.encode()] if e.kind in (_KIND_ID, _KIND_MESSAGE) else [])
        for c in cands:
            if len(c) > MAX_SUGGEST_LEN:
                continue
            d = edit_distance(key, c)
            if d <= limit:
                found.append((d, order, e, c))
                break   # one suggestion per entry
    found.sort(key=lambda t: (t[0], t[1]))
    return tuple(_suggestion(e, c) for _, _, e, c in found[:MAX_SUGGESTIONS])


def _shown(b: bytes) -> str:
    """At most 60 bytes of the user's text, cut on a UTF-8 boundary."""
    if len(b) <= 60:
        return b.decode()
    n = 57
    while n > 0 and b[n] & 0xC0 == 0x80:
        n -= 1
    return b[:n].decode() + "..."


def _other_domain(domain: Domain, code: int) -> Optional[Entry]:
    """The entry another domain documents for the code (exact or range)."""
    for d in DOMAINS:
        if d is not domain:
            m = lookup(code, d)
            if m.kind in (_EXACT, _RANGE):
                return m.entry
    return None


def _is_letters(b: bytes) -> bool:
    return 0 < len(b) <= 16 and b.isalpha() and b.isascii()


def _text(query: str, key: bytes, dom: Domain, fixed: Optional[Domain]) -> Explanation:
    """A name, message, identifier or description: in the fixed domain, else
    in each domain in turn, dom first; keys before descriptions."""
    key = key.strip(b" \t")
    order = [dom] + ([d for d in DOMAINS if d is not dom] if fixed is None else [])
    for d in order:
        i = domain_index(d)
        for fn in (lib.sixmm_lookup_name, lib.sixmm_lookup_message, lib.sixmm_lookup_id):
            e = entry_or_none(fn(i, key, len(key)))
            if e is not None:
                return Explanation(query, "found", d, _EXACT, None, e, (), None)
    described: Optional[Domain] = None
    for d in order:
        count = ctypes.c_size_t()
        e = entry_or_none(lib.sixmm_lookup_description(domain_index(d), key, len(key),
                                                       ctypes.byref(count)))
        if e is not None:
            return Explanation(query, "found", d, _DESCRIPTION, None, e, (), None)
        if count.value > 1 and described is None:
            described = d   # the description of several entries: no suggestion
    if described is not None:
        return Explanation(query, "fallback", described, _UNKNOWN, None, None, (), None)
    return Explanation(query, "fallback", dom, _UNKNOWN, None, None, suggest(key, fixed), None)


def explain(text: Union[str, bytes], *, domain: Optional[DomainLike] = None) -> Explanation:
    """Explain any text as `6mm-errinfo [--domain D] TEXT` does: a code
    ("5003", "agent:6905"), a symbolic name in any case, with or without
    SIXMM_E_, a server message or a widget identifier. ``domain`` fixes the
    domain, as a DOMAIN: prefix does; without either, codes are rest's and
    names are looked up in each domain in turn.

    Never raises for the text's content: text that is not a query comes back
    with status "error" and the reason. TypeError for a text that is neither
    str nor bytes, ValueError for an unknown ``domain``.
    """
    if isinstance(text, str):
        raw = text.encode("utf-8", "surrogateescape")
    elif isinstance(text, bytes):
        raw = text
    else:
        raise TypeError(f"text must be str or bytes, not {type(text).__name__}")
    # As the CLI's --domain, in any case.
    fixed = DOMAINS[domain_index(domain.lower() if isinstance(domain, str) else domain)] \
        if domain is not None else None
    query = raw.decode("utf-8", "replace")

    def fail(why: str) -> Explanation:
        return Explanation(query, "error", None, None, None, None, (), why)

    if not raw:
        return fail("empty argument")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return fail("argument is not valid UTF-8")
    if any(c < 0x20 or c == 0x7F for c in raw):
        return fail("argument contains a control character")
    dom = fixed or _REST
    key = raw
    colon = raw.find(b":")
    # "agent:6905" and "AGENT:6905" have a domain; "timeout: read failed" (a
    # message) does not. A word that is no domain is an error, unless the
    # whole text is a name, message or description.
    if colon > 0 and _is_letters(raw[:colon]) and raw[colon + 1:colon + 2] != b" ":
        prefix = raw[:colon].decode()
        try:
            dom = DOMAINS[domain_index(prefix.lower())]
        except ValueError:
            whole = _text(query, raw, dom, fixed)
            if whole.status == "found":
                return whole
            return fail(f"unknown domain '{prefix[:40]}'; known: "
                        + ", ".join(d.value for d in DOMAINS))
        fixed, key = dom, raw[colon + 1:]
        if not key:
            return fail(f"'{_shown(raw)}' has nothing after the domain")

    start = key.lstrip(b" ")
    if start[:1].isdigit() or (start[:1] in (b"-", b"+") and start[1:2].isdigit()):
        code = parse_code(key)
        if code is None:
            if not key.strip(b" +-0123456789"):
                return fail(f"'{_shown(key)}' is out of range: a code is a 64-bit integer")
            return fail(f"'{_shown(key)}' is not a code (digits only), a name or a message")
        m = lookup(code, dom)
        other = _other_domain(dom, code) if m.entry is None else None
        sugg = (_suggestion(other, other.key.encode()),) if other is not None else ()
        return Explanation(query, "found" if m.kind in _FOUND else "fallback", dom,
                           m.kind, code, m.entry, sugg, None)
    if not any(c >= 0x80 or 65 <= c <= 90 or 97 <= c <= 122 for c in key):
        return fail(f"'{_shown(key)}' is not a code, a name or a message")

    return _text(query, key, dom, fixed)
