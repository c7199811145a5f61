"""The rules of the spec that its schema cannot say: names and keys unique
per domain, codes and ranges that do not meet, references to known
categories, retry classes, domains and sources, text that a generated file
can hold, and sane policy numbers.

Each check returns a list of (path, message); semantic_problems() turns the
paths into lines.
"""

import re

import enums
from loader import BAD_TEXT, line_of
from model import ascii_lower


def _duplicates(items, key, what, where=""):
    """A problem for every item whose name an earlier item already has."""
    names = [item["name"] for item in items]
    return [((key, i, "name"), f"duplicate {what} `{n}`{where}")
            for i, n in enumerate(names) if names.index(n) != i]


def _check_ref(spec, path, ref):
    """A `SOURCE#anchor` reference must name a source of `sources:`."""
    sources = spec["sources"]
    name = ref.split("#")[0]
    if name not in sources:
        return [(path, f"unknown source `{name}` (known: {', '.join(sources)})")]
    return []


def _check_prov(spec, path, obj):
    """A documented provenance must point at a known source."""
    if "documented" not in obj:
        return []
    return _check_ref(spec, path + ("documented",), obj["documented"])


def _check_texts(path, obj):
    """No text may carry a control character or a lone surrogate: neither
    could be written into a generated file."""
    out = []
    items = obj.items() if isinstance(obj, dict) else enumerate(obj) if isinstance(obj, list) else ()
    for k, v in items:
        if isinstance(v, str) and BAD_TEXT.search(v):
            what = "a lone surrogate" if re.search("[\ud800-\udfff]", v) else "a control character"
            out.append((path + (k,), f"`{k}` contains {what}"))
        elif isinstance(v, (dict, list)):
            out += _check_texts(path + (k,), v)
    return out


def _top_level_problems(spec):
    """Names and texts outside the domains' entries and blocks."""
    out = _duplicates(spec["categories"], "categories", "category")
    out += _duplicates(spec["retry_classes"], "retry_classes", "retry class")
    out += _duplicates(spec["domains"], "domains", "domain")
    for key in ("catalog", "sources", "categories", "retry_classes", "situations", "policy",
                "machine", "enums"):
        out += _check_texts((key,), spec.get(key, []))
    for di, dom in enumerate(spec["domains"]):
        out += _check_texts(("domains", di),
                            {k: v for k, v in dom.items() if k not in ("entries", "blocks")})
        out += _check_ref(spec, ("domains", di, "page"), dom["page"])
    return out


def _advisor_problems(spec):
    """The retry classes and situations: known classes and domains in their
    references, provenances that point at known sources, one level of
    hand-over for non-idempotent calls."""
    rets = [r["name"] for r in spec["retry_classes"]]
    classes = {r["name"]: r for r in spec["retry_classes"]}
    domains = [d["name"] for d in spec["domains"]]
    sits = spec.get("situations", [])
    out = _duplicates(sits, "situations", "situation")

    def check_class(path, name):
        if name not in rets:
            return [(path, f"unknown retry class `{name}` (known: {', '.join(rets)})")]
        return []

    for key, items in (("retry_classes", spec["retry_classes"]), ("situations", sits)):
        for i, item in enumerate(items):
            ip = (key, i)
            out += _check_prov(spec, ip, item)
            if "retry" in item:
                out += check_class(ip + ("retry",), item["retry"])
            other = item.get("not_idempotent", {}).get("retry")
            if other is not None:
                out += check_class(ip + ("not_idempotent", "retry"), other)
                if "retry" in classes.get(other, {}).get("not_idempotent", {}):
                    out.append((ip + ("not_idempotent", "retry"),
                                f"retry class `{other}` hands non-idempotent calls on "
                                "itself; name the class it hands them to"))
            for d in item.get("domain_reasons", {}):
                if d not in domains:
                    out.append((ip + ("domain_reasons", d), f"unknown domain `{d}`"))
    return out


