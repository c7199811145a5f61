"""The spec's numbers that the proof prints: the simulator's server
(templates/sim/), the model check (templates/model/) and the end-to-end
tests' fake server (templates/e2e/), each read from one place here.

A test spec may lack the rest or agent domain, a quota, a reconcile policy
or the order machine's numbers (the library's build requires them); such a number is 0 and such a text
empty, so every test spec still renders.
"""


def _domain(model, name):
    return next((d for d in model["domains"] if d["name"] == name), None)


def _entry_key(domain, name):
    """The message or identifier of the named entry, or ""."""
    e = next((e for e in domain["entries"] if e["name"] == name), None) if domain else None
    return e["key"] if e else ""


def numbers(model):
    """The template variable `proof`."""
    rest, agent = _domain(model, "rest"), _domain(model, "agent")
    rec = rest["policy"].get("reconcile", {}) if rest else {}
    window = rec.get("window", {})
    quota = agent["policy"].get("quota", {}) if agent else {}
    machine = model.get("machine") or {}
    return {
        "window_ms": window.get("ms", 0),
        "window_source": window["provenance"]["text"] if "provenance" in window else "",
        "lag_ms": rec["lag"]["ms"] if "lag" in rec else 0,
        "queries": rec["queries"]["count"] if "queries" in rec else 0,
        "agent_rate_per_s": quota.get("rate_per_s", 0),
        "agent_burst": quota.get("burst", 0),
        "agent_concurrency": quota.get("concurrency", 0),
        # The order machine's clock drift bound and an intent's default
        # lifetime (spec `machine`, where the model carries it).
        "clock_drift_ppm": machine.get("drift_ppm", 0),
        "lifetime_ms": machine.get("lifetime_ms", 0),
        # What the spin model bounds by the machine: signatures and status
        # queries per intent, and the clock bound above which it asks SYNC.
        "machine_sends": machine.get("sends", 0),
        "machine_queries": machine.get("queries", 0),
        "sync_limit_ms": machine.get("sync_limit_ms", 0),
        "msg_timestamp": _entry_key(rest, "MSG_TIMESTAMP_OUT_OF_WINDOW"),
        "msg_replay": _entry_key(rest, "MSG_SIGNATURE_REPLAY"),
        # The fake server answers with each REST code's documented HTTP
        # status, and 200 where 6MM documents none.
        "rest_errors": [{"name": e["name"], "code": e["first"], "http": e["http"] or 200,
                         "message": e["desc_en"]}
                        for e in (rest["entries"] if rest else []) if e["kind"] == "code"],
    }
