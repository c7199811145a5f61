#!/usr/bin/python3
"""errors.json validates against errors.schema.json (JSON Schema draft
2020-12, the schema itself checked first), and holds what the spec holds.

    check_json.py ERRORS_JSON SCHEMA SPEC
"""
import json
import sys

import jsonschema
import yaml


def main():
    data_path, schema_path, spec_path = sys.argv[1:4]
    with open(data_path, encoding="utf-8") as f:
        data = json.load(f)
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    with open(spec_path, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    problems = []
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.SchemaError as e:
        problems.append(f"{schema_path}: not a valid JSON Schema: {e.message}")
    else:
        for err in jsonschema.Draft202012Validator(schema).iter_errors(data):
            where = "/".join(str(p) for p in err.absolute_path) or "top level"
            problems.append(f"{data_path}: {where}: {err.message}")
    # The same entries, in the same order, as the spec.
    want = [(d["name"], e["name"]) for d in spec["domains"] for e in d["entries"]]
    got = [(d.get("name"), e.get("name")) for d in data.get("domains", [])
           for e in d.get("entries", [])]
    if want != got:
        problems.append(f"entries differ from the spec: spec {len(want)}, json {len(got)}; "
                        f"first difference at {next((i for i, (a, b) in enumerate(zip(want, got)) if a != b), min(len(want), len(got)))}")
    for d_spec, d in zip(spec["domains"], data.get("domains", [])):
        for e_spec, e in zip(d_spec["entries"], d.get("entries", [])):
            for field in ("description", "remediation"):
                for lang in ("en", "zh"):
                    if e_spec[field].get(lang, "") != e.get(field, {}).get(lang):
                        problems.append(f"{d['name']} {e.get('key')}: {field}.{lang} differs from the spec")
    for pol in spec.get("policy", []):
        d = next((d for d in data.get("domains", []) if d.get("name") == pol["domain"]), {})
        got_pol = d.get("policy", {})
        if (got_pol.get("base_ms"), got_pol.get("cap_ms")) != (pol["base_ms"], pol["cap_ms"]):
            problems.append(f"policy of {pol['domain']} differs from the spec")
        q, got_q = pol.get("quota"), got_pol.get("quota")
        if bool(q) != bool(got_q) or (q and (got_q["rate_per_s"], got_q["burst"], got_q["concurrency"])
                                      != (q["rate_per_s"], q["burst"], q.get("concurrency"))):
            problems.append(f"quota of {pol['domain']} differs from the spec")
    anchors = [e["anchor"] for d in data.get("domains", []) for e in d["entries"] + d["blocks"]]
    if len(set(anchors)) != len(anchors):
        problems.append("two entries share an anchor")
    for p in problems:
        print(p)
    print(f"json: {len(got)} entries, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