def _block_problems(spec, dp, dom):
    """Each class block: known category and retry class, first <= last, no
    overlap with an earlier block."""
    cats = [c["name"] for c in spec["categories"]]
    rets = [r["name"] for r in spec["retry_classes"]]
    out = []
    blocks = dom.get("blocks", [])
    for bi, blk in enumerate(blocks):
        bp = dp + ("blocks", bi)
        out += _check_prov(spec, bp, blk) + _check_texts(bp, blk)
        if blk["category"] not in cats:
            out.append((bp + ("category",), f"unknown category `{blk['category']}`"))
        if blk["retry"] not in rets:
            out.append((bp + ("retry",), f"unknown retry class `{blk['retry']}`"))
        if blk["first"] > blk["last"]:
            out.append((bp + ("first",),
                        f"block {blk['first']}-{blk['last']} is empty (first > last)"))
        for ob in blocks[:bi]:
            if blk["first"] <= ob["last"] and ob["first"] <= blk["last"]:
                out.append((bp + ("first",), f"block {blk['first']}-{blk['last']} overlaps "
                                             f"block {ob['first']}-{ob['last']}"))
    return out


def _name_problems(dp, dom, lines):
    """Names are unique within a domain, across its blocks and entries."""
    out, names = [], {}
    for bi, blk in enumerate(dom.get("blocks", [])):
        bp = dp + ("blocks", bi)
        if blk["name"] in names:
            out.append((bp + ("name",), f"duplicate name `{blk['name']}` in domain {dom['name']}"))
        names[blk["name"]] = bp
    for ei, ent in enumerate(dom["entries"]):
        ep = dp + ("entries", ei)
        if ent["name"] in names:
            first = line_of(lines, names[ent["name"]] + ("name",))
            out.append((ep + ("name",), f"duplicate name `{ent['name']}` in domain {dom['name']}"
                                        f" (first at line {first})"))
        names.setdefault(ent["name"], ep)
    return out


def _entry_problems(spec, dp, dom):
    """Each entry: texts, known category and retry class, known sources."""
    cats = [c["name"] for c in spec["categories"]]
    rets = [r["name"] for r in spec["retry_classes"]]
    out = []
    for ei, ent in enumerate(dom["entries"]):
        ep = dp + ("entries", ei)
        out += _check_texts(ep, ent)
        if ent["category"] not in cats:
            out.append((ep + ("category",),
                        f"unknown category `{ent['category']}` (known: {', '.join(cats)})"))
        if ent["retry"]["class"] not in rets:
            out.append((ep + ("retry", "class"), f"unknown retry class "
                        f"`{ent['retry']['class']}` (known: {', '.join(rets)})"))
        for f in ("description", "retry", "remediation"):
            out += _check_prov(spec, ep + (f,), ent[f])
        if "doc" in ent:
            out += _check_ref(spec, ep + ("doc",), ent["doc"])
    return out


def _code_problems(dp, dom, lines):
    """Codes and ranges: no empty range, no code or range that meets another."""
    out, spans = [], []
    for ei, ent in enumerate(dom["entries"]):
        if "code" not in ent and "range" not in ent:
            continue
        lo, hi = (ent["code"], ent["code"]) if "code" in ent else ent["range"]
        kp = dp + ("entries", ei, "code" if "code" in ent else "range")
        if lo > hi:
            out.append((kp, f"range {lo}-{hi} is empty (first > last)"))
            continue
        for (olo, ohi, oline) in spans:
            if lo <= ohi and olo <= hi:
                if lo == hi and olo == ohi:
                    msg = f"duplicate code {lo} in domain {dom['name']} (first at line {oline})"
                elif olo == ohi or lo == hi:
                    inner = olo if olo == ohi else lo
                    msg = f"range swallows the exact code {inner} in domain {dom['name']} (line {oline})"
                else:
                    msg = f"range {lo}-{hi} overlaps range {olo}-{ohi} (line {oline})"
                out.append((kp, msg))
        spans.append((lo, hi, line_of(lines, kp)))
    return out


