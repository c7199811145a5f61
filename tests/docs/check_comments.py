#!/usr/bin/env python3
"""Comments say what and why, not where work came from: no file of the tree
(code, build files, templates, tests, scripts) names an issue by its number;
git history keeps that.

    check_comments.py SOURCE_DIR
"""
import os
import re
import subprocess
import sys

ISSUE = re.compile(r"\bissues? #?\d+\b", re.I)
FOLDERS = ("src", "include", "codegen", "tests", "cmake", "bench", "sim", "model", "examples",
           "python", "spec", "docs", ".ci", "CMakeLists.txt")
THIS = os.path.relpath(__file__, os.path.dirname(os.path.dirname(os.path.dirname(__file__))))


def tracked(root):
    """The files git knows of, or, outside a clone, every file of FOLDERS."""
    git = subprocess.run(["git", "-C", root, "ls-files", "-co", "--exclude-standard", "-z",
                          "--", *FOLDERS], capture_output=True)
    if git.returncode == 0:
        files = git.stdout.decode().split("\0")
    else:
        files = [os.path.relpath(os.path.join(d, f), root)
                 for top in FOLDERS for d, _, names in os.walk(os.path.join(root, top))
                 for f in names]
        files += [t for t in FOLDERS if os.path.isfile(os.path.join(root, t))]
    return [f for f in files if f and f != THIS]


def main(root):
    problems = 0
    for rel in tracked(root):
        path = os.path.join(root, rel)
        if not os.path.isfile(path):
            continue
        with open(path, "rb") as f:
            data = f.read()
        if b"\0" in data:
            continue
        for n, line in enumerate(data.decode("utf-8", "replace").split("\n"), 1):
            m = ISSUE.search(line)
            if m:
                print(f"{rel}:{n}: names {m.group(0)!r}; say what the code does instead")
                problems += 1
    print(f"{problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
