#!/usr/bin/python3
"""The filter box of error-codes.html works: its inline script runs under
node against a small stand-in for the DOM built from the page's own tables,
and typing narrows the rows to those that contain every word.

    check_html_filter.py PAGE

Exits 77 (skipped) when node is not installed (Debian: nodejs).
"""
import json
import re
import shutil
import subprocess
import sys

try:
    import html5lib
except ImportError:
    sys.exit("python3-html5lib is missing; on Debian: apt-get install python3-html5lib")

HARNESS = r"""
const rows = ROWS.map(r => ({id: r.id, textContent: r.text, hidden: false}));
const input = {value: "", handlers: {}, addEventListener(t, f) { this.handlers[t] = f; }};
const els = {filterbox: {hidden: true}, filter: input, "filter-count": {textContent: ""}};
globalThis.document = {
  getElementById: id => els[id],
  querySelectorAll: sel => { if (sel !== "table.filterable tbody tr") throw new Error(sel); return rows; },
};
SCRIPT
const out = {unhidden: !els.filterbox.hidden, cases: {}};
for (const q of QUERIES) {
  input.value = q;
  input.handlers.input();
  out.cases[q] = {shown: rows.filter(r => !r.hidden).map(r => r.id || r.textContent.slice(0, 40)),
                  count: els["filter-count"].textContent};
}
console.log(JSON.stringify(out));
"""


def main():
    node = shutil.which("node") or shutil.which("nodejs")
    if not node:
        print("node is not installed (Debian: nodejs); skipped")
        return 77
    with open(sys.argv[1], encoding="utf-8") as f:
        page = f.read()
    tree = html5lib.parse(page, namespaceHTMLElements=False)
    rows = []
    for table in tree.iter("table"):
        if "filterable" in table.get("class", "").split():
            for tr in table.find("tbody").iter("tr"):
                rows.append({"id": tr.get("id", ""), "text": "".join(tr.itertext())})
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    if len(scripts) != 1:
        print(f"want one inline script, found {len(scripts)}")
        return 1
    queries = ["", "6905", "AGENT 6905", "quota exhausted", "rest-3100", "no such text at all"]
    js = (HARNESS.replace("ROWS", json.dumps(rows)).replace("QUERIES", json.dumps(queries))
          .replace("SCRIPT", scripts[0]))
    r = subprocess.run([node, "-e", js], capture_output=True, text=True)
    if r.returncode != 0:
        print(f"the script failed under node:\n{r.stderr}")
        return 1
    out = json.loads(r.stdout)
    problems = []
    if not out["unhidden"]:
        problems.append("the script does not show the filter box")
    want = {"": len(rows), "no such text at all": 0}
    for q, n in want.items():
        if len(out["cases"][q]["shown"]) != n:
            problems.append(f"query {q!r}: {len(out['cases'][q]['shown'])} rows shown, want {n}")
    for q in ("6905", "AGENT 6905", "quota exhausted"):
        shown = out["cases"][q]["shown"]
        if "agent-6905" not in shown:
            problems.append(f"query {q!r} hides the row agent-6905")
        words = q.lower().split()
        wrong = [row["id"] or row["text"][:40] for row in rows
                 if (row["id"] or row["text"][:40]) in shown
                 and not all(w in (row["id"] + " " + row["text"]).lower() for w in words)]
        if wrong:
            problems.append(f"query {q!r} shows {len(wrong)} rows without those words, "
                            f"e.g. {wrong[:3]}")
    if "rest-3100-3112" not in out["cases"]["rest-3100"]["shown"]:
        problems.append("filtering by anchor does not find rest-3100-3112")
    if not re.match(r"^\d+ of \d+ rows match$", out["cases"]["6905"]["count"]):
        problems.append(f"the count reads {out['cases']['6905']['count']!r}")
    for p in problems:
        print(p)
    print(f"filter: {len(rows)} rows, {len(queries)} queries, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