def _key_problems(dp, dom):
    """Messages (compared in ASCII lower case, as the lookup folds them) and
    identifiers are unique within a domain."""
    out, keys = [], set()
    for ei, ent in enumerate(dom["entries"]):
        for kind in ("message", "id"):
            if kind in ent:
                folded = ascii_lower(ent[kind]) if kind == "message" else ent[kind]
                if (kind, folded) in keys:
                    out.append((dp + ("entries", ei, kind),
                                f"duplicate {kind} `{ent[kind]}` in domain {dom['name']}"))
                keys.add((kind, folded))
    return out


def _link_problems(dp, dom):
    """`codes:` links to exact codes of the same domain only (build_model)."""
    codes = {ent["code"] for ent in dom["entries"] if "code" in ent}
    return [(dp + ("entries", ei, "codes", ci), f"code {c} is not an entry of domain {dom['name']}")
            for ei, ent in enumerate(dom["entries"])
            for ci, c in enumerate(ent.get("codes", [])) if c not in codes]


def _retry_policy_problems(spec, pp, pol):
    """The retry loop's numbers (budget, reconcile): provenance that
    resolves, a token ratio in thousandths (gRFC A6 allows 3 decimals), and a
    lag wherever a window is documented."""
    out = []
    budget = pol.get("budget")
    if budget:
        out += _check_prov(spec, pp + ("budget",), budget)
        if abs(budget["token_ratio"] * 1000 - round(budget["token_ratio"] * 1000)) > 1e-6:
            out.append((pp + ("budget", "token_ratio"), "token_ratio has more than 3 decimals"))
    rec = pol.get("reconcile")
    if rec:
        for k in ("window", "lag", "queries"):
            if k in rec:
                out += _check_prov(spec, pp + ("reconcile", k), rec[k])
        if "ms" in rec["window"] and "lag" not in rec:
            out.append((pp + ("reconcile", "window"),
                        "a signature window needs the status query's `lag` beside it"))
    return out


def _policy_problems(spec):
    """One backoff policy per domain, each sane; a documented quota bounds
    the first wait from below: one token interval, so that a backoff never
    outpaces the quota."""
    out = []
    dnames = [d["name"] for d in spec["domains"]]
    pdoms = [p["domain"] for p in spec["policy"]]
    for pi, pol in enumerate(spec["policy"]):
        pp = ("policy", pi)
        out += _check_prov(spec, pp, pol)
        quota = pol.get("quota")
        if quota:
            out += _check_prov(spec, pp + ("quota",), quota)
            interval = -(-1000 // quota["rate_per_s"])
            if pol["base_ms"] < interval:
                out.append((pp + ("base_ms",), f"base_ms {pol['base_ms']} is shorter than one "
                            f"token interval of the quota ({interval} ms at "
                            f"{quota['rate_per_s']} requests/s)"))
        out += _retry_policy_problems(spec, pp, pol)
        if pol["domain"] not in dnames:
            out.append((pp + ("domain",), f"unknown domain `{pol['domain']}`"))
        if pdoms.index(pol["domain"]) != pi:
            out.append((pp + ("domain",), f"duplicate policy for domain `{pol['domain']}`"))
        if pol["base_ms"] > pol["cap_ms"]:
            out.append((pp + ("base_ms",), "base_ms is larger than cap_ms"))
    out += [(("policy",), f"domain `{d}` has no backoff policy") for d in dnames if d not in pdoms]
    return out


def semantic_problems(spec, lines):
    """(line, message) for every rule of the spec that its schema cannot say."""
    found = _top_level_problems(spec) + _advisor_problems(spec) + _policy_problems(spec)
    found += enums.problems(spec)
    for di, dom in enumerate(spec["domains"]):
        dp = ("domains", di)
        found += _block_problems(spec, dp, dom) + _name_problems(dp, dom, lines)
        found += _entry_problems(spec, dp, dom) + _code_problems(dp, dom, lines)
        found += _key_problems(dp, dom) + _link_problems(dp, dom)
    return [(line_of(lines, path), msg) for path, msg in found]
