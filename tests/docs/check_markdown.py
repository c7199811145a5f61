#!/usr/bin/python3
"""The generated Markdown is well-formed CommonMark and its tables render as
tables.

    check_markdown.py GENERATED UPSTREAM ERRORS_JSON

- cmark-gfm (GitHub Flavored Markdown, table extension) renders the page:
  every table in the source comes out as a <table> with as many rows and
  cells as the source has, the first two tables render cell by cell exactly
  as the upstream page's tables do, and the HTML is balanced.
- cmark (strict CommonMark, which has no tables) renders the page too: the
  output must be balanced HTML and keep every entry anchor exactly once.
  Debian 12's plain cmark has no table extension, hence cmark-gfm for tables.
"""
import json
import sys

import docslib


def main():
    gen_path, up_path, json_path = sys.argv[1:4]
    with open(gen_path, encoding="utf-8") as f:
        src = f.read()
    with open(up_path, encoding="utf-8") as f:
        up = docslib.strip_source_comment(f.read())
    with open(json_path, encoding="utf-8") as f:
        catalog = json.load(f)
    problems = []

    html = docslib.gfm(src)
    problems += [f"cmark-gfm output: {p}" for p in docslib.check_tags(html).problems]
    src_tables = docslib.md_tables(src)
    rendered = docslib.html_tables(html)
    if len(rendered) != len(src_tables):
        problems.append(f"{len(src_tables)} tables in the source, {len(rendered)} <table>s rendered")
    for (line, rows), table in zip(src_tables, rendered):
        shape = [len(r) for r in rows]
        got = [len(r) for r in table]
        if shape != got:
            problems.append(f"table at line {line}: source rows x cells {shape}, rendered {got}")
    up_rendered = docslib.html_tables(docslib.gfm(up))
    for n in range(2):
        if n < len(rendered) and n < len(up_rendered):
            problems += docslib.compare_tables(f"rendered table {n + 1}", up_rendered[n], rendered[n])

    rc, plain, err = docslib.run(["cmark", "--unsafe", "--to", "html"], src)
    if rc != 0:
        problems.append(f"cmark failed: {err.strip()}")
    checker = docslib.check_tags(plain)
    problems += [f"cmark output: {p}" for p in checker.problems]
    for d in catalog["domains"]:
        for e in d["entries"]:
            n = checker.ids.get(e["anchor"], 0)
            if n != 1:
                problems.append(f"anchor {e['anchor']!r} appears {n} times in the rendered page")

    for p in problems:
        print(f"{gen_path}: {p}")
    print(f"markdown: {len(rendered)} tables rendered, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
