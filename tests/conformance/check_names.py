#!/usr/bin/python3
"""No list of the reconcile's names is written by hand: the found states,
the steps and the reconcile and budget reasons (en and zh) live in the
spec's enums section only, and every surface renders or calls them.

    check_names.py --spec spec/errors.yaml --root SOURCE_DIR

Fails, naming FILE: what, when a file of the library, the CLI, the Python
package, the generator or the simulator (not the spec, not the tests, which
state expectations) holds a hand-written C enumerator of them
(SIXMM_FOUND_NONE = 0), all of an enum's names as string literals, or a
value's text of 12 characters or more.
"""

import argparse
import os
import re
import sys

import yaml

ENUMS = ("found", "step", "reconcile_reason", "budget_reason")
DIRS = ("include", "src", "python", "codegen", "sim", "examples")
EXTS = (".c", ".h", ".py", ".j2", ".yaml", ".json", ".inc", ".in")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--spec", required=True)
    ap.add_argument("--root", required=True)
    a = ap.parse_args()
    with open(a.spec, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    enums = {e["name"]: e for e in spec.get("enums", [])}
    missing = [n for n in ENUMS if n not in enums]
    if missing:
        print(f"check_names: the spec has no enum {missing}")
        return 1
    problems = []
    for d in DIRS:
        for dirpath, _, files in os.walk(os.path.join(a.root, d)):
            for name in files:
                if not name.endswith(EXTS):
                    continue
                path = os.path.join(dirpath, name)
                with open(path, encoding="utf-8", errors="replace") as f:
                    text = f.read()
                rel = os.path.relpath(path, a.root)
                for n in ENUMS:
                    e = enums[n]
                    prefix = (e.get("prefix") or n).upper()
                    if re.search(rf"\bSIXMM_{prefix}_[A-Z0-9_]+\s*=", text):
                        problems.append(f"{rel}: a hand-written enumerator of {n}")
                    quoted = [v["name"] for v in e["values"]
                              if re.search(r"""["']%s["']""" % re.escape(v["name"]), text)]
                    if len(e["values"]) > 1 and len(quoted) == len(e["values"]):
                        problems.append(f"{rel}: the names of {n} as literals: {quoted}")
                    for v in e["values"]:
                        for lang in ("en", "zh"):
                            t = v.get(lang, "")
                            if len(t) >= 12 and t in text:
                                problems.append(f"{rel}: the {lang} text of {n}.{v['name']}")
    for p in problems:
        print(p)
    print(f"check_names: {len(problems)} hand-written copies of {', '.join(ENUMS)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
