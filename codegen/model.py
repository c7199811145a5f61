"""The model the templates render: the spec flattened once, with every
reference resolved (source URLs, provenance, the links between messages and
codes). ascii_lower() is the one folding of message keys, shared by the
rules, the C tables (layout.py) and the templates (filters.py).

Nothing here checks the spec (rules.py did), or knows a C table or an
output format (layout.py does).
"""

import hashlib

import enums


def ascii_lower(s):
    """Fold ASCII letters only, as the message lookups fold their input;
    str.lower() would also fold non-ASCII capitals that the lookups keep."""
    return s.translate(_ASCII_LOWER)


_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


def _resolve(sources, ref, zh=False):
    name, _, anchor = ref.partition("#")
    src = sources[name]
    url = src.get("zh", src["url"]) if zh else src["url"]
    return url + ("#" + anchor if anchor else "")


def _prov(sources, obj):
    if "documented" in obj:
        return {"documented": True, "text": _resolve(sources, obj["documented"])}
    return {"documented": False, "text": obj["inferred"]}


def build_model(spec, raw):
    """Flatten the spec into what every template needs, computed once."""
    src = spec["sources"]
    cats = [c["name"] for c in spec["categories"]]
    rets = [r["name"] for r in spec["retry_classes"]]
    policy = {p["domain"]: dict(p, provenance=_prov(src, p)) for p in spec["policy"]}
    for p in policy.values():
        if "quota" in p:
            p["quota"] = dict(p["quota"], provenance=_prov(src, p["quota"]))
        if "budget" in p:
            p["budget"] = dict(p["budget"], provenance=_prov(src, p["budget"]),
                               ratio_milli=round(p["budget"]["token_ratio"] * 1000))
        if "reconcile" in p:
            p["reconcile"] = {k: dict(v, provenance=_prov(src, v))
                              for k, v in p["reconcile"].items()}
    entries, blocks, domains = [], [], []
    for di, dom in enumerate(spec["domains"]):
        d = {"index": di, "name": dom["name"], "title": dom["title"],
             "url": _resolve(src, dom["page"]), "policy": policy[dom["name"]],
             "enum_prefix": "SIXMM_E_" if di == 0 else f"SIXMM_{dom['name'].upper()}_E_",
             "entries": [], "blocks": []}
        for ent in dom["entries"]:
            if "code" in ent:
                kind, first, last, key = "code", ent["code"], ent["code"], str(ent["code"])
            elif "range" in ent:
                kind, (first, last) = "range", ent["range"]
                key = f"{first}-{last}"
            elif "message" in ent:
                kind, first, last, key = "message", 0, 0, ent["message"]
            else:
                kind, first, last, key = "id", 0, 0, ent["id"]
            desc, rem, retry = ent["description"], ent["remediation"], ent["retry"]
            doc = ent.get("doc") or desc.get("documented") or dom["page"]
            e = {
                "index": len(entries), "domain": d, "kind": kind, "first": first, "last": last,
                "key": key, "name": ent["name"], "enum": d["enum_prefix"] + ent["name"],
                "anchor": f"{dom['name']}-{key}" if kind in ("code", "range") else
                          f"{dom['name']}-{ent['name'].lower().replace('_', '-')}",
                "category": ent["category"], "category_index": cats.index(ent["category"]),
                "retry": retry["class"], "retry_index": rets.index(retry["class"]),
                "http": ent.get("http", 0),
                "desc_en": desc["en"], "desc_zh": desc.get("zh", ""),
                "rem_en": rem["en"], "rem_zh": rem.get("zh", ""),
                "trouble_en": ent.get("troubleshooting", {}).get("en", ""),
                "trouble_zh": ent.get("troubleshooting", {}).get("zh", ""),
                "doc": _resolve(src, doc),
                "prov": {"description": _prov(src, desc), "retry": _prov(src, retry),
                         "remediation": _prov(src, rem)},
                "codes": ent.get("codes", []), "related": [],
            }
            entries.append(e)
            d["entries"].append(e)
        for blk in dom.get("blocks", []):
            p = _prov(src, blk)
            b = {"domain": d, "kind": "class", "first": blk["first"], "last": blk["last"],
                 "key": f"{blk['first']}-{blk['last']}", "name": blk["name"],
                 "enum": "", "anchor": f"{dom['name']}-class-{blk['first']}-{blk['last']}",
                 "category": blk["category"], "category_index": cats.index(blk["category"]),
                 "retry": blk["retry"], "retry_index": rets.index(blk["retry"]), "http": 0,
                 "desc_en": blk["en"], "desc_zh": blk.get("zh", ""),
                 "rem_en": spec["retry_classes"][rets.index(blk["retry"])]["en"],
                 "rem_zh": spec["retry_classes"][rets.index(blk["retry"])].get("zh", ""),
                 "trouble_en": "", "trouble_zh": "", "doc": d["url"],
                 "prov": {"description": p, "retry": p, "remediation": p},
                 "codes": [], "related": []}
            blocks.append(b)
            d["blocks"].append(b)
        domains.append(d)
    for b in blocks:
        b["index"] = len(entries) + blocks.index(b)
    # Links both ways: a message lists its codes; a code lists its messages.
    for d in domains:
        by_code = {e["first"]: e for e in d["entries"] if e["kind"] == "code"}
        for e in d["entries"]:
            for c in e["codes"]:
                e["related"].append(by_code[c])
                by_code[c]["related"].append(e)
    return {
        "version": spec["catalog"]["version"],
        "digest": hashlib.sha256(raw).hexdigest(),
        "categories": spec["categories"], "retry_classes": spec["retry_classes"],
        "situations": spec.get("situations", []),
        "domains": domains, "entries": entries, "blocks": blocks,
        "all_entries": entries + blocks, "sources": src,
        **enums.build(spec),
    }
