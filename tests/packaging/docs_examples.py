#!/usr/bin/env python3
"""The consumer projects in tests/consumers/ are what CI builds, and the docs
point at them rather than keep copies:

- every block of a docs/*.md page marked `<!-- example: PATH [PATH...] -->`
  equals each file it names, byte for byte;
- docs/USING.md links or shows every file of tests/consumers/;
- README.md quotes none of them (no example block, no file's text).

    docs_examples.py SOURCE_DIR
"""
import glob
import os
import re
import sys

root = sys.argv[1]
BLOCK = re.compile(r"<!-- example: ([^>]+?) -->\s*\n(`{3,})[^\n]*\n(.*?)\n\2[ \t]*\n", re.S)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


problems, blocks, shown = [], 0, set()
for page in sorted(glob.glob(os.path.join(root, "docs", "*.md"))):
    name = os.path.relpath(page, root)
    for paths, _, body in BLOCK.findall(read(page)):
        blocks += 1
        for path in paths.split():
            if page.endswith(os.sep + "USING.md"):
                shown.add(path)
            try:
                text = read(os.path.join(root, path))
            except FileNotFoundError:
                problems.append(f"{name} shows {path}, which does not exist")
                continue
            if text != body + "\n":
                problems.append(f"{name}'s block for {path} differs from the file; "
                                "copy the file into the block")

using = read(os.path.join(root, "docs", "USING.md"))
readme = read(os.path.join(root, "README.md"))
if "<!-- example:" in readme:
    problems.append("README.md has an example block; consumer files belong in docs/USING.md")
consumers = []
for dirpath, _, files in os.walk(os.path.join(root, "tests", "consumers")):
    for f in files:
        consumers.append(os.path.join(dirpath, f))
for path in sorted(consumers):
    rel = os.path.relpath(path, root).replace(os.sep, "/")
    if rel not in shown and f"](../{rel})" not in using:
        problems.append(f"docs/USING.md does not link {rel} ([...](../{rel}))")
    if read(path).strip() in readme:
        problems.append(f"README.md quotes {rel}; point at docs/USING.md instead")
for p in problems:
    print(p)
print(f"{blocks} example blocks, {len(consumers)} consumer files, {len(problems)} problem(s)")
sys.exit(1 if problems or not blocks or not consumers else 0)
