#!/usr/bin/env python3
"""The hand-written pages: README.md, docs/*.md and every folder README.

- README.md has at most 200 lines (the rest belongs in docs/);
- every relative link of every page points at a file of the tree, and a
  `#fragment` into a Markdown page at one of its headings;
- every path in backticks that starts with a top-level folder (`src/...`)
  names a file or folder of the tree, from the top or from the page's folder;
- no page carries history: no issue references, commit hashes, "this
  round" or "tried and dropped" (git keeps those).

    check_pages.py SOURCE_DIR
"""
import glob
import os
import re
import sys

README_MAX_LINES = 200
LINK = re.compile(r"\]\(([^)\s]+)\)")
TREE = ("spec", "codegen", "src", "include", "tests", "bench", "cmake", "docs", "abi", ".ci",
        "python", "sim", "model", "examples")
TREE_PATH = re.compile(r"`((?:%s)/[^`\s]*)`" % "|".join(re.escape(d) for d in TREE))
FENCE = re.compile(r"^(`{3,}|~{3,})")
HISTORY = [
    (re.compile(r"\bissues? #?\d+", re.I), "an issue reference"),
    (re.compile(r"(?<![\w.])(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{7,40}(?![\w.])"),
     "a commit hash"),
    (re.compile(r"\bthis round\b", re.I), '"this round"'),
    (re.compile(r"\btried and dropped\b", re.I), '"tried and dropped"'),
]


def prose(text):
    """(line number, line) of every line outside fenced code blocks."""
    out, fence = [], None
    for n, line in enumerate(text.split("\n"), 1):
        m = FENCE.match(line.lstrip())
        if m and (fence is None or m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence)):
            fence = None if fence else m.group(1)
            continue
        if fence is None:
            out.append((n, line))
    return out


def slug(heading):
    """The anchor GitHub gives a heading."""
    text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path):
    with open(path, encoding="utf-8") as f:
        return {slug(line.lstrip("#")) for _, line in prose(f.read()) if line.startswith("#")}


def main(root):
    pages = [os.path.join(root, "README.md")]
    pages += sorted(glob.glob(os.path.join(root, "docs", "*.md")))
    pages += sorted(p for p in glob.glob(os.path.join(root, "**", "README.md"), recursive=True)
                    if os.path.relpath(p, root).split(os.sep)[0] in TREE)
    problems = []
    for page in dict.fromkeys(pages):
        name = os.path.relpath(page, root)
        with open(page, encoding="utf-8") as f:
            text = f.read()
        if name == "README.md" and text.count("\n") > README_MAX_LINES:
            problems.append(f"README.md: {text.count(chr(10))} lines, more than "
                            f"{README_MAX_LINES}; move a section to docs/")
        for n, line in prose(text):
            for target in LINK.findall(line):
                if re.match(r"[a-z]+:", target):
                    continue
                path, _, frag = target.partition("#")
                dest = os.path.normpath(os.path.join(os.path.dirname(page), path)) if path else page
                if not os.path.exists(dest):
                    problems.append(f"{name}:{n}: link to {target}: no such file")
                elif frag and dest.endswith(".md") and frag not in anchors(dest):
                    problems.append(f"{name}:{n}: link to {target}: no such heading")
            for path in TREE_PATH.findall(line):
                if re.search(r"[<*]|GROUP|PATH", path):
                    continue  # a pattern, not a path
                if not any(os.path.exists(os.path.join(base, path))
                           for base in (root, os.path.dirname(page))):
                    problems.append(f"{name}:{n}: `{path}`: no such file or folder")
            for pattern, what in HISTORY:
                m = pattern.search(line)
                if m:
                    problems.append(f"{name}:{n}: {what} ({m.group(0)}); history belongs in git")
    for p in problems:
        print(p)
    print(f"{len(set(pages))} pages, {len(problems)} problem(s)")
    return 1 if problems or len(pages) < 2 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
