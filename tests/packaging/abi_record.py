#!/usr/bin/env python3
"""Record and check the ABI of libsixmm-errinfo (abi/sixmm-errinfo.abi.txt).

    abi_record.py check|update --record FILE --lib LIBSO --nm NM --version X.Y.Z
                  --header errinfo.h --header codes.h ...

The ABI is (1) the dynamic symbols the shared library defines and (2) the
public headers' declarations with comments and layout normalised away. The
record holds both, the PROJECT_VERSION they belong to, and a digest of them.

check   fails when the ABI differs from the record (and shows the difference),
        or when the record was written for another PROJECT_VERSION.
update  rewrites the record, but refuses unless PROJECT_VERSION was bumped
        past the recorded one by semver rules: any change needs a new
        version, an incompatible one (a symbol or declaration removed or
        changed) a new minor version while the major is 0, a new major after.
"""
import argparse
import difflib
import hashlib
import re
import subprocess
import sys

HEADER = """\
# The recorded ABI of libsixmm-errinfo: its exported symbols and its public
# header declarations (comments and whitespace normalised away). Written by
# tests/packaging/abi_record.py; checked by the CTest entry abi.record.
#
# When abi.record fails, the ABI changed. To accept the change:
#   1. bump project(VERSION) in CMakeLists.txt: the patch number for an
#      addition (new symbol, new enumerator), the minor number for an
#      incompatible change while the major is 0, the major number after 1.0
#      (and the SONAME, libsixmm-errinfo.so.MAJOR, follows it);
#   2. cmake --build BUILD --target abi-update   (rewrites this file)
#   3. commit this file with the version bump.
# abi-update refuses to rewrite the file without the bump. The catalog's
# version and digest macros are data, not ABI, and are left out; a wording
# change in spec/errors.yaml therefore needs no bump.
"""

DROP = re.compile(r"#\s*(include\b|define SIXMM_CATALOG_(VERSION|DIGEST)\b)")


def normalise(text):
    """One declaration (or enumerator, or preprocessor line) per line."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    out, buf = [], []

    def flush():
        s = " ".join("".join(buf).split())
        if s:
            out.append(s)
        buf.clear()

    parens = braces = 0
    for line in text.splitlines():
        s = " ".join(line.split())
        if s.startswith("#"):
            flush()
            if not DROP.match(s):
                out.append(s)
            continue
        for ch in s + " ":
            if ch == "}":
                flush()
                braces -= 1
            buf.append(ch)
            if ch == "(":
                parens += 1
            elif ch == ")":
                parens -= 1
            elif ch == "{":
                braces += 1
                flush()
            elif ch == ";" and parens == 0:
                flush()
            elif ch == "," and parens == 0 and braces > 0:
                flush()
    flush()
    # A trailing comma appears when an enumerator is appended; it is not a change.
    return [l[:-1] if l.endswith(",") else l for l in out]


def symbols(nm, lib):
    out = subprocess.run([nm, "-D", "--defined-only", lib], check=True,
                         capture_output=True, text=True).stdout
    return sorted({l.split()[-1] for l in out.splitlines() if l.strip()})


def current(args):
    decls = []
    for h in args.header:
        with open(h, encoding="utf-8") as f:
            decls.append("@file " + h.replace("\\", "/").rsplit("/", 1)[-1])
            decls.extend(normalise(f.read()))
    syms = symbols(args.nm, args.lib)
    digest = hashlib.sha256("\n".join(syms + decls).encode()).hexdigest()
    return {"version": args.version, "symbols": syms, "declarations": decls, "digest": digest}


def parse(path):
    rec = {"version": None, "symbols": [], "declarations": [], "digest": None}
    section = None
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        return None
    for line in lines:
        if line.startswith("#") or not line.strip():
            continue
        if line.startswith("  ") and section:
            rec[section].append(line[2:])
        else:
            key, _, value = line.partition(" ")
            if key in ("version", "digest"):
                rec[key] = value.strip()
                section = None
            elif key in ("symbols", "declarations"):
                section = key
    return rec


def render(rec):
    out = [HEADER, f"version {rec['version']}", f"digest sha256:{rec['digest']}",
           f"symbols {len(rec['symbols'])}"]
    out += ["  " + s for s in rec["symbols"]]
    out.append(f"declarations {len(rec['declarations'])}")
    out += ["  " + d for d in rec["declarations"]]
    return "\n".join(out) + "\n"


def vtuple(v):
    return tuple(int(x) for x in re.findall(r"\d+", v or "0")[:3])


def diff(old, new):
    lines = []
    for key in ("symbols", "declarations"):
        lines += difflib.unified_diff(old[key], new[key], f"recorded {key}",
                                      f"current {key}", lineterm="", n=1)
    return "\n".join(lines)


def incompatible(old, new):
    """True when something recorded disappeared (removed or changed)."""
    return bool(set(old["symbols"]) - set(new["symbols"]) or
                set(old["declarations"]) - set(new["declarations"]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mode", choices=["check", "update"])
    ap.add_argument("--record", required=True)
    ap.add_argument("--lib", required=True)
    ap.add_argument("--nm", default="nm")
    ap.add_argument("--version", required=True)
    ap.add_argument("--header", action="append", required=True)
    args = ap.parse_args()

    new = current(args)
    old = parse(args.record)
    if old is not None:
        old["digest"] = (old["digest"] or "").removeprefix("sha256:")
    same_abi = old is not None and old["digest"] == new["digest"] and \
        hashlib.sha256("\n".join(old["symbols"] + old["declarations"]).encode()
                       ).hexdigest() == new["digest"]

    if args.mode == "check":
        if old is None:
            print(f"{args.record}: missing; create it with the abi-update target")
            return 1
        if same_abi and old["version"] == new["version"]:
            print(f"ABI of {new['version']} matches {args.record} "
                  f"({len(new['symbols'])} symbols, digest {new['digest'][:16]})")
            return 0
        if same_abi:
            print(f"The ABI is unchanged, but PROJECT_VERSION is {new['version']} and "
                  f"{args.record} says {old['version']}: run the abi-update target.")
            return 1
        print(diff(old, new))
        if old["version"] == new["version"]:
            print(f"\nThe ABI changed but PROJECT_VERSION is still {new['version']}. "
                  f"Bump it, then run the abi-update target (see {args.record}).")
        else:
            print(f"\nThe ABI changed and PROJECT_VERSION is now {new['version']} "
                  f"(recorded: {old['version']}): run the abi-update target.")
        return 1

    # update
    if old is not None and not same_abi:
        ov, nv = vtuple(old["version"]), vtuple(new["version"])
        need = "a new version"
        ok = nv > ov
        if ok and incompatible(old, new):
            if ov[0] == 0:
                ok, need = nv[:2] > ov[:2], "a new minor version (0.x)"
            else:
                ok, need = nv[0] > ov[0], "a new major version"
        if not ok:
            print(diff(old, new))
            print(f"\nRefusing to record this ABI change for version {new['version']} "
                  f"(recorded: {old['version']}): it needs {need}. "
                  "Bump project(VERSION) in CMakeLists.txt first.")
            return 1
    with open(args.record, "w", encoding="utf-8") as f:
        f.write(render(new))
    print(f"wrote {args.record} for version {new['version']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
