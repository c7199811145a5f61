#!/usr/bin/env python3
"""Render spec/errors.yaml into the build tree.

    generate.py --spec spec/errors.yaml --out DIR [--group lib|docs] [--check] [--contract]

Every template codegen/templates/GROUP/PATH.j2 becomes DIR/PATH, so adding an
output means adding a template. The spec is validated completely before
anything is rendered; on a bad spec every problem is printed as
`PATH:LINE: message`, the exit status is 1 and DIR is left untouched. Files
whose content did not change are not rewritten, so a build recompiles only
what a spec edit really changed.
"""

import argparse
import html
import json
import os
import re
import sys
import unicodedata

import jinja2

import speclib

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATES = os.path.join(HERE, "templates")
BANNER = "generated from spec/errors.yaml by codegen/generate.py; do not edit"


def c_string(s):
    """A C string literal. '?' is escaped against trigraphs; bytes >= 0x80 stay
    raw UTF-8, which every compiler we support reads as-is."""
    out = []
    for ch in s:
        if ch in '\\"?':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append("\\%03o" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def c_comment(s):
    """Text that is safe inside a /* */ comment, on one line."""
    return " ".join(s.replace("*/", "* /").replace("/*", "/ *").split())


def gperf_key(s):
    """A quoted gperf keyword. gperf reads C escapes inside double quotes but
    refuses `\\?`, so `?` stays bare; the validator refuses trigraphs in keys."""
    return c_string(s).replace("\\?", "?")


# ---- Escapes for the documentation pages (issue 5) ------------------------
# Spec text is plain text in which `backtick` spans mean code, as upstream
# writes it. Each format keeps those spans and makes everything else literal,
# so a `|`, `<`, `\\`, a leading `.` or a newline in the spec cannot break
# a table, inject markup or become a roff request.

def _spans(s):
    """Split s into (fence, text) parts; fence is "" for plain text, else the
    backtick run that opened a code span (paired as CommonMark pairs them)."""
    parts, i, start, n = [], 0, 0, len(s)
    while i < n:
        if s[i] != "`":
            i += 1
            continue
        j = i
        while j < n and s[j] == "`":
            j += 1
        k, close = j, -1
        while k < n:
            if s[k] != "`":
                k += 1
                continue
            m = k
            while m < n and s[m] == "`":
                m += 1
            if m - k == j - i:
                close = k
                break
            k = m
        if close < 0:
            i = j
            continue
        if start < i:
            parts.append(("", s[start:i]))
        parts.append((s[i:j], s[j:close]))
        i = start = close + (j - i)
    if start < n:
        parts.append(("", s[start:]))
    return parts


def _md(s, cell):
    out = []
    for fence, t in _spans(s):
        if fence:
            t = " ".join(t.splitlines()) if "\n" in t else t
            out.append(fence + (t.replace("|", "\\|") if cell else t) + fence)
        else:
            t = "".join("\\" + c if c in "\\*_[]<>&|~!" else c for c in t)
            out.append("<br>".join(x.strip() for x in t.splitlines()) if "\n" in t else t)
    return "".join(out)


def md_text(s):
    """Markdown inline text: code spans kept, other punctuation escaped,
    newlines as <br> (never a line that could start a block)."""
    return _md(s, False)


def md_cell(s):
    """md_text for a GFM table cell: `|` is escaped inside code spans too."""
    return _md(s, True)


def md_code(s, cell=False):
    """Any text as one Markdown code span."""
    s = " ".join(s.splitlines())
    run = max((len(r) for r in re.findall("`+", s)), default=0)
    pad = " " if s[:1] == "`" or s[-1:] == "`" or (s[:1] == " " and s[-1:] == " " and s.strip()) else ""
    s = pad + s + pad
    return "`" * (run + 1) + (s.replace("|", "\\|") if cell else s) + "`" * (run + 1)


def md_table(rows):
    """Rows of already escaped cells (the first is the header) as an aligned
    GFM table; wide (CJK) characters count as two columns."""
    def width(s):
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
    cols = [max(width(r[i]) for r in rows) for i in range(len(rows[0]))]
    def line(r):
        return "| " + " | ".join(c + " " * (w - width(c)) for c, w in zip(r, cols)) + " |"
    return "\n".join([line(rows[0]), "| " + " | ".join("-" * w for w in cols) + " |"]
                     + [line(r) for r in rows[1:]])


def html_text(s):
    """HTML text: code spans as <code>, everything escaped, newlines as <br>."""
    out = []
    for fence, t in _spans(s):
        if fence:
            out.append("<code>" + html.escape(" ".join(t.splitlines())) + "</code>")
        else:
            out.append("<br>".join(html.escape(x) for x in t.split("\n")))
    return "".join(out)


def _roff(s):
    out = []
    for ch in s:
        if ch == "\\":
            out.append("\\e")
        elif ord(ch) > 0x7F:
            out.append("\\[u%04X]" % ord(ch))
        else:
            out.append(ch)
    return "".join(out)


def roff_text(s):
    """roff text lines: backslashes, non-ASCII and leading . or ' escaped,
    code spans in bold, no blank or indented lines."""
    # Hyphens in code and URLs are \- so that they are never broken or
    # hyphenated at; a reader copies them as typed.
    text = "".join("\\fB" + _roff(t).replace("-", "\\-") + "\\fR" if fence else
                   re.sub(r"https?://\S+", lambda m: "\\%" + m.group(0).replace("-", "\\-"), _roff(t))
                   for fence, t in _spans(s))
    lines = [x.strip() for x in text.split("\n") if x.strip()]
    return "\n".join("\\&" + x if x[0] in ".'" else x for x in lines)


def roff_line(s):
    """roff_text on one line (for .TP tags and table-like lines)."""
    return roff_text(" ".join(s.split("\n")))


def roff_block(s):
    """Literal lines (a .EX example): each line escaped, none blank-skipped."""
    def line(x):
        x = _roff(x).replace("-", "\\-")
        return "\\&" + x if x and x[0] in ".'" else x
    return "\n".join(line(x) for x in s.split("\n"))


def md_link(url):
    """A URL as a Markdown autolink, or as code when it could not be one."""
    if re.fullmatch(r"https?://[^\s<>`|\\]+", url):
        return "<" + url + ">"
    return md_code(url)


DOC_FILTERS = dict(md_text=md_text, md_cell=md_cell, md_code=md_code, md_table=md_table,
                   md_link=md_link,
                   html=lambda s: html.escape(str(s), quote=True), html_text=html_text,
                   roff_text=roff_text, roff_line=roff_line, roff_block=roff_block,
                   json=lambda v: json.dumps(v, ensure_ascii=False))


def c_layout(model):
    """Everything catalog.c and the gperf inputs need beyond the model:
    one deduplicated string pool and the code indexes."""
    pool, ids = [], {}

    def sid(s):
        if s not in ids:
            ids[s] = len(pool)
            pool.append(s)
        return ids[s]

    sid("")
    # no_text (--no-text, CMake's SIXMM_NO_TEXT): the pool keeps names, keys,
    # URLs and documented provenance links but no prose, so the embedded
    # library really is smaller. The model itself is left intact for others.
    prose = {"desc_en", "desc_zh", "rem_en", "rem_zh", "trouble_en", "trouble_zh"}
    no_text = model.get("no_text", False)

    def text(s, is_prose=True):
        return sid("" if no_text and is_prose else s)

    for e in model["all_entries"]:
        e["s"] = {k: text(e[k], k in prose) for k in (
            "name", "key", "desc_en", "desc_zh", "rem_en", "rem_zh", "doc", "trouble_en",
            "trouble_zh")}
        e["s"].update({f"prov_{k}": text(v["text"], not v["documented"])
                       for k, v in e["prov"].items()})
    for group in (model["categories"], model["retry_classes"]):
        for item in group:
            item["s"] = {"name": sid(item["name"]), "en": text(item["en"]),
                         "zh": text(item.get("zh", ""))}
    for d in model["domains"]:
        d["s"] = {"name": sid(d["name"]), "title": sid(d["title"]), "url": sid(d["url"])}
    related, indexes = [], []
    for e in model["all_entries"]:
        e["related_first"] = len(related)
        related.extend(r["index"] for r in e["related"])
    # Code indexes. A slot holds the match kind in its top two bits (exact 0,
    # range 1, class 2, unknown 3, as sixmm_match) and entry index + 1 below
    # them, so a lookup needs no second load to learn the match; the miss
    # value is "unknown, no entry". Class blocks go into the index too,
    # wherever that costs no extra page, so that a class fallback is one
    # load like an exact code. A domain whose blocks all fit is "complete": a
    # miss there is unknown at once; in the others a miss falls back to the
    # scan of sixmm__blocks at run time.
    n = len(model["all_entries"])
    slot_bits = 8 if n + 1 < 64 else 16 if n + 1 < 16384 else 32
    shift = slot_bits - 2
    miss = 3 << shift
    kind_match = {"code": 0, "range": 1}
    # The dense/two-level threshold is the one speclib validates against.
    dense_span = getattr(speclib, "DENSE_INDEX_SPAN", 16384)
    for d in model["domains"]:
        spans = [(e["first"], e["last"], (kind_match[e["kind"]] << shift) | (e["index"] + 1))
                 for e in d["entries"] if e["kind"] in kind_match]
        classes = [(b["first"], b["last"], (2 << shift) | (b["index"] + 1)) for b in d["blocks"]]
        if not spans:
            indexes.append({"domain": d, "kind": "none", "complete": not classes})
            continue
        lo, hi = min(s[0] for s in spans), max(s[1] for s in spans)
        if hi - lo < dense_span:
            clo = min([lo] + [s[0] for s in classes])
            chi = max([hi] + [s[1] for s in classes])
            if chi - clo < dense_span:
                lo, hi = clo, chi
            slots = [miss] * (hi - lo + 1)
            for first, last, v in classes:
                for c in range(max(first, lo), min(last, hi) + 1):
                    slots[c - lo] = v
            for first, last, v in spans:
                slots[first - lo:last - lo + 1] = [v] * (last - first + 1)
            indexes.append({"domain": d, "kind": "dense", "lo": lo, "slots": slots,
                            "complete": all(lo <= f and l <= hi for f, l, _ in classes)})
        else:
            # Page 0 is all misses: a thousands block without codes points at
            # it, so the lookup needs no test for a missing page.
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
            indexes.append({"domain": d, "kind": "paged", "top_lo": lo // 1000,
                            "top": top, "pages": pages, "complete": complete})
    # The string lookups' key sets: gperf hashes the folded text and
    # compares it whole. One key per distinct text, with the entry (index
    # + 1, 0 for none) that the text names in each domain. `max` is the
    # longest text in bytes, which bounds the key lookup.c folds.
    def keyset(entries, text):
        rows, by_text = [], {}
        for e in entries:
            t = text(e)
            if t not in by_text:
                by_text[t] = {"text": t, "entries": [0] * len(model["domains"])}
                rows.append(by_text[t])
            by_text[t]["entries"][e["domain"]["index"]] = e["index"] + 1
        longest = max([len(r["text"].encode("utf-8")) for r in rows] or [1])
        return {"rows": rows, "max": longest}
    keysets = {
        "name": keyset(model["all_entries"], lambda e: e["name"].upper()),
        "message": keyset([e for e in model["entries"] if e["kind"] == "message"],
                          lambda e: speclib.ascii_lower(e["key"])),
        "id": keyset([e for e in model["entries"] if e["kind"] == "id"], lambda e: e["key"]),
    }
    return {"pool": pool, "related": related, "indexes": indexes,
            "slot_type": f"uint{slot_bits}_t", "slot_shift": shift, "slot_miss": miss,
            "keysets": keysets}

def render(model, groups):
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        autoescape=False)
    env.filters.update(ascii_lower=speclib.ascii_lower,
                       c_string=c_string, c_comment=c_comment, gperf_key=gperf_key,
                       chunks=lambda xs, n: [xs[i:i + n] for i in range(0, len(xs), n)])
    env.filters.update(DOC_FILTERS)
    ctx = dict(model, c=c_layout(model), banner=BANNER)
    outputs = {}
    for group in groups:
        root = os.path.join(TEMPLATES, group)
        for dirpath, _, files in sorted(os.walk(root)):
            for f in sorted(files):
                if f.endswith(".j2"):
                    rel = os.path.relpath(os.path.join(dirpath, f), TEMPLATES)
                    out = os.path.relpath(os.path.join(dirpath, f[:-3]), root)
                    outputs[out] = env.get_template(rel.replace(os.sep, "/")).render(ctx)
    return outputs


