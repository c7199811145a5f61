"""Load and validate spec/errors.yaml, and build the model the templates render.

Every problem is reported as (line, message) so that the caller can print
`PATH:LINE: message` for all of them in one run. Nothing here writes files.
"""

import hashlib
import json
import re

import jsonschema
import yaml

MAX_SPEC_BYTES = 4 * 1024 * 1024
MAX_NESTING = 64
# Limits of the generated tables (codegen/templates/lib/src/catalog.c.j2 and
# catalog_internal.h): entry indexes are uint16_t, a code index page number is
# uint8_t, an entry's related count uint8_t and its first related uint16_t.
# A spec beyond them would compile into silently wrong tables (or hang the
# generator on a range of two billion codes), so it is refused.
MAX_ENTRIES = 65535
MAX_INDEX_PAGES = 255
MAX_RELATED_PER_ENTRY = 255
MAX_RELATED_TOTAL = 65535
DENSE_INDEX_SPAN = 16384  # generate.py: a domain spanning fewer codes gets a dense index
# Scalar tags a spec may carry; anything else (!!python/..., !custom) is refused.
ALLOWED_TAGS = frozenset("tag:yaml.org,2002:" + t for t in
                         ("str", "int", "float", "bool", "null", "map", "seq",
                          "timestamp", "binary"))
# Text that must never reach a generated file: C0 controls other than tab and
# newline, DEL, and lone UTF-16 surrogates (valid YAML escapes, but not
# encodable as UTF-8).
BAD_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")
C_KEYWORDS = frozenset("""auto break case char const continue default do double else enum
extern float for goto if inline int long register restrict return short signed sizeof
static struct switch typedef union unsigned void volatile while""".split())


def ascii_lower(s):
    """Fold ASCII letters only, exactly as the C lookups fold their input;
    str.lower() would also fold non-ASCII capitals that the C code keeps."""
    return s.translate(_ASCII_LOWER)


_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


class SpecError(Exception):
    """Raised with a list of (line, message) problems."""

    def __init__(self, problems):
        super().__init__(problems)
        self.problems = sorted(set((line, _printable(msg)) for line, msg in problems))


def _printable(msg, limit=300):
    """One line of plain text: control characters and lone surrogates (from
    the spec's own text, echoed back) are shown as escapes, never sent to the
    terminal, and a message quoting a huge value is cut short."""
    msg = BAD_TEXT.sub(lambda m: "\\x%02x" % ord(m.group()) if ord(m.group()) < 0x100
                       else "\\u%04x" % ord(m.group()), msg)
    msg = msg.replace("\n", "\\n").replace("\t", " ")
    return msg if len(msg) <= limit else msg[:limit] + "..."


# --------------------------------------------------------------------------
# YAML -> plain data, with a line for every path
# --------------------------------------------------------------------------

