"""Load spec/errors.yaml: parse it (loader.py), check it against its JSON
schema (schema.py) and by the rules a schema cannot say (rules.py), plus any
checks the outputs add. Every problem is reported as (line, message), so the
caller can print `PATH:LINE: message` for all of them in one run; the model
the templates render is built by model.py.
"""

import json

from loader import MAX_SPEC_BYTES, SpecError, load_yaml
from rules import semantic_problems
from schema import schema_problems


def load(path, schema_path, checks=()):
    """Return (spec, lines, raw bytes) or raise SpecError. Each of checks is
    a function (spec, lines) -> [(line, message)] for rules that the outputs
    add (the C tables' limits, the names the hand-written C uses); their
    problems are reported together with the spec's own."""
    with open(path, "rb") as f:
        raw = f.read(MAX_SPEC_BYTES + 1)
    data, lines = load_yaml(raw)
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    problems = schema_problems(data, lines, schema)
    if problems:
        raise SpecError(problems)
    problems = semantic_problems(data, lines)
    for check in checks:
        problems += check(data, lines)
    if problems:
        raise SpecError(problems)
    return data, lines, raw
