"""The retry advisor's tables (templates/src/advice_rules.c.j2): its reason
pool and every rule, decided here so that the template only prints them.

A rule is one situation's answer for an idempotent call or another: the
action (a retry class), whether a resend is advised, whether its first
resend waits, and the field of its reason in the reason pool. A pair of
rules is {not idempotent, idempotent}.

The library's build passes --contract, which requires `resend`,
`wait_first` and `reason` of every retry class (contract.ADVISOR_FIELDS). A
test spec rendered without it may lack them; it then gets a class that never
resends, does not wait and gives no reason, and its rules are never
compiled into a library.
"""


def _reason_fields(model):
    """(field, text) of the reason pool, in the order the struct lists them."""
    fields = []
    for r in model["retry_classes"]:
        fields.append((f"class_{r['name']}", r.get("reason", "")))
        if "reason" in r.get("not_idempotent", {}):
            fields.append((f"class_{r['name']}_not_idempotent", r["not_idempotent"]["reason"]))
        for d, text in r.get("domain_reasons", {}).items():
            fields.append((f"class_{r['name']}_in_{d}", text))
    for s in model["situations"]:
        fields.append((f"situation_{s['name']}", s["reason"]))
        if "reason" in s.get("not_idempotent", {}):
            fields.append((f"situation_{s['name']}_not_idempotent", s["not_idempotent"]["reason"]))
    return [{"field": f, "text": t} for f, t in fields]


class _Rules:
    """The rules of one spec's retry classes."""

    def __init__(self, model):
        self.cls = {r["name"]: r for r in model["retry_classes"]}

    def resend(self, name):
        return self.cls[name].get("resend", "never")

    def rule(self, action, resend, field):
        return {"action": f"SIXMM_RETRY_{action.upper()}", "resend": int(bool(resend)),
                "wait_first": int(bool(self.cls[action].get("wait_first", False))),
                "reason": field}

    def own_field(self, name):
        """The reason a non-idempotent call of class `name` gets."""
        has_own = "reason" in self.cls[name].get("not_idempotent", {})
        return f"class_{name}" + ("_not_idempotent" if has_own else "")

    def pair(self, x, action, field, own, cap):
        """{not idempotent, idempotent} for x (a retry class or a situation)
        whose class is `action`. A non-idempotent call gets the
        non-idempotent rule of the class that x's not_idempotent.retry names,
        else x's class, with x's own not_idempotent reason where it has one;
        cap "idempotent" means a non-idempotent call is never resent."""
        ni = x.get("not_idempotent", {})
        ni_class = ni.get("retry", action)
        if "reason" in ni:
            ni_field = own + "_not_idempotent"
        elif "retry" in ni:
            ni_field = self.own_field(ni["retry"])
        else:
            ni_field = field
        return [self.rule(ni_class, self.resend(ni_class) == "always" and cap != "idempotent",
                          ni_field),
                self.rule(action, self.resend(action) != "never", field)]


def _reason_only(field):
    """A situation without its own class (the resend limit, the class
    block): no action, only its reason, for both idempotences."""
    rule = {"action": "0", "resend": 0, "wait_first": 0, "reason": field}
    return [rule, rule]


def tables(model):
    """The template variable `advice`: the reason pool and the three rule
    tables (by domain and class, by class for a class block, by
    situation)."""
    rules = _Rules(model)
    block = next((s for s in model["situations"] if s["name"] == "class_block"), {})
    entry_rules = []
    for d in model["domains"]:
        row = []
        for r in model["retry_classes"]:
            name = r["name"]
            field = f"class_{name}" + (f"_in_{d['name']}" if d["name"] in r.get(
                "domain_reasons", {}) else "")
            row.append(rules.pair(r, name, field, f"class_{name}", ""))
        entry_rules.append({"domain": d["name"], "classes": row})
    block_rules = [rules.pair(r, r["name"], "situation_class_block", f"class_{r['name']}",
                              block.get("resend", ""))
                   for r in model["retry_classes"]]
    situation_rules = []
    for s in model["situations"]:
        field = f"situation_{s['name']}"
        if "retry" in s:
            pair = rules.pair(s, s["retry"], field, field, s.get("resend", ""))
            note = s["name"]
        else:
            pair, note = _reason_only(field), f"{s['name']}: a reason only"
        situation_rules.append({"rules": pair, "note": note})
    return {"reasons": _reason_fields(model), "entry_rules": entry_rules,
            "block_rules": block_rules, "situation_rules": situation_rules}
