"""search(): the entries that hold every word, as `6mm-errinfo --search`
ranks them (src/cli/list.c), over the C library's entries.

A word matches a word of a field, or the start of one (words split at
anything but an ASCII letter or digit, ASCII case ignored); a word with
non-ASCII characters (Chinese) matches anywhere. Entries rank by the fields
their words matched in: name, key, description, classification,
remediation; ties keep the catalog's order. tests/python/test_explain.py
compares it with the CLI.
"""
from typing import List, NamedTuple, Optional, Tuple, Union

from ._entry import DOMAINS, DomainLike, Entry, domain_index, entries
from ._spec import Category, Retry

FIELDS = ("name", "key", "description", "classification", "remediation")
MAX_WORDS, MAX_WORD = 32, 256


class SearchHit(NamedTuple):
    """One entry that holds every word, and the fields they matched in."""

    entry: Entry
    matched: Tuple[str, ...]


def _fold(b: bytes) -> bytes:
    return bytes(c + 32 if 65 <= c <= 90 else c for c in b)


def _is_alnum(c: int) -> bool:
    return 48 <= c <= 57 or 65 <= c <= 90 or 97 <= c <= 122


def _has_word(hay: bytes, w: bytes, anywhere: bool) -> bool:
    hay = _fold(hay)
    i = hay.find(w)
    while i >= 0:
        if anywhere or i == 0 or not _is_alnum(hay[i - 1]):
            return True
        i = hay.find(w, i + 1)
    return False


def _texts(e: Entry) -> Tuple[Tuple[bytes, ...], ...]:
    """The texts of each field of FIELDS, in that order."""
    def b(*xs: str) -> Tuple[bytes, ...]:
        return tuple(x.encode() for x in xs if x)
    return (b(e.name), b(e.key), b(e.description("en"), e.description("zh")),
            b(e.category.value, e.retry.value, e.domain.value),
            b(e.remediation("en"), e.remediation("zh"), e.troubleshooting("en"),
              e.troubleshooting("zh")))


def _words(args: Tuple[Union[str, bytes], ...]) -> List[bytes]:
    words: List[bytes] = []
    for a in args:
        if isinstance(a, str):
            a = a.encode("utf-8", "surrogateescape")
        elif not isinstance(a, bytes):
            raise TypeError(f"a search word must be str or bytes, not {type(a).__name__}")
        try:
            a.decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError("a search word is not valid UTF-8") from None
        for w in a.replace(b"\t", b" ").split(b" "):
            if not w:
                continue
            if len(w) >= MAX_WORD:
                raise ValueError(f"a search word is longer than {MAX_WORD - 1} bytes")
            words.append(_fold(w))
    if not words:
        raise ValueError("search needs at least one word")
    if len(words) > MAX_WORDS:
        raise ValueError(f"search takes at most {MAX_WORDS} words")
    return words


def search(*words: Union[str, bytes], domain: Optional[DomainLike] = None,
           category: Optional[Union[str, Category]] = None,
           retry: Optional[Union[str, Retry]] = None) -> List[SearchHit]:
    """Every entry whose fields hold all the words, best first, as
    `6mm-errinfo --search WORD...` lists them; the keywords filter as
    --domain, --category and --retry do. An empty list when nothing
    matches; ValueError for no words, or an unknown domain, category or
    retry class."""
    ws = _words(words)
    dom = DOMAINS[domain_index(domain)] if domain is not None else None
    cat = Category(category) if category is not None else None
    ret = Retry(retry) if retry is not None else None
    hits: List[Tuple[int, int, SearchHit]] = []
    for order, e in enumerate(entries()):
        if (dom is not None and e.domain is not dom) or (cat is not None and e.category is not cat) \
                or (ret is not None and e.retry is not ret):
            continue
        texts, score, fields = _texts(e), 0, 0
        for w in ws:
            anywhere = not w.isascii()
            f = next((i for i, t in enumerate(texts)
                      if any(_has_word(x, w, anywhere) for x in t)), None)
            if f is None:
                break
            score += f
            fields |= 1 << f
        else:
            hits.append((score, order, SearchHit(e, tuple(n for i, n in enumerate(FIELDS)
                                                          if fields >> i & 1))))
    hits.sort(key=lambda h: (h[0], h[1]))
    return [h[2] for h in hits]
