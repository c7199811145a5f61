#!/usr/bin/env python3
"""Folder READMEs name their files.

    check_readmes.py SRCDIR

Every folder of the project with a README.md names, in it, each of its own
files and folders (not those of its subfolders): by its name, or by a
pattern in backticks such as `test_*.c`. A header `x.h` is named with its
`x.c`; a folder's CMakeLists.txt and its hidden files (.gitignore) need no
mention. The top-level README says what the project is, not what its top
folder holds, and is not checked. Prints README: NAME for every file that
its folder's README does not name, and exits 1 if there is one.
"""

import fnmatch
import os
import re
import subprocess
import sys

SKIP = {"."}
IMPLIED = {"README.md", "CMakeLists.txt"}


def tracked(src):
    """The files git knows (committed or added), or every file when the
    tree is no git checkout (a release tarball)."""
    try:
        out = subprocess.run(["git", "-C", src, "ls-files", "-co", "--exclude-standard"],
                             capture_output=True, text=True, check=True).stdout
        return [p for p in out.splitlines() if p]
    except (OSError, subprocess.CalledProcessError):
        files = []
        for root, dirs, names in os.walk(src):
            dirs[:] = [d for d in dirs if d not in (".git", "build")]
            files += [os.path.relpath(os.path.join(root, n), src) for n in names]
        return files


def main():
    src = sys.argv[1]
    files = tracked(src)
    children = {}
    for path in files:
        parts = path.split("/")
        for i in range(len(parts)):
            folder = "/".join(parts[:i]) or "."
            children.setdefault(folder, set()).add(parts[i])
    problems = []
    for folder, names in sorted(children.items()):
        if folder in SKIP or "README.md" not in names:
            continue
        with open(os.path.join(src, folder, "README.md"), encoding="utf-8") as f:
            text = f.read()
        patterns = [p for p in re.findall(r"`([^`\s]+)`", text) if "*" in p]
        for name in sorted(names - IMPLIED):
            if name.startswith("."):
                continue
            named = name[:-2] + ".c" if name.endswith(".h") and name[:-2] + ".c" in names else name
            if re.search(r"(?<![\w.-])" + re.escape(named) + r"(?![\w-])", text):
                continue
            if any(fnmatch.fnmatch(named, p.rstrip("/")) for p in patterns):
                continue
            problems.append(f"{folder}/README.md: does not name {name}")
    for p in problems:
        print(p)
    print(f"{len(problems)} files not named in their folder's README")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
