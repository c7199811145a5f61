#!/usr/bin/env python3
"""Render spec/errors.yaml into the build tree.

    generate.py --spec spec/errors.yaml --out DIR [--group lib|docs] [--check]

Every template codegen/templates/GROUP/PATH.j2 becomes DIR/PATH, so adding an
output means adding a template. The spec is validated completely before
anything is rendered; on a bad spec every problem is printed as
`PATH:LINE: message`, the exit status is 1 and DIR is left untouched. Files
whose content did not change are not rewritten, so a build recompiles only
what a spec edit really changed.
"""

import argparse
import os
import sys

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
    """A quoted gperf keyword (gperf reads C escapes inside double quotes)."""
    return c_string(s)


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
    for e in model["all_entries"]:
        e["s"] = {k: sid(e[k]) for k in ("name", "key", "desc_en", "desc_zh", "rem_en",
                                         "rem_zh", "doc", "trouble_en", "trouble_zh")}
        e["s"].update({f"prov_{k}": sid(v["text"]) for k, v in e["prov"].items()})
    for group in (model["categories"], model["retry_classes"]):
        for item in group:
            item["s"] = {"name": sid(item["name"]), "en": sid(item["en"]),
                         "zh": sid(item.get("zh", ""))}
    for d in model["domains"]:
        d["s"] = {"name": sid(d["name"]), "title": sid(d["title"]), "url": sid(d["url"])}
    related, indexes = [], []
    for e in model["all_entries"]:
        e["related_first"] = len(related)
        related.extend(r["index"] for r in e["related"])
    for d in model["domains"]:
        spans = [(e["first"], e["last"], e["index"] + 1) for e in d["entries"]
                 if e["kind"] in ("code", "range")]
        if not spans:
            indexes.append({"domain": d, "kind": "none"})
            continue
        lo, hi = min(s[0] for s in spans), max(s[1] for s in spans)
        if hi - lo < 16384:
            slots = [0] * (hi - lo + 1)
            for first, last, v in spans:
                slots[first - lo:last - lo + 1] = [v] * (last - first + 1)
            indexes.append({"domain": d, "kind": "dense", "lo": lo, "slots": slots})
        else:
            pages, top = [], [0] * (hi // 1000 - lo // 1000 + 1)
            for first, last, v in spans:
                for c in range(first, last + 1):
                    t = c // 1000 - lo // 1000
                    if not top[t]:
                        pages.append([0] * 1000)
                        top[t] = len(pages)
                    pages[top[t] - 1][c % 1000] = v
            indexes.append({"domain": d, "kind": "paged", "top_lo": lo // 1000,
                            "top": top, "pages": pages})
    n = len(model["all_entries"])
    return {"pool": pool, "related": related, "indexes": indexes,
            "slot_type": "uint8_t" if n < 255 else "uint16_t",
            "name_max": max(len(e["name"]) for e in model["all_entries"]),
            "message_max": max([len(e["key"]) for e in model["entries"]
                                if e["kind"] == "message"] or [1]),
            "id_max": max([len(e["key"]) for e in model["entries"] if e["kind"] == "id"] or [1])}


def render(model, groups):
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        autoescape=False)
    env.filters.update(c_string=c_string, c_comment=c_comment, gperf_key=gperf_key,
                       chunks=lambda xs, n: [xs[i:i + n] for i in range(0, len(xs), n)])
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
    for rel, text in sorted(outputs.items()):
        path = os.path.join(outdir, rel)
        data = text.encode("utf-8")
        try:
            with open(path, "rb") as f:
                if f.read() == data:
                    continue
        except FileNotFoundError:
            os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = path + ".tmp"
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--spec", required=True)
    ap.add_argument("--schema", help="default: errors.schema.json beside the spec")
    ap.add_argument("--out", help="output directory (required unless --check)")
    ap.add_argument("--group", action="append", choices=sorted(os.listdir(TEMPLATES)),
                    help="render only this template group (repeatable; default: all)")
    ap.add_argument("--check", action="store_true", help="validate only; write nothing")
    ap.add_argument("--stamp", help="touch this file after a successful run")
    args = ap.parse_args(argv)
    if not args.check and not args.out:
        ap.error("--out is required unless --check is given")
    schema = args.schema or os.path.join(os.path.dirname(os.path.abspath(args.spec)),
                                         "errors.schema.json")
    try:
        spec, _, raw = speclib.load(args.spec, schema)
        model = speclib.build_model(spec, raw)
        outputs = render(model, args.group or sorted(os.listdir(TEMPLATES)))
    except OSError as e:
        print(f"{args.spec}:1: cannot read: {e.strerror}", file=sys.stderr)
        return 1
    except speclib.SpecError as e:
        for line, msg in e.problems:
            print(f"{args.spec}:{line}: {msg}", file=sys.stderr)
        return 1
    if args.check:
        return 0
    write_changed(args.out, outputs)
    if args.stamp:
        with open(args.stamp, "w", encoding="utf-8") as f:
            f.write(model["digest"] + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
