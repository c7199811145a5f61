#!/usr/bin/python3
"""error-codes.html: valid, self-contained, one anchor per entry.

    check_html.py PAGE ERRORS_JSON

- html5lib (an HTML5 parser that follows the standard's parsing algorithm)
  in strict mode raises on any parse error: a stray end tag, a bad
  attribute, text before the doctype, ...
- every element that needs an end tag is closed, in order;
- no id is used twice, and every entry and block of errors.json has its
  anchor exactly once;
- nothing is loaded from outside: no src= attribute, no <link>, no
  external script, no url() or @import in the style sheet;
- the filter box and its script are there;
- a web link shows a short text, never the URL itself (which makes rows
  tall), and carries the whole URL as its title.
"""
import json
import re
import sys

try:
    import html5lib
except ImportError:
    sys.exit("python3-html5lib is missing; on Debian: apt-get install python3-html5lib")

import docslib


def main():
    page_path, json_path = sys.argv[1:3]
    with open(page_path, encoding="utf-8") as f:
        page = f.read()
    with open(json_path, encoding="utf-8") as f:
        catalog = json.load(f)
    problems = []
    try:
        html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page)
    except html5lib.html5parser.ParseError as e:
        problems.append(f"HTML5 parse error: {e}")
    if not page.startswith("<!DOCTYPE html>"):
        problems.append("the page does not start with <!DOCTYPE html>")
    checker = docslib.check_tags(page)
    problems += checker.problems
    anchors = []
    for d in catalog["domains"]:
        anchors += [e["anchor"] for e in d["entries"] + d["blocks"]]
    for a in anchors:
        n = checker.ids.get(a, 0)
        if n != 1:
            problems.append(f"anchor {a!r} appears {n} times; want exactly 1")
    if len(set(anchors)) != len(anchors):
        problems.append("two entries share an anchor")
    for tag, attrs in checker.tags:
        if "src" in attrs:
            problems.append(f"<{tag} src={attrs['src']!r}> loads an external asset")
        if tag == "link":
            problems.append(f"<link> loads an external asset: {attrs}")
        for k, v in attrs.items():
            if k == "href" and v and not re.match(r"^(#|https?://)", v):
                problems.append(f"<{tag} href={v!r}> is neither an anchor nor a web link")
            if k == "href" and v.startswith("#") and checker.ids.get(v[1:], 0) != 1:
                problems.append(f"<{tag} href={v!r}> must point at exactly one id, finds {checker.ids.get(v[1:], 0)}")
    for css in re.findall(r"<style>(.*?)</style>", page, re.S):
        if re.search(r"url\(|@import", css):
            problems.append("the style sheet loads an external resource")
    links = re.findall(r'<a href="(https?://[^"]*)"([^>]*)>(.*?)</a>', page, re.S)
    for href, attrs, text in links:
        if "://" in text or len(text) > 40:
            problems.append(f"the link to {href} shows {text!r}: want a short text")
        if f'title="{href}"' not in attrs:
            problems.append(f"the link to {href} has no title with its URL")
    if not links:
        problems.append("no web link found")
    for need in ('id="filter"', "prefers-color-scheme: dark", "@media print", "<script>"):
        if need not in page:
            problems.append(f"missing: {need}")
    for p in problems:
        print(f"{page_path}: {p}")
    print(f"html: {len(checker.ids)} ids, {len(anchors)} entry anchors, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
