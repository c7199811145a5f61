#!/usr/bin/env python3
"""The README's "Using the library" examples are the consumer projects that
CI builds: every block marked `<!-- example: PATH [PATH...] -->` must equal
each file it names, and every file in tests/consumers/ must be shown.

    readme_examples.py SOURCE_DIR
"""
import os
import re
import sys

root = sys.argv[1]
with open(os.path.join(root, "README.md"), encoding="utf-8") as f:
    readme = f.read()

blocks = re.findall(r"<!-- example: ([^>]+?) -->\s*\n(`{3,})[^\n]*\n(.*?)\n\2[ \t]*\n",
                    readme, flags=re.S)
problems, shown = [], set()
for paths, _, body in blocks:
    for path in paths.split():
        shown.add(path)
        try:
            with open(os.path.join(root, path), encoding="utf-8") as f:
                text = f.read()
        except FileNotFoundError:
            problems.append(f"README shows {path}, which does not exist")
            continue
        if text != body + "\n":
            problems.append(f"README's block for {path} differs from the file; "
                            "copy the file into the README")
consumers = os.path.join(root, "tests", "consumers")
for dirpath, _, files in os.walk(consumers):
    for f in files:
        rel = os.path.relpath(os.path.join(dirpath, f), root).replace(os.sep, "/")
        if rel not in shown:
            problems.append(f"{rel} is not shown in the README (<!-- example: {rel} -->)")
for p in problems:
    print(p)
print(f"{len(blocks)} README example blocks, {len(shown)} files, {len(problems)} problem(s)")
sys.exit(1 if problems or not blocks else 0)
