"""The spec's enums beyond the catalog (the order machine's intent kind,
todo, outcome, status, ...): the classes are rendered into _spec.py; this
module checks their names against the library's sixmm_NAME_name() at import
and reads their wire texts, texts and groups through sixmm_NAME_wire(),
_parse_wire(), _text() and _GROUP(). No value is spelled here."""
import ctypes
import enum
from typing import Any, Dict, List, Optional, Type, TypeVar

from ._native import lib, names, path
from ._spec import SPEC_ENUMS

E = TypeVar("E", bound=enum.Enum)
_LANGS = {"en": 0, "zh": 1}


def _fn(name: str, restype: Any, argtypes: List[Any]) -> Any:
    f = lib[name]   # item access: a function object of its own, prototyped here
    f.restype, f.argtypes = restype, argtypes
    return f


class _Enum:
    """One spec enum's members in C order and its C functions."""

    def __init__(self, name: str, cls: Type[enum.Enum], wire: bool, text: bool,
                 group: str) -> None:
        self.name = name
        self.members: List[enum.Enum] = list(cls)
        self.index = {m: i for i, m in enumerate(self.members)}
        got = names(_fn(f"sixmm_{name}_name", ctypes.c_char_p, [ctypes.c_int]))
        if got != [m.value for m in self.members]:
            raise ImportError(f"{path} has other {name} values ({', '.join(got)}) than this "
                              "package was built with: rebuild the package with the library")
        self.wire = _fn(f"sixmm_{name}_wire", ctypes.c_char_p, [ctypes.c_int]) if wire else None
        self.parse_wire = _fn(f"sixmm_{name}_parse_wire", ctypes.c_int,
                              [ctypes.c_char_p, ctypes.c_size_t,
                               ctypes.POINTER(ctypes.c_int)]) if wire else None
        self.text = _fn(f"sixmm_{name}_text", ctypes.c_char_p,
                        [ctypes.c_int, ctypes.c_int]) if text else None
        self.group = _fn(f"sixmm_{name}_{group}", ctypes.c_int, [ctypes.c_int]) if group else None
        self.group_name = group


_ENUMS: Dict[type, _Enum] = {cls: _Enum(n, cls, w, t, g) for n, cls, w, t, g in SPEC_ENUMS}
_BY_NAME: Dict[str, type] = {e.name: cls for cls, e in _ENUMS.items()}


def _of(v: enum.Enum) -> _Enum:
    try:
        return _ENUMS[type(v)]
    except KeyError:
        raise TypeError(f"{v!r} is not a value of the spec's enums") from None


def index(v: enum.Enum) -> int:
    """The C value of a member."""
    return _of(v).index[v]


def member(cls: Type[E], i: int) -> E:
    """The member with C value i."""
    m: Any = _ENUMS[cls].members[i]
    out: E = m
    return out


def wire(v: enum.Enum) -> str:
    """The text the API sends for it ("FILLED"); "" when it has none."""
    e = _of(v)
    return str(e.wire(e.index[v]).decode()) if e.wire is not None else ""


def from_wire(cls: Type[E], text: str) -> Optional[E]:
    """The member the API's text names, exactly (case-sensitive); None
    when none does."""
    e = _ENUMS[cls]
    if e.parse_wire is None:
        return None
    b, out = text.encode(), ctypes.c_int()
    return member(cls, out.value) if e.parse_wire(b, len(b), ctypes.byref(out)) == 0 else None


def text(v: enum.Enum, lang: str = "en") -> str:
    """The user-facing text (Chinese falls back to English)."""
    e = _of(v)
    if lang not in _LANGS:
        raise ValueError(f"unknown language {lang!r}; one of en, zh")
    return str(e.text(e.index[v], _LANGS[lang]).decode()) if e.text is not None else ""


def group(v: enum.Enum) -> enum.Enum:
    """The member's group (a status's open, completed or closed)."""
    e = _of(v)
    if e.group is None:
        raise TypeError(f"{type(v).__name__} has no groups")
    g: enum.Enum = _ENUMS[_BY_NAME[e.group_name]].members[int(e.group(e.index[v]))]
    return g
