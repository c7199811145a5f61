"""The spec's `enums` and `machine` sections: checks and model.

problems() (called by rules.py) refuses what the C cannot hold (values that do not count up from
0, names twice, groups and alerts that name nothing); build() (called by model.py) adds to the
model `enums` (one row per enum, with its C names and which functions it
gets) and `machine` (the order machine's numbers and alert rules). The
templates include/sixmm/codes.h.j2, include/sixmm/enums.h.j2,
src/enum_names.c.j2 and src/machine_policy.c.j2 render them.
"""

def _prov(sources, obj):
    if "documented" in obj:
        name, _, anchor = obj["documented"].partition("#")
        return {"documented": True,
                "text": sources[name]["url"] + ("#" + anchor if anchor else "")}
    if "inferred" in obj:
        return {"documented": False, "text": obj["inferred"]}
    return None


def _source_problems(spec, path, obj):
    ref = obj.get("documented")
    if ref is not None and ref.split("#")[0] not in spec["sources"]:
        return [(path + ("documented",), f"unknown source `{ref.split('#')[0]}`")]
    return []


def _enum_problems(spec):
    out, enums = [], spec.get("enums", [])
    by_name = {}
    for ei, en in enumerate(enums):
        ep = ("enums", ei)
        if en["name"] in by_name:
            out.append((ep + ("name",), f"duplicate enum `{en['name']}`"))
        by_name.setdefault(en["name"], en)
        out += _source_problems(spec, ep, en)
        names, wires = set(), set()
        for vi, v in enumerate(en["values"]):
            vp = ep + ("values", vi)
            out += _source_problems(spec, vp, v)
            if v["value"] != vi:
                out.append((vp + ("value",), f"value {v['value']} of `{en['name']}.{v['name']}` "
                            f"must be {vi}: values count up from 0 in order"))
            if v["name"] in names:
                out.append((vp + ("name",), f"duplicate value `{v['name']}` in enum `{en['name']}`"))
            names.add(v["name"])
            if "wire" in v:
                if v["wire"] in wires:
                    out.append((vp + ("wire",), f"duplicate wire text `{v['wire']}`"))
                wires.add(v["wire"])
    for ei, en in enumerate(enums):
        ep = ("enums", ei)
        groups = by_name.get(en.get("groups"))
        if "groups" in en and groups is None:
            out.append((ep + ("groups",), f"unknown enum `{en['groups']}`"))
        for vi, v in enumerate(en["values"]):
            if "group" not in v:
                if groups is not None:
                    out.append((ep + ("values", vi), f"`{v['name']}` needs a `group`"))
                continue
            if groups is None:
                out.append((ep + ("values", vi, "group"), f"enum `{en['name']}` names no `groups`"))
            elif v["group"] not in [g["name"] for g in groups["values"]]:
                out.append((ep + ("values", vi, "group"),
                            f"unknown value `{v['group']}` of enum `{groups['name']}`"))
    seen = {}
    for ei, en in enumerate(enums):
        for vi, v in enumerate(en["values"]):
            c = _enumerator(en, v)
            if c in seen:
                out.append((("enums", ei, "values", vi, "name"), f"{c} is also a value of "
                            f"enum `{seen[c]}`"))
            seen.setdefault(c, en["name"])
    return out


def _machine_problems(spec):
    m = spec.get("machine")
    if m is None:
        return []
    out = []
    for k in ("lifetime", "sends", "queries", "sync_limit", "drift", "busy_wait"):
        out += _source_problems(spec, ("machine", k), m[k])
    alerts = next((e for e in spec.get("enums", []) if e["name"] == "alert"), None)
    alert_names = [v["name"] for v in alerts["values"]] if alerts else []
    cats = [c["name"] for c in spec["categories"]]
    rets = [r["name"] for r in spec["retry_classes"]]
    for ai, rule in enumerate(m["alerts"]):
        ap = ("machine", "alerts", ai)
        out += _source_problems(spec, ap, rule)
        if rule["alert"] not in alert_names:
            out.append((ap + ("alert",), f"unknown alert `{rule['alert']}` (enum `alert`)"))
        for key, known in (("categories", cats), ("retry_classes", rets)):
            for i, n in enumerate(rule.get(key, [])):
                if n not in known:
                    out.append((ap + (key, i), f"unknown {key[:-1].replace('_', ' ')} `{n}`"))
    return out


