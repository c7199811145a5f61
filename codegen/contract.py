"""What the hand-written C (src/, include/sixmm/errinfo.h) names, and what
the advisor's generated rules need of the spec.

The C names the SIXMM_RETRY_*, SIXMM_DOMAIN_* and SIXMM_CATEGORY_* constants
below and the advisor's situations (SIXMM__SITUATION_*, src/lib/advice.c). A
spec without one of them would generate C that the library does not compile
against; with --contract the generator says so at the spec's line instead.
"""

from loader import line_of

LIBRARY_CONTRACT = {
    "retry_classes": ("none", "backoff", "reconcile"),
    "domains": ("rest", "widget"),
    "categories": ("unknown",),
    "situations": ("success", "bad_domain", "limit", "class_block", "unknown_code",
                   "http_3xx", "http_401", "http_429", "http_4xx", "http_gateway",
                   "http_5xx", "no_response", "no_body"),
}
# What the generated advisor rules (templates/src/advice_rules.c.j2) need
# of every retry class and situation, besides a provenance.
ADVISOR_FIELDS = {"retry_classes": ("resend", "wait_first", "reason"), "situations": ()}


def problems(spec, lines):
    """(line, message) for every name the hand-written C code relies on that
    the spec lacks, and for every field the advisor's rules need."""
    out = []
    for key, needed in LIBRARY_CONTRACT.items():
        have = [item["name"] for item in spec.get(key, [])]
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
    for key, fields in ADVISOR_FIELDS.items():
        for i, item in enumerate(spec.get(key, [])):
            for f in fields:
                if f not in item:
                    out.append((line_of(lines, (key, i)),
                                f"`{item['name']}` has no `{f}`: the advisor's rules need it"))
            if "documented" not in item and "inferred" not in item:
                out.append((line_of(lines, (key, i)),
                            f"`{item['name']}` needs a provenance (documented or inferred)"))
    return out
