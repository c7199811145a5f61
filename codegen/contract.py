"""The names that the hand-written C (src/, include/sixmm/errinfo.h) uses as
SIXMM_RETRY_*, SIXMM_DOMAIN_* and SIXMM_CATEGORY_* constants.

A spec without one of them would generate a header the library does not
compile against; with --contract the generator says so at the spec's line
instead. The advisor (src/lib/advice.c) has rules for exactly these retry
classes.
"""

from spec import line_of

LIBRARY_CONTRACT = {
    "retry_classes": ("none", "fix_request", "reauthenticate", "check_credentials", "resign",
                      "resync_clock", "backoff", "reconcile", "never"),
    "domains": ("rest", "agent", "widget"),
    "categories": ("success",),
}


def problems(spec, lines):
    """(line, message) for every name the hand-written C code relies on that
    the spec lacks, and for every retry class the advisor has no rules for."""
    out = []
    for key, needed in LIBRARY_CONTRACT.items():
        have = [item["name"] for item in spec[key]]
        missing = [n for n in needed if n not in have]
        if missing:
            what = key.replace("_", " ")
            out.append((line_of(lines, (key,)), f"the library's C code needs the {what} "
                        + ", ".join(f"`{n}`" for n in missing)
                        + " (codegen/contract.py LIBRARY_CONTRACT)"))
        if key == "domains":
            # The retry loop (src/lib/budget.c, reconcile.c) reads these.
            for i, pol in enumerate(spec["policy"]):
                for part in ("budget", "reconcile"):
                    if part not in pol:
                        out.append((line_of(lines, ("policy", i, "domain")),
                                    f"the retry loop's C code needs `{part}` in the policy "
                                    f"of domain `{pol['domain']}`"))
        if key == "retry_classes":
            for i, n in enumerate(have):
                if n not in needed:
                    out.append((line_of(lines, (key, i, "name")),
                                f"the retry advisor (src/lib/advice.c) has no rules for "
                                f"retry class `{n}`"))
    return out
