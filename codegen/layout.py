"""How the model maps onto the C tables: the string pool, the code indexes
and the key sets of the string lookups, and the limits those tables set.

plan() adds what catalog.c, codes.h, retry_policy.c and the gperf inputs
need beyond the model; problems() refuses a spec that the tables cannot hold.
"""

import re

from loader import line_of
from model import ascii_lower

# Limits of the generated tables (templates/src/catalog.c.j2 and
# src/lib/catalog_internal.h): entry indexes are uint16_t, a code index page
# number is uint8_t, an entry's related count uint8_t and its first related
# uint16_t. A spec beyond them would compile into silently wrong tables (or
# hang the generator on a range of two billion codes), so it is refused.
MAX_ENTRIES = 65535
MAX_INDEX_PAGES = 255
MAX_RELATED_PER_ENTRY = 255
MAX_RELATED_TOTAL = 65535
# A domain whose codes span fewer values gets a dense index, else a
# two-level index by thousands block.
DENSE_INDEX_SPAN = 16384
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

def _code_spans(dom):
    """(first, last, path) of the domain's non-empty codes and ranges."""
    spans = []
    for ei, ent in enumerate(dom["entries"]):
        if "code" in ent:
            spans.append((ent["code"], ent["code"], ("entries", ei, "code")))
        elif "range" in ent and ent["range"][0] <= ent["range"][1]:
            spans.append((ent["range"][0], ent["range"][1], ("entries", ei, "range")))
    return spans


def _index_problems(dp, dom, lines):
    """A domain that spans DENSE_INDEX_SPAN codes or more gets a two-level
    index by thousands block, with at most MAX_INDEX_PAGES blocks in use."""
    spans = _code_spans(dom)
    if not spans or max(s[1] for s in spans) - min(s[0] for s in spans) < DENSE_INDEX_SPAN:
        return []
    pages, last = 0, None
    for lo, hi, path in sorted((s[0] // 1000, s[1] // 1000, s[2]) for s in spans):
        if last is not None and hi <= last:
            continue
        pages += hi - max(lo, last + 1 if last is not None else lo) + 1
        last = hi
        if pages > MAX_INDEX_PAGES:
            return [(line_of(lines, dp + path),
                     f"the codes of domain {dom['name']} fall into {pages} or more "
                     f"thousands blocks; the code index holds at most {MAX_INDEX_PAGES}")]
    return []


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
        out += _index_problems(dp, dom, lines)
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

def _string_pool(model, no_text):
    """One deduplicated pool; sets the pool offsets `s` on every entry,
    category, retry class and domain. With no_text (CMake's SIXMM_NO_TEXT)
    the pool keeps names, keys, URLs and documented provenance links but no
    prose, so the embedded library really is smaller; the model's own text
    is left intact for the other outputs."""
    pool, ids = [], {}

    def sid(s):
        if s not in ids:
            ids[s] = len(pool)
            pool.append(s)
        return ids[s]

    def text(s, is_prose=True):
        return sid("" if no_text and is_prose else s)

    sid("")
    for e in model["all_entries"]:
        e["s"] = {k: text(e[k], k in PROSE) for k in ENTRY_STRINGS}
        e["s"].update({f"prov_{k}": text(v["text"], not v["documented"])
                       for k, v in e["prov"].items()})
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


def _dense_index(d, spans, classes, miss):
    lo, hi = min(s[0] for s in spans), max(s[1] for s in spans)
    clo = min([lo] + [s[0] for s in classes])
    chi = max([hi] + [s[1] for s in classes])
    if chi - clo < DENSE_INDEX_SPAN:
        lo, hi = clo, chi
    slots = [miss] * (hi - lo + 1)
    for first, last, v in classes:
        for c in range(max(first, lo), min(last, hi) + 1):
            slots[c - lo] = v
    for first, last, v in spans:
        slots[first - lo:last - lo + 1] = [v] * (last - first + 1)
    return {"domain": d, "kind": "dense", "lo": lo, "slots": slots,
            "complete": all(lo <= f and l <= hi for f, l, _ in classes)}


def _paged_index(d, spans, classes, miss):
    """Two levels by thousands block. Page 0 is all misses: a thousands block
    without codes points at it, so the lookup needs no test for a missing
    page. Class blocks fill only pages that codes already use."""
    lo, hi = min(s[0] for s in spans), max(s[1] for s in spans)
    pages, top = [[miss] * 1000], [0] * (hi // 1000 - lo // 1000 + 1)
    for first, last, v in spans:
        for c in range(first, last + 1):
            t = c // 1000 - lo // 1000
            if not top[t]:
                pages.append([miss] * 1000)
                top[t] = len(pages) - 1
    complete = True
    for first, last, v in classes + spans:
        for c in range(first, last + 1):
            t = c // 1000 - lo // 1000
            if 0 <= t < len(top) and top[t]:
                pages[top[t]][c % 1000] = v
            else:
                complete = False
    return {"domain": d, "kind": "paged", "top_lo": lo // 1000,
            "top": top, "pages": pages, "complete": complete}


def _code_indexes(model, shift, miss):
    """One index per domain. A slot holds the match kind in its top two bits
    (exact 0, range 1, class 2, unknown 3, as sixmm_match) and entry index + 1
    below them, so a lookup needs no second load to learn the match; the miss
    value is "unknown, no entry". Class blocks go into the index too,
    wherever that costs no extra page, so that a class fallback is one load
    like an exact code. A domain whose blocks all fit is "complete": a miss
    there is unknown at once; in the others a miss falls back to the scan of
    sixmm__blocks at run time."""
    kind_match = {"code": 0, "range": 1}
    indexes = []
    for d in model["domains"]:
        spans = [(e["first"], e["last"], (kind_match[e["kind"]] << shift) | (e["index"] + 1))
                 for e in d["entries"] if e["kind"] in kind_match]
        classes = [(b["first"], b["last"], (2 << shift) | (b["index"] + 1)) for b in d["blocks"]]
        if not spans:
            indexes.append({"domain": d, "kind": "none", "complete": not classes})
        elif max(s[1] for s in spans) - min(s[0] for s in spans) < DENSE_INDEX_SPAN:
            indexes.append(_dense_index(d, spans, classes, miss))
        else:
            indexes.append(_paged_index(d, spans, classes, miss))
    return indexes


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
    code indexes with their slot type, the three key sets, the wire-code
    enums and the retry loop's numbers."""
    pool = _string_pool(model, no_text)
    _entry_columns(model)
    related = _related(model)
    n = len(model["all_entries"])
    slot_bits = 8 if n + 1 < 64 else 16 if n + 1 < 16384 else 32
    shift = slot_bits - 2
    miss = 3 << shift
    nd = len(model["domains"])
    keysets = {
        "name": _keyset(model["all_entries"], lambda e: e["name"].upper(), nd),
        "message": _keyset([e for e in model["entries"] if e["kind"] == "message"],
                           lambda e: ascii_lower(e["key"]), nd),
        "id": _keyset([e for e in model["entries"] if e["kind"] == "id"], lambda e: e["key"],
                      nd),
    }
    return {"pool": pool, "related": related, "indexes": _code_indexes(model, shift, miss),
            "slot_type": f"uint{slot_bits}_t", "slot_shift": shift, "slot_miss": miss,
            "keysets": keysets, "code_enums": _code_enums(model),
            "retry_policies": _retry_policies(model)}
