"""What the hand-written C (src/, include/sixmm/errinfo.h) names, and what
the advisor's generated rules need of the spec.

The C names the SIXMM_RETRY_*, SIXMM_DOMAIN_* and SIXMM_CATEGORY_* constants
below and the advisor's situations (SIXMM__SITUATION_*, src/lib/advice.c). A
spec without one of them would generate C that the library does not compile
against; with --contract the generator says so at the spec's line instead.
The same holds for the order machine's enums (MACHINE_CONTRACT).
"""

from loader import line_of

LIBRARY_CONTRACT = {
    "retry_classes": ("none", "backoff", "reconcile", "never", "fix_request",
                      "check_credentials", "resync_clock"),
    "domains": ("rest", "widget"),
    "categories": ("unknown",),
    "situations": ("success", "bad_domain", "limit", "class_block", "unknown_code",
                   "http_3xx", "http_401", "http_429", "http_4xx", "http_gateway",
                   "http_5xx", "no_response", "no_body"),
}
# The enums and values the order machine (src/lib/intent*.c, clock.c)
# names, from the spec's `enums`; the machine also reads its `machine`
# section.
MACHINE_CONTRACT = {
    "intent_kind": ("place", "cancel", "transfer", "read"),
    "todo": ("send", "query", "sync", "wait", "done", "escalate"),
    "outcome": ("unknown", "accepted", "refused", "expired"),
    "group": ("none", "open", "completed", "closed"),
    "status": ("unknown", "processing"),
    "alert": ("none", "escalation", "reconcile_difference"),
    "intent_reason": (),
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
    out += _machine_problems(spec, lines)
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


def _machine_problems(spec, lines):
    """The enums, values and section that the order machine's C names."""
    out = []
    have = {e["name"]: [v["name"] for v in e["values"]] for e in spec.get("enums", [])}
    for name, values in MACHINE_CONTRACT.items():
        missing = [v for v in values if v not in have.get(name, [])]
        if name not in have:
            out.append((line_of(lines, ("enums",)), f"the order machine's C code needs the "
                        f"enum `{name}` (codegen/contract.py MACHINE_CONTRACT)"))
        elif missing:
            out.append((line_of(lines, ("enums",)), "the order machine's C code needs the "
                        "values " + ", ".join(f"`{v}`" for v in missing) + f" of enum `{name}`"))
    if "machine" not in spec:
        out.append((1, "the order machine's C code needs the `machine` section"))
    return out
