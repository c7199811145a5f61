#!/usr/bin/env python3
"""The templates only print: no template holds a decision beyond a loop or a
presence test. The generator's Python (codegen/layout.py, advice.py,
proof.py) computes every row a template prints.

    check_templates.py TEMPLATES_DIR

Allowed inside {% %} and {{ }}: loops over a name (`for x in a.b`),
presence tests (`if a.b`, `if not a.b`, `else`), aliases of a name
(`set x = a.b`), macros and includes, `"," if not loop.last` and
expressions without a comparison, a conditional or a default. Anything
else (==, in, elif, default(), selectattr, namespace, `x if y else z`) is a
decision and is reported as TEMPLATE:LINE.
"""

import os
import re
import sys

# Folders of templates/ that are checked, and templates that still decide
# (each with its reason).
CHECKED = ("include/", "src/", "sim/", "model/", "e2e/")
KNOWN = {
    # The CLI's option table: its rows come from codegen/cli.yaml, which the
    # CLI's own change reworks.
    "src/cli_options.h.j2",
    # The code index: a dense or a paged table per domain, each printed its
    # own way, until the lookup by code becomes one sorted table.
    "src/code_index.h.j2",
    "src/catalog.c.j2",
}
TAG = re.compile(r"\{%-?(.*?)-?%\}|\{\{-?(.*?)-?\}\}", re.S)
NAME = r"[A-Za-z_][\w.]*(\[[\w\"']+\])*"
SEPARATOR = re.compile(r'"[^"]*" if not loop\.last')
ALLOWED_STATEMENTS = [re.compile(p) for p in (
    rf"for \w+(, \w+)? in {NAME}(\.items\(\))?$",
    rf"for \w+ in {NAME} \| chunks\(\d+\)$",
    rf"if (not )?{NAME}$",
    r"else$", r"endif$", r"endfor$", r"endmacro$",
    rf"set \w+ = {NAME}$",
    r"macro \w+\([\w, ]*\)$",
    r'include "[\w/.-]+"$',
)]
DECISION = re.compile(r"==|!=|<=|>=|(?<![-%{])[<>](?![-%}])|\bin\b|\bif\b|\belse\b|\bdefault\(|"
                      r"selectattr|rejectattr|namespace|\bis defined\b|\bor\b|\band\b")


def problems(root, rel):
    with open(os.path.join(root, rel), encoding="utf-8") as f:
        text = f.read()
    out = []
    for m in TAG.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        if m.group(1) is not None:
            stmt = " ".join(m.group(1).split())
            if not any(p.match(stmt) for p in ALLOWED_STATEMENTS):
                out.append(f"{rel}:{line}: a decision in a template: {{% {stmt} %}}")
        else:
            expr = SEPARATOR.sub("", " ".join(m.group(2).split()))
            expr = re.sub(r'"[^"]*"', '""', expr)  # text in quotes is printed, not decided
            if DECISION.search(expr):
                out.append(f"{rel}:{line}: a decision in a template: {{{{ {expr} }}}}")
    return out


def main():
    root = sys.argv[1]
    found, checked = [], 0
    for dirpath, _, files in os.walk(root):
        for f in sorted(files):
            rel = os.path.relpath(os.path.join(dirpath, f), root).replace(os.sep, "/")
            if rel.endswith(".j2") and rel.startswith(CHECKED) and rel not in KNOWN:
                checked += 1
                found += problems(root, rel)
    for p in found:
        print(p)
    print(f"{checked} templates checked, {len(found)} decisions")
    return 1 if found or not checked else 0


if __name__ == "__main__":
    sys.exit(main())
