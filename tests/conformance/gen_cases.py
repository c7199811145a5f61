"""Cases made from the spec: every entry, every block and every retry class,
for conformance.py. The expectations are read from spec/errors.yaml here,
never from a surface, so a surface that spells a value another way fails.

    cases(spec_path) -> [{"name", "op", "input", "expect"}]

For each entry: its key (a code, both ends of a range, a message in another
case, an identifier), its name in lower case with the domain as a prefix in
upper case, and its English and Chinese descriptions where they name it
alone; a code of each block that no entry documents; and for each entry with
a code, classify at HTTP 200 for an idempotent call, whose action is the
entry's retry class (the classes that the entries and blocks use cover every
class; cases() checks it).
"""

import yaml


def _norm(text):
    return "".join(text.split()).lower()


def _identity(domain, e, key):
    return {"domain": domain, "key": key, "name": e["name"], "category": e["category"],
            "retry": e["retry"]["class"] if isinstance(e["retry"], dict) else e["retry"],
            "http_status": e.get("http")}


def _key(e):
    if "code" in e:
        return str(e["code"])
    if "range" in e:
        return "%d-%d" % tuple(e["range"])
    return e["message"] if "message" in e else e["id"]


def _swapcase(text):
    return "".join(c.lower() if i % 2 else c.upper() for i, c in enumerate(text))


def cases(spec_path):
    with open(spec_path, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    out = []

    def add(name, op, inp, expect):
        out.append({"name": name, "op": op, "input": inp, "expect": expect})

    classes = set()
    for dom in spec["domains"]:
        d = dom["name"]
        entries = dom["entries"]
        # Texts that a name, message or identifier takes first, and the
        # descriptions shared by several entries: no description case there.
        names = {_norm(e["name"]) for e in entries}
        keys = set(names)
        keys |= {_norm(e.get("message", "")) for e in entries} | {_norm(e.get("id", "")) for e in entries}
        seen = {}
        for e in entries:
            for lang in ("en", "zh"):
                t = e["description"].get(lang)
                if t:
                    seen.setdefault(_norm(t), set()).add(e["name"])
        documented = set()
        for e in entries:
            key = _key(e)
            ident = _identity(d, e, key)
            exact = {"match": "exact", "entry": ident}
            classes.add(ident["retry"])
            where = f"{d} {e['name']}"
            if "code" in e:
                documented.add(e["code"])
                add(f"{where}: its code", "lookup", {"query": key, "domain": d}, exact)
                add(f"{where}: its code, prefix in upper case", "lookup",
                    {"query": f"{d.upper()}:{key}"}, exact)
                add(f"{where}: classify, idempotent", "classify",
                    {"domain": d, "http_status": 200, "code": e["code"], "idempotent": True},
                    {"match": "exact", "entry": ident, "action": ident["retry"]})
            elif "range" in e:
                lo, hi = e["range"]
                documented.update(range(lo, hi + 1))
                for c in (lo, hi):
                    add(f"{where}: {c} in its range", "lookup", {"query": str(c), "domain": d},
                        {"match": "range", "entry": ident})
                add(f"{where}: classify inside the range", "classify",
                    {"domain": d, "http_status": 200, "code": hi, "idempotent": True},
                    {"match": "range", "entry": ident, "action": ident["retry"]})
            elif "message" in e:
                if _norm(key) not in names:   # a name goes first
                    add(f"{where}: its message, any case", "lookup",
                        {"query": _swapcase(key), "domain": d}, exact)
            else:
                add(f"{where}: its identifier", "lookup", {"query": key, "domain": d}, exact)
            add(f"{where}: its name in lower case", "lookup",
                {"query": f"{d.capitalize()}:{e['name'].lower()}"}, exact)
            for lang in ("en", "zh"):
                t = e["description"].get(lang)
                if t and _norm(t) not in keys and seen[_norm(t)] == {e["name"]}:
                    add(f"{where}: its {lang} description", "lookup",
                        {"query": f"  {t.upper()} ", "domain": d},
                        {"match": "description", "entry": ident})
        for b in dom.get("blocks", []):
            key = "%d-%d" % (b["first"], b["last"])
            ident = {"domain": d, "key": key, "name": b["name"], "category": b["category"],
                     "retry": b["retry"], "http_status": None}
            classes.add(b["retry"])
            free = next((c for c in range(b["first"], b["last"] + 1) if c not in documented), None)
            if free is not None:
                add(f"{d} block {key}: {free} falls back to it", "lookup",
                    {"query": str(free), "domain": d}, {"match": "class", "entry": ident})
            add(f"{d} block {key}: its name", "lookup", {"query": b["name"].lower(), "domain": d},
                {"match": "exact", "entry": ident})
    missing = {r["name"] for r in spec["retry_classes"]} - classes
    if missing:
        raise SystemExit(f"gen_cases: no entry or block of retry class {sorted(missing)}")
    return out