def problems(spec):
    """(path, message) for every problem of the enums and machine sections."""
    return _enum_problems(spec) + _machine_problems(spec)


def _enumerator(en, v):
    return f"SIXMM_{(en.get('prefix') or en['name']).upper()}_{v['name'].upper()}"


def build(spec):
    """{"enums": [...], "machine": {...} or None} for the templates."""
    src = spec["sources"]
    cats = [c["name"] for c in spec["categories"]]
    rets = [r["name"] for r in spec["retry_classes"]]
    enums = []
    for en in spec.get("enums", []):
        values = []
        for v in en["values"]:
            values.append({
                "name": v["name"], "value": v["value"], "enum": _enumerator(en, v),
                "wire": v.get("wire", ""), "en": v.get("en", ""), "zh": v.get("zh", ""),
                "group": v.get("group", ""),
                "prov": _prov(src, v) or _prov(src, en),
                # What the C prints: Chinese falls back to English, and the
                # enumerator's comment is the wire text, else the text, else
                # the name.
                "zh_text": v.get("zh") or v.get("en", ""),
                "comment": v.get("wire") or v.get("en") or v["name"],
            })
        has_wire = any(v["wire"] for v in values)
        has_text = any(v["en"] for v in values)
        has_prov = any(_prov(src, v) for v in en["values"])
        row = {
            "name": en["name"], "type": f"sixmm_{en['name']}", "doc": en["doc"],
            "count": f"SIXMM_{en['name'].upper()}_COUNT", "members": values, "n": len(values),
            "has_wire": has_wire, "has_text": has_text, "has_prov": has_prov,
            "wire_example": next((v["wire"] for v in values if v["wire"]), ""),
            # The offset tables enum_names.c has: one per kind of string.
            "tables": ["name"] + ["wire"] * has_wire + ["en", "zh"] * has_text
                      + ["src"] * has_prov,
            "groups": en.get("groups", ""), "prov": _prov(src, en),
        }
        enums.append(row)
    by_name = {e["name"]: e for e in enums}
    for e in enums:
        if e["groups"]:
            g = by_name[e["groups"]]
            e["group_type"] = g["type"]
            for v in e["members"]:
                v["group_enum"] = next(x["enum"] for x in g["members"] if x["name"] == v["group"])
    machine = None
    m = spec.get("machine")
    if m is not None:
        alert_enum = by_name.get("alert", {"members": []})
        machine = {
            "lifetime_ms": m["lifetime"]["ms"], "sends": m["sends"]["count"],
            "queries": m["queries"]["count"], "sync_limit_ms": m["sync_limit"]["ms"],
            "drift_ppm": m["drift"]["ppm"],
            "busy_wait_ms": m["busy_wait"]["ms"],
            "provenance": {k: _prov(src, m[k]) for k in ("lifetime", "sends", "queries",
                                                        "sync_limit", "drift", "busy_wait")},
            "alerts": [{
                "alert": next(v["enum"] for v in alert_enum["members"] if v["name"] == r["alert"]),
                "retry_mask": sum(1 << rets.index(n) for n in r.get("retry_classes", [])),
                "category_mask": sum(1 << cats.index(n) for n in r.get("categories", [])),
                "http": (r.get("http", []) + [0, 0, 0, 0])[:4], "provenance": _prov(src, r),
            } for r in m["alerts"]],
        }
    return {"enums": enums, "machine": machine}