def _to_data(root):
    """Convert a composed node tree to plain data and a {path: line} map.

    Aliases are refused outright: they are the only way a small YAML file can
    expand into a huge document ("billion laughs"), and the spec needs none.
    """
    lines, problems, seen = {}, [], set()

    def conv(node, path, depth):
        line = node.start_mark.line + 1
        lines[path] = line
        if depth > MAX_NESTING:
            raise SpecError([(line, f"nesting deeper than {MAX_NESTING} levels")])
        if id(node) in seen:
            problems.append((line, "YAML aliases are not allowed in the spec"))
            return None
        seen.add(id(node))
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in ALLOWED_TAGS:
            problems.append((line, f"YAML tag `{node.tag}` is not allowed in the spec"))
            return None
        if isinstance(node, yaml.MappingNode):
            out = {}
            for knode, vnode in node.value:
                if not isinstance(knode, yaml.ScalarNode):
                    problems.append((knode.start_mark.line + 1, "mapping keys must be plain strings"))
                    continue
                key = knode.value
                if key in out:
                    problems.append((knode.start_mark.line + 1, f"duplicate key `{key}`"))
                    continue
                out[key] = conv(vnode, path + (key,), depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [conv(v, path + (i,), depth + 1) for i, v in enumerate(node.value)]
        if node.tag not in ALLOWED_TAGS:
            problems.append((line, f"YAML tag `{node.tag}` is not allowed in the spec"))
            return None
        try:
            return yaml.SafeLoader.construct_object(loader, node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as e:
            what = getattr(e, "problem", None) or str(e).split("\n")[0]
            problems.append((line, f"cannot read the value: {what}"))
            return None

    loader = yaml.SafeLoader("")
    data = conv(root, (), 0)
    return data, lines, problems


class _Loader(yaml.SafeLoader):
    """SafeLoader whose composer stops at MAX_NESTING levels, with the line,
    before Python's recursion limit is anywhere near (PyYAML's composer
    recurses once per level; its scanner and parser do not), and at the first
    alias, before anything could expand ("billion laughs")."""

    _depth = 0

    def compose_node(self, parent, index):
        self._depth += 1
        try:
            if self._depth > MAX_NESTING + 1:
                mark = self.peek_event().start_mark
                raise SpecError([(mark.line + 1, f"nesting deeper than {MAX_NESTING} levels")])
            if self.check_event(yaml.AliasEvent):
                # Report where the alias is used, not where its anchor is.
                event = self.peek_event()
                raise SpecError([(event.start_mark.line + 1,
                                  f"YAML aliases are not allowed in the spec (`*{event.anchor}`)")])
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load_yaml(raw):
    """Parse bytes; returns (data, lines) or raises SpecError."""
    if len(raw) > MAX_SPEC_BYTES:
        raise SpecError([(1, f"file is {len(raw)} bytes; the limit is {MAX_SPEC_BYTES}")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise SpecError([(line, f"not valid UTF-8 (byte 0x{raw[e.start]:02x})")]) from None
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.reader.ReaderError as e:
        line = text[: e.position].count("\n") + 1
        raise SpecError([(line, f"character U+{e.character:04X} is not allowed in YAML"
                                if isinstance(e.character, int) else f"YAML error: {e.reason}")]) from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        msg = f"YAML syntax error: {e.problem or e.context}"
        if e.context and e.context_mark and e.problem_mark and e.context_mark.line != e.problem_mark.line:
            msg += f" ({e.context} started on line {e.context_mark.line + 1})"
        raise SpecError([(line, msg)]) from None
    except yaml.YAMLError as e:
        raise SpecError([(1, f"YAML error: {e}")]) from None
    except RecursionError:
        raise SpecError([(1, "YAML nesting is too deep")]) from None
    if root is None:
        raise SpecError([(1, "the spec is empty")])
    data, lines, problems = _to_data(root)
    if problems:
        raise SpecError(problems)
    return data, lines


def _line(lines, path):
    path = tuple(path)
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 1)


# --------------------------------------------------------------------------
# Schema validation, with messages a spec editor understands
# --------------------------------------------------------------------------

def _schema_message(err, schema):
    defs = schema["$defs"]
    where = ".".join(str(p) for p in err.absolute_path) or "top level"
    if err.validator == "oneOf" and err.schema is defs["provenance"]:
        if isinstance(err.instance, dict) and {"documented", "inferred"} <= err.instance.keys():
            return f"{where}: both `documented:` and `inferred:` given; provenance is exactly one"
        return f"{where}: missing provenance: give exactly one of `documented:` or `inferred:`"
    if err.validator == "oneOf" and err.schema is defs["entry"]:
        return f"{where}: an entry needs exactly one key: `code`, `range`, `message` or `id`"
    if err.validator == "required":
        missing = err.message.split("'")[1] if "'" in err.message else err.message
        return f"{where}: missing field `{missing}`"
    if err.validator == "type":
        return f"{where}: must be of type {err.validator_value}, not {type(err.instance).__name__}"
    if err.validator == "additionalProperties":
        return f"{where}: {err.message}"
    if err.validator == "pattern" and err.schema is defs["c_name"]:
        return f"{where}: `{err.instance}` is not a valid C identifier in upper case"
    return f"{where}: {err.message}"


def schema_problems(data, lines, schema):
    validator = jsonschema.Draft202012Validator(schema)
    out = []
    for err in validator.iter_errors(data):
        path = tuple(err.absolute_path)
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            # Point at the first unexpected key rather than at its parent.
            extra = [k for k in err.instance if k not in err.schema.get("properties", {})]
            path += tuple(extra[:1])
        out.append((_line(lines, path), _schema_message(err, schema)))
    return out


# --------------------------------------------------------------------------
# Rules a schema cannot say
# --------------------------------------------------------------------------

def semantic_problems(spec, lines):
    out = []

    def bad(path, msg):
        out.append((_line(lines, path), msg))

    sources = spec["sources"]
    cats = [c["name"] for c in spec["categories"]]
    rets = [r["name"] for r in spec["retry_classes"]]
    for what, names, key in (("category", cats, "categories"), ("retry class", rets, "retry_classes")):
        for i, n in enumerate(names):
            if names.index(n) != i:
                bad((key, i, "name"), f"duplicate {what} `{n}`")

    def check_class(path, name):
        if name not in rets:
            bad(path, f"unknown retry class `{name}` (known: {', '.join(rets)})")

    classes = {r["name"]: r for r in spec["retry_classes"]}
    sits = spec.get("situations", [])
    for key, items in (("retry_classes", spec["retry_classes"]), ("situations", sits)):
        for i, item in enumerate(items):
            ip = (key, i)
            if key == "situations" and [x["name"] for x in sits].index(item["name"]) != i:
                bad(ip + ("name",), f"duplicate situation `{item['name']}`")
            if "retry" in item:
                check_class(ip + ("retry",), item["retry"])
            other = item.get("not_idempotent", {}).get("retry")
            if other is not None:
                check_class(ip + ("not_idempotent", "retry"), other)
                if "retry" in classes.get(other, {}).get("not_idempotent", {}):
                    bad(ip + ("not_idempotent", "retry"),
                        f"retry class `{other}` hands non-idempotent calls on itself; "
                        "name the class it hands them to")
            for d in item.get("domain_reasons", {}):
                if d not in [x["name"] for x in spec["domains"]]:
                    bad(ip + ("domain_reasons", d), f"unknown domain `{d}`")

    def check_ref(path, ref):
        if ref.split("#")[0] not in sources:
            bad(path, f"unknown source `{ref.split('#')[0]}` (known: {', '.join(sources)})")

    def check_prov(path, obj):
        if "documented" in obj:
            check_ref(path + ("documented",), obj["documented"])

    def check_texts(path, obj):
        items = obj.items() if isinstance(obj, dict) else enumerate(obj) if isinstance(obj, list) else ()
        for k, v in items:
            if isinstance(v, str) and BAD_TEXT.search(v):
                what = "a lone surrogate" if re.search("[\ud800-\udfff]", v) else "a control character"
                bad(path + (k,), f"`{k}` contains {what}")
            elif isinstance(v, (dict, list)):
                check_texts(path + (k,), v)

    # Entries and blocks are checked below with their own paths; this covers
    # the rest (category and retry texts, titles, policy reasoning, URLs).
    for key in ("catalog", "sources", "categories", "retry_classes", "situations", "policy"):
        check_texts((key,), spec.get(key, []))
    for key in ("retry_classes", "situations"):
        for i, item in enumerate(spec.get(key, [])):
            check_prov((key, i), item)
    for di, dom in enumerate(spec["domains"]):
        check_texts(("domains", di), {k: v for k, v in dom.items() if k not in ("entries", "blocks")})

    related_total, entry_total = [0], [0]

    def check_index(dp, dom, spans):
        """The code index the generator will build must fit its tables: a
        domain that spans DENSE_INDEX_SPAN codes or more gets a two-level index
        by thousands block, with at most MAX_INDEX_PAGES blocks in use."""
        if not spans or max(s[1] for s in spans) - min(s[0] for s in spans) < DENSE_INDEX_SPAN:
            return
        pages, last = 0, None
        for lo, hi, line in sorted((s[0] // 1000, s[1] // 1000, s[2]) for s in spans):
            if last is not None and hi <= last:
                continue
            pages += hi - max(lo, last + 1 if last is not None else lo) + 1
            last = hi
            if pages > MAX_INDEX_PAGES:
                out.append((line, f"the codes of domain {dom['name']} fall into {pages} or more "
                                  f"thousands blocks; the code index holds at most {MAX_INDEX_PAGES}"))
                return

    dnames = [d["name"] for d in spec["domains"]]
    for di, dom in enumerate(spec["domains"]):
        dp = ("domains", di)
        if dnames.index(dom["name"]) != di:
            bad(dp + ("name",), f"duplicate domain `{dom['name']}`")
        check_ref(dp + ("page",), dom["page"])
        names, codes, keys, spans = {}, {}, {}, []
        for bi, blk in enumerate(dom.get("blocks", [])):
            bp = dp + ("blocks", bi)
            check_prov(bp, blk)
            check_texts(bp, blk)
            if blk["category"] not in cats:
                bad(bp + ("category",), f"unknown category `{blk['category']}`")
            if blk["retry"] not in rets:
                bad(bp + ("retry",), f"unknown retry class `{blk['retry']}`")
            if blk["first"] > blk["last"]:
                bad(bp + ("first",), f"block {blk['first']}-{blk['last']} is empty (first > last)")
            for ob in dom.get("blocks", [])[:bi]:
                if blk["first"] <= ob["last"] and ob["first"] <= blk["last"]:
                    bad(bp + ("first",), f"block {blk['first']}-{blk['last']} overlaps block {ob['first']}-{ob['last']}")
            if blk["name"] in names:
                bad(bp + ("name",), f"duplicate name `{blk['name']}` in domain {dom['name']}")
            names[blk["name"]] = bp
        for ei, ent in enumerate(dom["entries"]):
            ep = dp + ("entries", ei)
            check_texts(ep, ent)
            if ent["name"] in names:
                bad(ep + ("name",), f"duplicate name `{ent['name']}` in domain {dom['name']}"
                    f" (first at line {_line(lines, names[ent['name']] + ('name',))})")
            names.setdefault(ent["name"], ep)
            if ent["name"].lower() in C_KEYWORDS:
                bad(ep + ("name",), f"`{ent['name']}` is a C keyword")
            if ent["category"] not in cats:
                bad(ep + ("category",), f"unknown category `{ent['category']}` (known: {', '.join(cats)})")
            if ent["retry"]["class"] not in rets:
                bad(ep + ("retry", "class"), f"unknown retry class `{ent['retry']['class']}` (known: {', '.join(rets)})")
            for f in ("description", "retry", "remediation"):
                check_prov(ep + (f,), ent[f])
            if "doc" in ent:
                check_ref(ep + ("doc",), ent["doc"])
            if "code" in ent or "range" in ent:
                lo, hi = (ent["code"], ent["code"]) if "code" in ent else ent["range"]
                kp = ep + (("code",) if "code" in ent else ("range",))
                if lo > hi:
                    bad(kp, f"range {lo}-{hi} is empty (first > last)")
                    continue
                for (olo, ohi, oline) in spans:
                    if lo <= ohi and olo <= hi:
                        if lo == hi and olo == ohi:
                            bad(kp, f"duplicate code {lo} in domain {dom['name']} (first at line {oline})")
                        elif olo == ohi or lo == hi:
                            inner = olo if olo == ohi else lo
                            bad(kp, f"range swallows the exact code {inner} in domain {dom['name']} (line {oline})")
                        else:
                            bad(kp, f"range {lo}-{hi} overlaps range {olo}-{ohi} (line {oline})")
                spans.append((lo, hi, _line(lines, kp)))
                if "code" in ent:  # `codes:` links to exact codes only (build_model)
                    codes[lo] = ei
            else:
                kind = "message" if "message" in ent else "id"
                folded = ascii_lower(ent[kind]) if kind == "message" else ent[kind]
                trigraph = re.search(r"\?\?[=/'()!<>-]", ent[kind])
                if trigraph:
                    # gperf copies its keys into C string literals as they are,
                    # and a C99 compiler replaces trigraphs inside them.
                    bad(ep + (kind,), f"{kind} contains the trigraph `{trigraph.group()}`, "
                        "which a C compiler would replace in the lookup table")
                if (kind, folded) in keys:
                    bad(ep + (kind,), f"duplicate {kind} `{ent[kind]}` in domain {dom['name']}")
                keys[(kind, folded)] = ep
        related = {}
        for ei, ent in enumerate(dom["entries"]):
            for ci, c in enumerate(ent.get("codes", [])):
                if c not in codes:
                    bad(dp + ("entries", ei, "codes", ci), f"code {c} is not an entry of domain {dom['name']}")
                else:
                    related[ei] = related.get(ei, 0) + 1
                    cei = codes[c]
                    related[cei] = related.get(cei, 0) + 1
        for ei, n in sorted(related.items()):
            if n > MAX_RELATED_PER_ENTRY:
                bad(dp + ("entries", ei, "name"), f"`{dom['entries'][ei]['name']}` is linked to {n} "
                    f"entries through `codes`; the limit is {MAX_RELATED_PER_ENTRY}")
        related_total[0] += sum(related.values())
        entry_total[0] += len(dom["entries"]) + len(dom.get("blocks", []))
        check_index(dp, dom, spans)
    if entry_total[0] > MAX_ENTRIES:
        bad(("domains",), f"{entry_total[0]} entries and blocks; the tables hold at most {MAX_ENTRIES}")
    if related_total[0] > MAX_RELATED_TOTAL:
        bad(("domains",), f"{related_total[0]} links through `codes`; the tables hold at most {MAX_RELATED_TOTAL}")
    pdoms = [p["domain"] for p in spec["policy"]]
    for pi, pol in enumerate(spec["policy"]):
        pp = ("policy", pi)
        check_prov(pp, pol)
        quota = pol.get("quota")
        if quota:
            # A documented quota bounds the first wait from below: one token
            # interval, so that a backoff never outpaces the quota.
            check_prov(pp + ("quota",), quota)
            interval = -(-1000 // quota["rate_per_s"])
            if pol["base_ms"] < interval:
                bad(pp + ("base_ms",), f"base_ms {pol['base_ms']} is shorter than one token interval "
                    f"of the quota ({interval} ms at {quota['rate_per_s']} requests/s)")
        if pol["domain"] not in dnames:
            bad(pp + ("domain",), f"unknown domain `{pol['domain']}`")
        if pdoms.index(pol["domain"]) != pi:
            bad(pp + ("domain",), f"duplicate policy for domain `{pol['domain']}`")
        if pol["base_ms"] > pol["cap_ms"]:
            bad(pp + ("base_ms",), "base_ms is larger than cap_ms")
    for d in dnames:
        if d not in pdoms:
            bad(("policy",), f"domain `{d}` has no backoff policy")
    return out


# What the hand-written C (src/, include/sixmm/errinfo.h) names: the
# SIXMM_RETRY_*, SIXMM_DOMAIN_* and SIXMM_CATEGORY_* constants and the
# advisor's situations (SIXMM__SITUATION_*, src/lib/advice.c). A spec without
# one of them would generate C that the library does not compile against;
# with --contract the generator says so at the spec's line instead.
LIBRARY_CONTRACT = {
    "retry_classes": ("none", "reconcile"),
    "domains": ("rest", "widget"),
    "categories": ("unknown",),
    "situations": ("success", "bad_domain", "limit", "class_block", "unknown_code",
                   "http_3xx", "http_401", "http_429", "http_4xx", "http_gateway",
                   "http_5xx", "no_response", "no_body"),
}
# What the generated advisor rules need of every retry class and situation.
ADVISOR_FIELDS = {"retry_classes": ("resend", "wait_first", "reason"), "situations": ()}


def contract_problems(spec, lines):
    """Problems with what the hand-written C code and the advisor's
    generated rules rely on."""
    out = []
    for key, needed in LIBRARY_CONTRACT.items():
        have = [item["name"] for item in spec.get(key, [])]
        missing = [n for n in needed if n not in have]
        if missing:
            what = key.replace("_", " ")
            out.append((_line(lines, (key,)), f"the library's C code needs the {what} "
                        + ", ".join(f"`{n}`" for n in missing)
                        + " (codegen/speclib.py LIBRARY_CONTRACT)"))
    for key, fields in ADVISOR_FIELDS.items():
        for i, item in enumerate(spec.get(key, [])):
            for f in fields:
                if f not in item:
                    out.append((_line(lines, (key, i)),
                                f"`{item['name']}` has no `{f}`: the advisor's rules need it"))
            if "documented" not in item and "inferred" not in item:
                out.append((_line(lines, (key, i)),
                            f"`{item['name']}` needs a provenance (documented or inferred)"))
    return out


def load(path, schema_path, contract=False):
    """Return (spec, lines, raw bytes) or raise SpecError. With contract, the
    spec must also define every name the hand-written C code uses."""
    with open(path, "rb") as f:
        raw = f.read(MAX_SPEC_BYTES + 1)
    data, lines = load_yaml(raw)
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    problems = schema_problems(data, lines, schema)
    if problems:
        raise SpecError(problems)
    problems = semantic_problems(data, lines)
    if contract:
        problems += contract_problems(data, lines)
    if problems:
        raise SpecError(problems)
    return data, lines, raw


# --------------------------------------------------------------------------
# The model the templates render
# --------------------------------------------------------------------------

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
    }
