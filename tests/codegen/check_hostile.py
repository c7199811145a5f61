#!/usr/bin/python3
"""Spec text that looks like markup cannot break a page.

    check_hostile.py SOURCE_DIR WORK_DIR

Copies spec/errors.yaml into WORK_DIR with hostile text in a few fields
(table pipes, HTML, roff requests at the start of a line, backslashes,
quotes, `*/`, Jinja-looking text, newlines, non-ASCII), renders the docs
group with the real generator, and checks every format:

- errors.json parses, validates against its schema, and holds each hostile
  string exactly;
- error-codes.html parses strictly as HTML5, has no <script> but its own,
  and shows each hostile text as text;
- error-codes.md keeps every table's shape under cmark-gfm, renders no
  element the text spelled, and shows the hostile text literally;
- the man pages pass `mandoc -Tlint -W warning`, and the text of a fake
  `.TH` request shows up as text.
"""
import json
import os
import re
import shutil
import subprocess
import sys

try:
    import html5lib
except ImportError:
    sys.exit("python3-html5lib is missing; on Debian: apt-get install python3-html5lib")
import jsonschema
import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs"))
import docslib  # noqa: E402  (tests/docs/docslib.py: the page parsers)

EVIL = ('a | b || c \\| d\n.TH EVIL 1\n\'br x "dq" \\fB \\\\ */ /* {{ 7*7 }} {% if 1 %}x{% endif %} '
        '<script>alert(1)</script> <b>bold</b> &amp; *em* _u_ [l](http://x) `co|de` '
        '` lone backtick\n\n- item\n# heading\n> quote\n  .indented 中文 \U0001F600')
EVIL_KEY = 'evil | "message" <i>x</i> \\ .TH {{ x }}'


