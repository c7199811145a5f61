"""The schema check: spec/errors.schema.json, with messages a spec editor
understands ("missing field `name`", "exactly one of documented/inferred")
instead of jsonschema's, each at the line of the value it is about."""

import jsonschema

from loader import line_of


def _schema_message(err, schema):
    defs = schema["$defs"]
    where = ".".join(str(p) for p in err.absolute_path) or "top level"
    if err.validator == "oneOf" and err.schema is defs["provenance"]:
        if isinstance(err.instance, dict) and {"documented", "inferred"} <= err.instance.keys():
            return f"{where}: both `documented:` and `inferred:` given; provenance is exactly one"
        return f"{where}: missing provenance: give exactly one of `documented:` or `inferred:`"
    if err.validator == "oneOf" and err.schema is defs["entry"]:
        return f"{where}: an entry needs exactly one key: `code`, `range`, `message` or `id`"
    if err.validator == "required":
        missing = err.message.split("'")[1] if "'" in err.message else err.message
        return f"{where}: missing field `{missing}`"
    if err.validator == "type":
        return f"{where}: must be of type {err.validator_value}, not {type(err.instance).__name__}"
    if err.validator == "additionalProperties":
        return f"{where}: {err.message}"
    if err.validator == "pattern" and err.schema is defs["c_name"]:
        return f"{where}: `{err.instance}` is not a valid C identifier in upper case"
    return f"{where}: {err.message}"


def schema_problems(data, lines, schema):
    validator = jsonschema.Draft202012Validator(schema)
    out = []
    for err in validator.iter_errors(data):
        path = tuple(err.absolute_path)
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            # Point at the first unexpected key rather than at its parent.
            extra = [k for k in err.instance if k not in err.schema.get("properties", {})]
            path += tuple(extra[:1])
        out.append((line_of(lines, path), _schema_message(err, schema)))
    return out