def write_changed(outdir, outputs):
    """Write the files whose content changed: first every new version beside
    its target, then rename them all, so an error while writing (a full disk,
    a file where a folder should be) leaves the old outputs as they were."""
    staged = []
    try:
        for rel, text in sorted(outputs.items()):
            path = os.path.join(outdir, rel)
            data = text.encode("utf-8")
            try:
                with open(path, "rb") as f:
                    if f.read() == data:
                        continue
            except FileNotFoundError:
                os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path + ".tmp", "wb") as f:
                staged.append(path)
                f.write(data)
    except OSError:
        for path in staged:
            try:
                os.remove(path + ".tmp")
            except OSError:
                pass
        raise
    for path in staged:
        os.replace(path + ".tmp", path)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--spec", required=True)
    ap.add_argument("--schema", help="default: errors.schema.json beside the spec")
    ap.add_argument("--out", help="output directory (required unless --check)")
    ap.add_argument("--group", action="append", choices=sorted(os.listdir(TEMPLATES)),
                    help="render only this template group (repeatable; default: all)")
    ap.add_argument("--check", action="store_true", help="validate only; write nothing")
    ap.add_argument("--stamp", help="touch this file after a successful run")
    ap.add_argument("--contract", action="store_true",
                    help="also require the retry classes, domains and categories that the "
                         "hand-written C code names (speclib.LIBRARY_CONTRACT)")
    ap.add_argument("--no-text", action="store_true",
                    help="leave the prose out of the C string pool (model key no_text)")
    args = ap.parse_args(argv)
    if not args.check and not args.out:
        ap.error("--out is required unless --check is given")
    schema = args.schema or os.path.join(os.path.dirname(os.path.abspath(args.spec)),
                                         "errors.schema.json")
    try:
        spec, _, raw = speclib.load(args.spec, schema, contract=args.contract)
        model = speclib.build_model(spec, raw)
        model["no_text"] = args.no_text
        outputs = render(model, args.group or sorted(os.listdir(TEMPLATES)))
    except OSError as e:
        print(f"{e.filename or args.spec}:1: cannot read: {e.strerror}", file=sys.stderr)
        return 1
    except speclib.SpecError as e:
        for line, msg in e.problems:
            print(f"{args.spec}:{line}: {msg}", file=sys.stderr)
        return 1
    except jinja2.TemplateError as e:
        # A template bug, not a spec problem: name the template, still one line.
        where = f"{e.filename}:{e.lineno}" if getattr(e, "lineno", None) else "template"
        print(f"{where}: {type(e).__name__}: {e.message}", file=sys.stderr)
        return 1
    if args.check:
        return 0
    try:
        write_changed(args.out, outputs)
        if args.stamp:
            with open(args.stamp, "w", encoding="utf-8") as f:
                f.write(model["digest"] + "\n")
    except OSError as e:
        print(f"{e.filename or args.out}: cannot write: {e.strerror}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