def main():
    src, work = sys.argv[1:3]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    with open(os.path.join(src, "spec", "errors.yaml"), encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    rest = spec["domains"][0]["entries"]
    target = next(e for e in rest if e.get("code") == 1002)   # in both upstream tables
    target["description"]["en"] = EVIL
    target["description"]["zh"] = EVIL
    target["remediation"]["en"] = EVIL
    target["troubleshooting"]["en"] = EVIL
    target["retry"] = {"class": target["retry"]["class"], "inferred": EVIL}
    msg = next(e for e in rest if e.get("message") == "Signature replay detected")
    msg["message"] = EVIL_KEY
    spec_path = os.path.join(work, "errors.yaml")
    with open(spec_path, "w", encoding="utf-8") as f:
        yaml.safe_dump(spec, f, allow_unicode=True, sort_keys=False)
    shutil.copy(os.path.join(src, "spec", "errors.schema.json"), work)
    # The real spec too: the hostile pages must have exactly its markup.
    for spec_file, out in ((spec_path, "out"), (os.path.join(src, "spec", "errors.yaml"), "clean")):
        r = subprocess.run([sys.executable, os.path.join(src, "codegen", "generate.py"),
                            "--spec", spec_file, "--out", os.path.join(work, out),
                            "--group", "docs"], capture_output=True, text=True)
        if r.returncode != 0:
            print(f"the generator refused {spec_file}:\n{r.stderr}")
            return 1
    docs = os.path.join(work, "out", "docs")
    clean = os.path.join(work, "clean", "docs")
    problems = []

    # JSON: exact strings, valid against the schema.
    with open(os.path.join(docs, "errors.json"), encoding="utf-8") as f:
        data = json.load(f)
    with open(os.path.join(docs, "errors.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    for err in jsonschema.Draft202012Validator(schema).iter_errors(data):
        problems.append(f"errors.json: {err.message}")
    je = next(e for e in data["domains"][0]["entries"] if e["key"] == "1002")
    if (je["description"]["en"], je["remediation"]["en"], je["provenance"]["retry"]["text"]) != (EVIL,) * 3:
        problems.append("errors.json does not hold the hostile text exactly")
    if not any(e["key"] == EVIL_KEY for e in data["domains"][0]["entries"]):
        problems.append("errors.json does not hold the hostile message key exactly")

    # HTML: strict parse, no injected element, the text shown as text.
    with open(os.path.join(docs, "error-codes.html"), encoding="utf-8") as f:
        page = f.read()
    try:
        tree = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page)
    except html5lib.html5parser.ParseError as e:
        problems.append(f"error-codes.html: HTML5 parse error: {e}")
        tree = html5lib.parse(page, namespaceHTMLElements=False)
    problems += [f"error-codes.html: {p}" for p in docslib.check_tags(page).problems]
    if len(tree.findall(".//script")) != 1:
        problems.append("error-codes.html: the spec text injected a <script>")
    if tree.findall(".//i"):
        problems.append("error-codes.html: the message key injected an <i> element")
    row = tree.find(".//tr[@id='rest-1002']")
    text = " ".join("".join(row.itertext()).split()) if row is not None else ""
    for piece in ("a | b || c \\| d", ".TH EVIL 1", "'br x \"dq\" \\fB \\\\ */ /*",
                  "{{ 7*7 }}", "<script>alert(1)</script> <b>bold</b> &amp; *em*", "中文 \U0001F600"):
        if piece not in text:
            problems.append(f"error-codes.html: row rest-1002 does not show {piece!r}")

    # Markdown: tables keep their shape; no element comes from the text.
    for name in ("error-codes.md", "error-codes.zh.md"):
        with open(os.path.join(docs, name), encoding="utf-8") as f:
            md = f.read()
        rendered = docslib.gfm(md)
        tables = docslib.md_tables(md)
        got = docslib.html_tables(rendered)
        if [[len(r) for r in rows] for _, rows in tables] != [[len(r) for r in t] for t in got]:
            problems.append(f"{name}: a table lost its shape")
        with open(os.path.join(clean, name), encoding="utf-8") as f:
            clean_rendered = docslib.gfm(f.read())
        for tag in ("<script", "<b>", "<i>", "<em>", "<h1>", "<blockquote>", "<li>"):
            if rendered.count(tag) != clean_rendered.count(tag):
                problems.append(f"{name}: the spec text became markup: {tag} "
                                f"{clean_rendered.count(tag)} times in the real page, "
                                f"{rendered.count(tag)} in the hostile one")
        if 'href="http://x"' in rendered:
            problems.append(f"{name}: the spec text became a link")
        problems += [f"{name}: {p}" for p in docslib.check_tags(rendered).problems]
        flat = re.sub(r"<[^>]+>", "", rendered)
        for piece in ("a | b || c \\| d", ".TH EVIL 1", "{{ 7*7 }}", "*em* _u_ [l](http://x)"):
            if piece not in flat.replace("&quot;", '"').replace("&amp;", "&"):
                problems.append(f"{name}: the rendered page does not show {piece!r}")

    # man: no warnings; the request is text.
    for page_name in ("6mm-errors.7", "sixmm-errinfo.3"):
        rc, o, e = docslib.run(["mandoc", "-Tlint", "-W", "warning", os.path.join(docs, page_name)])
        if rc != 0 or o or e:
            problems.append(f"{page_name}: mandoc -Tlint -W warning:\n{o}{e}".rstrip())
    rc, o, e = docslib.run(["mandoc", "-Tutf8", os.path.join(docs, "6mm-errors.7")])
    shown = re.sub(".\b", "", o)
    for piece in (".TH EVIL 1", "'br x \"dq\" \\fB \\\\ */", "{{ 7*7 }}", "中文"):
        if piece not in shown:
            problems.append(f"6mm-errors.7: the rendered page does not show {piece!r}")

    # Any other valid spec (tests/codegen/specs/ok-*.yaml: one domain, no
    # Chinese, no troubleshooting rows) renders valid pages too.
    specs_dir = os.path.join(src, "tests", "codegen", "specs")
    others = sorted(f for f in os.listdir(specs_dir) if f.startswith("ok-") and f.endswith(".yaml"))
    if not others:
        problems.append(f"{specs_dir}: no ok-*.yaml spec to render")
    for name in others:
        out = os.path.join(work, name[:-5])
        r = subprocess.run([sys.executable, os.path.join(src, "codegen", "generate.py"),
                            "--spec", os.path.join(specs_dir, name),
                            "--schema", os.path.join(src, "spec", "errors.schema.json"),
                            "--out", out, "--group", "docs"], capture_output=True, text=True)
        if r.returncode != 0:
            problems.append(f"{name}: the docs templates fail on a valid spec:\n{r.stderr}")
            continue
        d = os.path.join(out, "docs")
        with open(os.path.join(d, "error-codes.html"), encoding="utf-8") as f:
            page = f.read()
        try:
            html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page)
        except html5lib.html5parser.ParseError as e:
            problems.append(f"{name}: error-codes.html: HTML5 parse error: {e}")
        with open(os.path.join(d, "errors.json"), encoding="utf-8") as f:
            data = json.load(f)
        with open(os.path.join(d, "errors.schema.json"), encoding="utf-8") as f:
            for err in jsonschema.Draft202012Validator(json.load(f)).iter_errors(data):
                problems.append(f"{name}: errors.json: {err.message}")
        for page_name in ("6mm-errors.7", "sixmm-errinfo.3"):
            rc, o, e = docslib.run(["mandoc", "-Tlint", "-W", "warning", os.path.join(d, page_name)])
            if rc != 0 or o or e:
                problems.append(f"{name}: {page_name}: {o}{e}".rstrip())
        for md_name in ("error-codes.md", "error-codes.zh.md"):
            with open(os.path.join(d, md_name), encoding="utf-8") as f:
                problems += [f"{name}: {md_name}: {p}" for p in docslib.check_tags(docslib.gfm(f.read())).problems]

    for p in problems:
        print(p)
    print(f"hostile spec and {len(others)} other valid specs: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
