#!/usr/bin/env python3
"""Static checks on the library's tables. Not timed.

  check_tables.py relocs LIBRARY.so MAX [TOTAL_MAX]
      Count the dynamic relocations (readelf -r) that are applied to, or point
      into, the catalog's data: the objects of the generated tables (catalog.c,
      advice_rules.c, the gperf outputs names.c, messages.c, idents.c), and
      every global sixmm__ object. Fail when there are more than MAX.
      Every other dynamic relocation is listed, for information; with
      TOTAL_MAX, fail also when the library has more than TOTAL_MAX in all.

  check_tables.py size MAX_RODATA OBJECT...
      Report the read-only table size (allocated, non-writable, non-executable
      sections) of each library object and in total, and fail when the
      catalog's objects hold more than MAX_RODATA bytes of it, or any
      writable data (the catalog is const: no mutable global state).

OBJECT arguments may also come as one ';'-separated list (CMake's
$<TARGET_OBJECTS:...>).
"""

import os
import re
import subprocess
import sys

CATALOG_FILES = ("catalog.c", "advice_rules.c", "names.c", "messages.c", "idents.c")


def readelf(*args):
    return subprocess.run(["readelf", "-W"] + list(args), check=True, capture_output=True,
                          text=True, env=dict(os.environ, LC_ALL="C")).stdout


def sections(path):
    """[(name, type, addr, size, flags)] from readelf -S."""
    out = []
    for line in readelf("-S", path).splitlines():
        m = re.match(r"\s*\[\s*\d+\]\s+(\S+)\s+(\S+)\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)"
                     r"\s+[0-9a-f]+\s+([A-Za-z]*)\s", line)
        if m:
            out.append((m.group(1), m.group(2), int(m.group(3), 16), int(m.group(4), 16),
                        m.group(5)))
    return out


def object_symbols(path):
    """[(name, file, start, end, ours)] for the OBJECT symbols; ours is true for
    those that make up the catalog's data. Local symbols are attributed to the
    FILE symbol that precedes them."""
    out, current = [], None
    for line in readelf("-s", path).splitlines():
        f = line.split()
        if len(f) < 8 or not f[0].rstrip(":").isdigit():
            continue
        value, size, typ, bind, name = int(f[1], 16), int(f[2], 0), f[3], f[4], f[7]
        if typ == "FILE":
            current = os.path.basename(name)
            continue
        if typ != "OBJECT" or size == 0:
            continue
        ours = (bind == "LOCAL" and current in CATALOG_FILES) or name.startswith("sixmm__")
        out.append((name, current if bind == "LOCAL" else "(global)", value, value + size, ours))
    return out


def relocs(lib, limit, total_limit=None):
    secs = sections(lib)
    syms = object_symbols(lib)
    if not any(s[4] for s in syms):
        print(f"{lib}: no symbol table; cannot attribute relocations", file=sys.stderr)
        return 1
    total, in_catalog, other = 0, [], []
    for line in readelf("-r", lib).splitlines():
        m = re.match(r"([0-9a-f]{8,})\s+[0-9a-f]+\s+(R_\S+)\s*(.*)", line)
        if not m:
            continue
        total += 1
        off, typ, rest = int(m.group(1), 16), m.group(2), m.group(3).strip()
        sec = next((s[0] for s in secs if s[2] <= off < s[2] + s[3] and s[2]), "?")
        # Where the relocation is applied, and (for R_*_RELATIVE) where it points.
        where = next((s for s in syms if s[2] <= off < s[3]), None)
        target = None
        if typ.endswith("RELATIVE") and re.fullmatch(r"[0-9a-f]+", rest):
            addr = int(rest, 16)
            target = next((s for s in syms if s[2] <= addr < s[3]), None)
        row = f"  {off:#x} {typ:<22} in {sec:<14} {rest}"
        if where:
            row += f"  at {where[0]} ({where[1]})"
        if target:
            row += f"  -> {target[0]} ({target[1]})"
        if (where and where[4]) or (target and target[4]):
            in_catalog.append(row)
        else:
            other.append(row)
    size = sum(s[3] for s in secs if s[0] in (".rela.dyn", ".rela.plt"))
    print(f"{lib}: {total} dynamic relocations ({size} bytes of .rela.dyn/.rela.plt)")
    print(f"relocations into the catalog's data: {len(in_catalog)} (bound {limit})")
    for r in in_catalog:
        print(r)
    print(f"other dynamic relocations (C runtime, imported functions, other code): {len(other)}")
    for r in other:
        print(r)
    if len(in_catalog) > limit:
        print(f"FAIL: {len(in_catalog)} relocations into the catalog's data, bound {limit}",
              file=sys.stderr)
        return 1
    if total_limit is not None:
        print(f"all dynamic relocations: {total} (bound {total_limit})")
        if total > total_limit:
            print(f"FAIL: {total} dynamic relocations in the library, bound {total_limit}",
                  file=sys.stderr)
            return 1
    return 0


def size(limit, objects):
    objs = [o for arg in objects for o in arg.split(";") if o]
    total_ro = catalog_ro = catalog_rw = 0
    print(f"{'object':<24} {'read-only':>10} {'writable':>9} {'code':>8}")
    for obj in sorted(objs, key=os.path.basename):
        ro = rw = text = 0
        for name, typ, _, sz, flags in sections(obj):
            if "A" not in flags or typ == "NOTE" or name.startswith(".eh_frame"):
                continue
            if "X" in flags:
                text += sz
            elif "W" in flags:
                rw += sz
            else:
                ro += sz
        base = os.path.basename(obj)
        for suffix in (".o", ".obj"):
            if base.endswith(suffix):
                base = base[: -len(suffix)]
        ours = base in CATALOG_FILES
        print(f"{base:<24} {ro:>10} {rw:>9} {text:>8}{'' if ours else '  (not catalog)'}")
        total_ro += ro
        if ours:
            catalog_ro += ro
            catalog_rw += rw
    print(f"read-only tables of the catalog: {catalog_ro} bytes (bound {limit}); "
          f"whole library: {total_ro} bytes")
    print(f"writable data in the catalog's objects: {catalog_rw} bytes (must be 0)")
    rc = 0
    if catalog_ro > limit:
        print(f"FAIL: {catalog_ro} bytes of read-only tables, bound {limit}", file=sys.stderr)
        rc = 1
    if catalog_rw:
        print(f"FAIL: {catalog_rw} bytes of writable data in the catalog", file=sys.stderr)
        rc = 1
    return rc


def main(argv):
    if len(argv) >= 3 and argv[0] == "relocs":
        return relocs(argv[1], int(argv[2]), int(argv[3]) if len(argv) >= 4 else None)
    if len(argv) >= 3 and argv[0] == "size":
        return size(int(argv[1]), argv[2:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
