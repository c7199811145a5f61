"""How the model maps onto the C tables: the string pool, the sorted code
spans and the key sets of the string lookups, and the limits those tables
set.

plan() adds what catalog.c, codes.h, retry_policy.c and the gperf inputs
need beyond the model; problems() refuses a spec that the tables cannot hold.
"""

import re

from loader import line_of
from model import ascii_lower

# Limits of the generated tables (templates/src/catalog.c.j2 and
# src/lib/catalog_internal.h): entry indexes are uint16_t, an entry's related
# count uint8_t and its first related uint16_t. A spec beyond them would
# compile into silently wrong tables, so it is refused.
MAX_ENTRIES = 65535
MAX_RELATED_PER_ENTRY = 255
MAX_RELATED_TOTAL = 65535
C_KEYWORDS = frozenset("""auto break case char const continue default do double else enum
extern float for goto if inline int long register restrict return short signed sizeof
static struct switch typedef union unsigned void volatile while""".split())
# Fields that --no-text leaves out of the string pool.
PROSE = ("desc_en", "desc_zh", "rem_en", "rem_zh", "trouble_en", "trouble_zh")
ENTRY_STRINGS = ("name", "key", "desc_en", "desc_zh", "rem_en", "rem_zh", "doc", "trouble_en",
                 "trouble_zh")


# --------------------------------------------------------------------------
# Checks: the spec must fit the tables
# --------------------------------------------------------------------------

def _related_counts(dom):
    """{entry position: links through `codes`}, counting both ends."""
    codes = {ent["code"]: ei for ei, ent in enumerate(dom["entries"]) if "code" in ent}
    related = {}
    for ei, ent in enumerate(dom["entries"]):
        for c in ent.get("codes", []):
            if c in codes:
                related[ei] = related.get(ei, 0) + 1
                related[codes[c]] = related.get(codes[c], 0) + 1
    return related


def _c_name_problems(dp, dom, lines):
    """Entry names become C enumerators, and message and identifier keys
    become C string literals in the lookup tables."""
    out = []
    for ei, ent in enumerate(dom["entries"]):
        ep = dp + ("entries", ei)
        if ent["name"].lower() in C_KEYWORDS:
            out.append((line_of(lines, ep + ("name",)), f"`{ent['name']}` is a C keyword"))
        for kind in ("message", "id"):
            trigraph = re.search(r"\?\?[=/'()!<>-]", ent.get(kind, ""))
            if trigraph:
                # gperf copies its keys into C string literals as they are,
                # and a C99 compiler replaces trigraphs inside them.
                out.append((line_of(lines, ep + (kind,)),
                            f"{kind} contains the trigraph `{trigraph.group()}`, "
                            "which a C compiler would replace in the lookup table"))
    return out


def problems(spec, lines):
    """(line, message) for every limit of the C tables that the spec exceeds."""
    out, related_total, entry_total = [], 0, 0
    for di, dom in enumerate(spec["domains"]):
        dp = ("domains", di)
        out += _c_name_problems(dp, dom, lines)
        related = _related_counts(dom)
        for ei, n in sorted(related.items()):
            if n > MAX_RELATED_PER_ENTRY:
                out.append((line_of(lines, dp + ("entries", ei, "name")),
                            f"`{dom['entries'][ei]['name']}` is linked to {n} entries "
                            f"through `codes`; the limit is {MAX_RELATED_PER_ENTRY}"))
        related_total += sum(related.values())
        entry_total += len(dom["entries"]) + len(dom.get("blocks", []))
    if entry_total > MAX_ENTRIES:
        out.append((line_of(lines, ("domains",)),
                    f"{entry_total} entries and blocks; the tables hold at most {MAX_ENTRIES}"))
    if related_total > MAX_RELATED_TOTAL:
        out.append((line_of(lines, ("domains",)),
                    f"{related_total} links through `codes`; the tables hold at most "
                    f"{MAX_RELATED_TOTAL}"))
    return out


# --------------------------------------------------------------------------
# The plan: what catalog.c and the gperf inputs render
# --------------------------------------------------------------------------

def _doc_zh(model, e):
    """The Chinese twin of an entry's doc link: the `zh` page of its source
    at the same anchor, or "" where the source has none."""
    twin = ""
    for src in model["sources"].values():
        if "zh" in src and (e["doc"] == src["url"] or e["doc"].startswith(src["url"] + "#")):
            twin = src["zh"] + e["doc"][len(src["url"]):]
    return twin


def _string_pool(model, no_text):
    """One deduplicated pool of NUL-terminated texts; sets the byte offsets
    `s` of every entry, category, retry class and domain. With no_text
    (CMake's SIXMM_NO_TEXT) the pool keeps names, keys, URLs and documented
    provenance links but no prose, so the embedded library really is
    smaller; the model's own text is left intact for the other outputs."""
    pool, offsets = [], {}
    size = 0

    def sid(s):
        nonlocal size
        if s not in offsets:
            offsets[s] = size
            pool.append(s)
            size += len(s.encode("utf-8")) + 1
        return offsets[s]

    def text(s, is_prose=True):
        return sid("" if no_text and is_prose else s)

    sid("")
    for e in model["all_entries"]:
        e["s"] = {k: text(e[k], k in PROSE) for k in ENTRY_STRINGS}
        e["s"].update({f"prov_{k}": text(v["text"], not v["documented"])
                       for k, v in e["prov"].items()})
        e["s"]["doc_zh"] = sid(_doc_zh(model, e))
    for group in (model["categories"], model["retry_classes"]):
        for item in group:
            item["s"] = {"name": sid(item["name"]), "en": text(item["en"]),
                         "zh": text(item.get("zh", ""))}
    for d in model["domains"]:
        d["s"] = {"name": sid(d["name"]), "title": sid(d["title"]), "url": sid(d["url"])}
    return pool


