"""Load and validate spec/errors.yaml, and build the model the templates render.

load() reads the YAML (refusing aliases, foreign tags and deep nesting),
validates it against its JSON schema and then by the rules a schema cannot
say; build_model() flattens it for the templates. Every problem is reported
as (line, message) so that the caller can print `PATH:LINE: message` for all
of them in one run. Nothing here knows about an output format or writes files.
"""

import hashlib
import json
import re

import jsonschema
import yaml

MAX_SPEC_BYTES = 4 * 1024 * 1024
MAX_NESTING = 64
# Scalar tags a spec may carry; anything else (!!python/..., !custom) is refused.
ALLOWED_TAGS = frozenset("tag:yaml.org,2002:" + t for t in
                         ("str", "int", "float", "bool", "null", "map", "seq",
                          "timestamp", "binary"))
# Text that must never reach a generated file: C0 controls other than tab and
# newline, DEL, and lone UTF-16 surrogates (valid YAML escapes, but not
# encodable as UTF-8).
BAD_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")


def ascii_lower(s):
    """Fold ASCII letters only, as the message lookups fold their input;
    str.lower() would also fold non-ASCII capitals that the lookups keep."""
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


def line_of(lines, path):
    """The line of path, or of its nearest ancestor that has one."""
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
        out.append((line_of(lines, path), _schema_message(err, schema)))
    return out


# --------------------------------------------------------------------------
# Rules a schema cannot say. Each check returns a list of (path, message);
# semantic_problems() turns the paths into lines.
# --------------------------------------------------------------------------

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
    for key in ("catalog", "sources", "categories", "retry_classes", "situations", "policy"):
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
    for di, dom in enumerate(spec["domains"]):
        dp = ("domains", di)
        found += _block_problems(spec, dp, dom) + _name_problems(dp, dom, lines)
        found += _entry_problems(spec, dp, dom) + _code_problems(dp, dom, lines)
        found += _key_problems(dp, dom) + _link_problems(dp, dom)
    return [(line_of(lines, path), msg) for path, msg in found]


def load(path, schema_path, checks=()):
    """Return (spec, lines, raw bytes) or raise SpecError. Each of checks is
    a function (spec, lines) -> [(line, message)] for rules that the outputs
    add (the C tables' limits, the names the hand-written C uses); their
    problems are reported together with the spec's own."""
    with open(path, "rb") as f:
        raw = f.read(MAX_SPEC_BYTES + 1)
    data, lines = load_yaml(raw)
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    problems = schema_problems(data, lines, schema)
    if problems:
        raise SpecError(problems)
    problems = semantic_problems(data, lines)
    for check in checks:
        problems += check(data, lines)
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
    }
