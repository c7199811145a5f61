#!/usr/bin/python3
"""The man pages carry no warnings, document the whole C API, and show the
example program exactly as it is compiled.

    check_man.py DOCS_DIR HEADER

- `mandoc -Tlint -W warning` prints nothing and exits 0 for each page;
- `MANWIDTH=80 man -l PAGE` (man-db over groff, as a reader runs it) prints
  no warning, and the text is left-adjusted: no line has the wide gaps that
  justification puts between words (a gap of two blanks or more, other
  than after a sentence or a tag padded to its paragraph's indent);
- every function declared with SIXMM_API in HEADER is in the SYNOPSIS of
  sixmm-errinfo(3), and the SYNOPSIS names no function the header lacks;
- the EXAMPLES program of sixmm-errinfo(3), as mandoc renders it, is
  examples/errinfo-lookup.c (which the tests build and run) line by line,
  so the roff escaping of backslashes and hyphens is right.
"""
import os
import re
import sys

import docslib

PAGES = ("6mm-errors.7", "sixmm-errinfo.3", "6mm-errinfo.1")
WIDTH = "80"
INDENT = 7   # man(7)'s default paragraph indent, in columns


def justified_lines(text):
    """The lines of a rendered page (header and footer left out) that have a
    gap between words that left adjustment never makes."""
    body = [x for x in text.split("\n") if x.strip()][1:-1]
    bad = []
    for line in body:
        for m in re.finditer(r"(?<=\S) {2,}(?=\S)", line):
            if line[m.start() - 1] in ".?!:;" or m.end() % INDENT == 0:
                continue
            bad.append(line)
            break
    return bad


def main():
    docs, header = sys.argv[1:3]
    problems = []
    for page in PAGES:
        path = os.path.join(docs, page)
        rc, out, err = docslib.run(["mandoc", "-Tlint", "-W", "warning", path])
        if rc != 0 or out or err:
            problems.append(f"{page}: mandoc -Tlint -W warning (exit {rc}):\n{out}{err}".rstrip())
        env = dict(os.environ, MANWIDTH=WIDTH, LC_ALL="C.UTF-8", MANPAGER="cat", PAGER="cat")
        env.pop("MAN_KEEP_FORMATTING", None)
        rc, out, err = docslib.run(["man", "-l", path], env=env)
        if rc != 0 or err:
            problems.append(f"{page}: MANWIDTH={WIDTH} man -l (exit {rc}):\n{err}".rstrip())
        for line in justified_lines(re.sub(".\b", "", out))[:3]:
            problems.append(f"{page}: justified at {WIDTH} columns: {line.strip()!r}")
    with open(header, encoding="utf-8") as f:
        declared = set(re.findall(r"SIXMM_API\s+[^;(]*?\b(sixmm_\w+)\s*\(", f.read()))
    with open(os.path.join(docs, "sixmm-errinfo.3"), encoding="utf-8") as f:
        man = f.read()
    synopsis = man[man.index(".SH SYNOPSIS"):man.index(".SH DESCRIPTION")]
    documented = set(re.findall(r"\b(sixmm_\w+)\(", synopsis))
    for fn in sorted(declared - documented):
        problems.append(f"sixmm-errinfo.3: {fn}() is declared in the header but not in the SYNOPSIS")
    for fn in sorted(documented - declared):
        problems.append(f"sixmm-errinfo.3: {fn}() is in the SYNOPSIS but not in the header")

    rc, out, err = docslib.run(["mandoc", "-Tascii", "-Owidth=120",
                                os.path.join(docs, "sixmm-errinfo.3")])
    text = re.sub(".\b", "", out).split("\n")
    try:
        start = text.index("EXAMPLES") + 3
        end = next(i for i in range(start, len(text)) if text[i].strip() == "Build it with")
        shown = [x[7:].rstrip() for x in text[start:end]]
        while shown and not shown[-1]:
            shown.pop()
    except (ValueError, StopIteration):
        shown = []
        problems.append("sixmm-errinfo.3: no EXAMPLES section as expected")
    with open(os.path.join(docs, "examples", "errinfo-lookup.c"), encoding="utf-8") as f:
        source = [x for x in f.read().rstrip("\n").split("\n")[2:]]
    for n, (a, b) in enumerate(zip(shown, source), 1):
        if a != b:
            problems.append(f"EXAMPLES line {n}: man page shows {a!r}, the program has {b!r}")
            break
    if len(shown) != len(source) and shown:
        problems.append(f"EXAMPLES: man page shows {len(shown)} lines, the program has {len(source)}")
    for p in problems:
        print(p)
    print(f"man: {len(PAGES)} pages linted, {len(declared)} API functions, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