def _related(model):
    """The flat list of related entries; sets each entry's related_first."""
    related = []
    for e in model["all_entries"]:
        e["related_first"] = len(related)
        related.extend(r["index"] for r in e["related"])
    return related


def _spans(model):
    """The codes and ranges of every domain, each domain's sorted by first
    code (they never overlap: rules.py), and where each domain's start, for
    the binary search of sixmm_lookup()."""
    spans, start = [], []
    for d in model["domains"]:
        start.append(len(spans))
        spans += sorted(({"first": e["first"], "last": e["last"], "entry": e["index"],
                          "name": e["name"]}
                         for e in d["entries"] if e["kind"] in ("code", "range")),
                        key=lambda sp: sp["first"])
    start.append(len(spans))
    return spans, start


KIND_ENUMS = {"code": "SIXMM_KIND_CODE", "range": "SIXMM_KIND_RANGE",
              "message": "SIXMM_KIND_MESSAGE", "id": "SIXMM_KIND_ID", "class": "SIXMM_KIND_CLASS"}
# The bit of each provenance field in an entry's `documented` (sixmm_field).
FIELD_BITS = (("description", 1), ("retry", 2), ("remediation", 4))


def _entry_columns(model):
    """Sets each entry's C kind and its bits of documented provenance."""
    for e in model["all_entries"]:
        e["kind_enum"] = KIND_ENUMS[e["kind"]]
        e["documented_bits"] = "0x%x" % sum(bit for f, bit in FIELD_BITS
                                            if e["prov"][f]["documented"])


def _code_enums(model):
    """One C enum per domain with wire codes (codes.h): a code is one
    enumerator, a range its first and last."""
    enums = []
    for d in model["domains"]:
        rows = []
        for e in d["entries"]:
            if e["kind"] == "code":
                rows.append({"name": e["enum"], "value": e["first"], "comment": e["desc_en"],
                             "note": ""})
            elif e["kind"] == "range":
                rows.append({"name": e["enum"] + "_FIRST", "value": e["first"],
                             "comment": e["desc_en"], "note": " (first)"})
                rows.append({"name": e["enum"] + "_LAST", "value": e["last"],
                             "comment": e["desc_en"], "note": " (last)"})
        if rows:
            enums.append({"type": "sixmm_code" if d["index"] == 0 else f"sixmm_{d['name']}_code",
                          "domain": d, "rows": rows})
    return enums


def _retry_policies(model):
    """The retry loop's numbers per domain (retry_policy.c). A test spec
    without `budget` or `reconcile` (the library's build requires both) gets
    the values that never resend: an empty budget, no signature window and
    a single status query; a domain without a quota gets 0s, and one
    without a lease lease 0 (leases never reclaimed)."""
    rows = []
    for d in model["domains"]:
        p = d["policy"]
        q, b = p.get("quota", {}), p.get("budget", {"max_tokens": 0, "ratio_milli": 0})
        r = p.get("reconcile", {"window": {}, "queries": {"count": 1}})
        rows.append({"domain": d["name"], "rate_per_s": q.get("rate_per_s", 0),
                     "burst": q.get("burst", 0), "concurrency": q.get("concurrency", 0),
                     "max_tokens": b["max_tokens"], "ratio_milli": b["ratio_milli"],
                     "has_window": int("ms" in r["window"]), "window_ms": r["window"].get("ms", 0),
                     "lag_ms": r["lag"]["ms"] if "lag" in r else 0,
                     "queries": r["queries"]["count"],
                     "lease_ms": p["lease"]["ms"] if "lease" in p else 0,
                     "store_timeout_ms": p["store"]["timeout"]["ms"] if "store" in p else 0,
                     "store_presence_ms": p["store"]["presence"]["ms"] if "store" in p else 0})
    return rows


def _keyset(entries, text, domains):
    """The keys of one string lookup: gperf hashes the folded text and
    compares it whole. One key per distinct text, with the entry (index + 1,
    0 for none) that the text names in each domain. `max` is the longest
    text in bytes, which bounds the key that lookup.c folds."""
    rows, by_text = [], {}
    for e in entries:
        t = text(e)
        if t not in by_text:
            by_text[t] = {"text": t, "entries": [0] * domains}
            rows.append(by_text[t])
        by_text[t]["entries"][e["domain"]["index"]] = e["index"] + 1
    longest = max([len(r["text"].encode("utf-8")) for r in rows] or [1])
    return {"rows": rows, "max": longest}


def plan(model, no_text=False):
    """The template variable `c`: the string pool, the related list, the
    sorted code spans, the three key sets, the wire-code enums and the retry
    loop's numbers."""
    pool = _string_pool(model, no_text)
    _entry_columns(model)
    related = _related(model)
    spans, span_start = _spans(model)
    nd = len(model["domains"])
    keysets = {
        "name": _keyset(model["all_entries"], lambda e: e["name"].upper(), nd),
        "message": _keyset([e for e in model["entries"] if e["kind"] == "message"],
                           lambda e: ascii_lower(e["key"]), nd),
        "id": _keyset([e for e in model["entries"] if e["kind"] == "id"], lambda e: e["key"],
                      nd),
    }
    return {"pool": pool, "related": related, "spans": spans, "span_start": span_start,
            "keysets": keysets, "code_enums": _code_enums(model),
            "retry_policies": _retry_policies(model)}
