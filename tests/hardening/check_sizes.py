#!/usr/bin/env python3
"""Small rooms: no hand-written C file over 500 lines, and no function in
src/ over 100 lines.

    check_sizes.py SRCDIR

A C file is every *.c and *.h that git tracks (generated files live only in
the build tree). A function is a definition that starts at the left margin
and whose body opens with `{` alone on the next line and closes with `}` at
the left margin, the layout .clang-format gives; its length counts from its
first line to its closing brace. KNOWN_BIG and KNOWN_LONG name the files
and functions still to be split, each with its reason; one that got short
again must leave its list.
"""

import os
import re
import subprocess
import sys

MAX_FILE_LINES = 500
MAX_FUNCTION_LINES = 100
FUNCTION_DIRS = ("src/",)
KNOWN_LONG = {
}
# Files still over MAX_FILE_LINES, each with its reason.
KNOWN_BIG = {
    "src/cli/record.c": "the CLI's record writers; its owner splits text from JSON",
    "tests/lib/test_advice_table.c": "one row per entry and situation; to split by domain",
    "include/sixmm/errinfo.h": "the one public header; the order machine's part may move to "
                               "a header of its own",
    "tests/retry/test_intent_table.c": "the order machine's table; to split by intent kind",
    "tests/quota/test_shared.c": "the shared throttle's refusals, 8 processes x 4 threads and the "
                                 "SIGKILL cases; to split by case",
}
SIGNATURE = re.compile(r"^[A-Za-z_][^;=()]*\b(\w+)\s*\(")


def c_files(src):
    out = subprocess.run(["git", "-C", src, "ls-files", "-co", "--exclude-standard",
                          "*.c", "*.h"], capture_output=True, text=True, check=True).stdout
    return sorted(p for p in out.splitlines() if p and os.path.exists(os.path.join(src, p)))


def functions(lines):
    """(name, first line, length) of every function definition."""
    out, i = [], 0
    while i < len(lines):
        m = SIGNATURE.match(lines[i])
        if m and "{" not in lines[i]:
            j = i
            while j < len(lines) and not lines[j].rstrip().endswith(")") and j - i < 5:
                j += 1
            if j + 1 < len(lines) and lines[j + 1].rstrip() == "{":
                k = j + 2
                while k < len(lines) and not lines[k].startswith("}"):
                    k += 1
                out.append((m.group(1), i + 1, k - i + 1))
                i = k
        i += 1
    return out


def main():
    src = sys.argv[1]
    problems, seen_known = [], set()
    for path in c_files(src):
        with open(os.path.join(src, path), encoding="utf-8", errors="replace") as f:
            lines = f.read().split("\n")
        n = len(lines) - (1 if lines and lines[-1] == "" else 0)
        if n > MAX_FILE_LINES and path in KNOWN_BIG:
            seen_known.add(path)
            print(f"known: {path}: {n} lines ({KNOWN_BIG[path]})")
        elif n > MAX_FILE_LINES:
            problems.append(f"{path}: {n} lines, more than {MAX_FILE_LINES}")
        if not path.startswith(FUNCTION_DIRS):
            continue
        for name, first, length in functions(lines):
            if length <= MAX_FUNCTION_LINES:
                continue
            key = f"{path}:{name}"
            if key in KNOWN_LONG:
                seen_known.add(key)
                print(f"known: {path}:{first}: {name}() is {length} lines ({KNOWN_LONG[key]})")
                continue
            problems.append(f"{path}:{first}: {name}() is {length} lines, more than "
                            f"{MAX_FUNCTION_LINES}")
    for key in sorted((set(KNOWN_LONG) | set(KNOWN_BIG)) - seen_known):
        problems.append(f"{key}: no longer too long; take it off the known list")
    for p in problems:
        print(p)
    print(f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
