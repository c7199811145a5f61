"""Reading the spec: YAML bytes to plain data and a line for every path.

load_yaml() parses with PyYAML's safe loader and refuses what a spec never
needs and an attacker could use: aliases ("billion laughs"), foreign tags,
nesting deeper than MAX_NESTING, files over MAX_SPEC_BYTES, and text that is
not UTF-8. Every problem is a SpecError of (line, message) pairs; line_of()
finds the line of any path for the later checks.
"""

import re

import yaml

MAX_SPEC_BYTES = 4 * 1024 * 1024
MAX_NESTING = 64
# Scalar tags a spec may carry; anything else (!!python/..., !custom) is refused.
ALLOWED_TAGS = frozenset("tag:yaml.org,2002:" + t for t in
                         ("str", "int", "float", "bool", "null", "map", "seq",
                          "timestamp", "binary"))
# Text that must never reach a generated file: C0 controls other than tab and
# newline, DEL, and lone UTF-16 surrogates (valid YAML escapes, but not
# encodable as UTF-8).
BAD_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")


class SpecError(Exception):
    """Raised with a list of (line, message) problems."""

    def __init__(self, problems):
        super().__init__(problems)
        self.problems = sorted(set((line, _printable(msg)) for line, msg in problems))


def _printable(msg, limit=300):
    """One line of plain text: control characters and lone surrogates (from
    the spec's own text, echoed back) are shown as escapes, never sent to the
    terminal, and a message quoting a huge value is cut short."""
    msg = BAD_TEXT.sub(lambda m: "\\x%02x" % ord(m.group()) if ord(m.group()) < 0x100
                       else "\\u%04x" % ord(m.group()), msg)
    msg = msg.replace("\n", "\\n").replace("\t", " ")
    return msg if len(msg) <= limit else msg[:limit] + "..."


def _to_data(root):
    """Convert a composed node tree to plain data and a {path: line} map.

    Aliases are refused outright: they are the only way a small YAML file can
    expand into a huge document ("billion laughs"), and the spec needs none.
    """
    lines, problems, seen = {}, [], set()

    def conv(node, path, depth):
        line = node.start_mark.line + 1
        lines[path] = line
        if depth > MAX_NESTING:
            raise SpecError([(line, f"nesting deeper than {MAX_NESTING} levels")])
        if id(node) in seen:
            problems.append((line, "YAML aliases are not allowed in the spec"))
            return None
        seen.add(id(node))
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in ALLOWED_TAGS:
            problems.append((line, f"YAML tag `{node.tag}` is not allowed in the spec"))
            return None
        if isinstance(node, yaml.MappingNode):
            out = {}
            for knode, vnode in node.value:
                if not isinstance(knode, yaml.ScalarNode):
                    problems.append((knode.start_mark.line + 1, "mapping keys must be plain strings"))
                    continue
                key = knode.value
                if key in out:
                    problems.append((knode.start_mark.line + 1, f"duplicate key `{key}`"))
                    continue
                out[key] = conv(vnode, path + (key,), depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [conv(v, path + (i,), depth + 1) for i, v in enumerate(node.value)]
        if node.tag not in ALLOWED_TAGS:
            problems.append((line, f"YAML tag `{node.tag}` is not allowed in the spec"))
            return None
        try:
            return yaml.SafeLoader.construct_object(loader, node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as e:
            what = getattr(e, "problem", None) or str(e).split("\n")[0]
            problems.append((line, f"cannot read the value: {what}"))
            return None

    loader = yaml.SafeLoader("")
    data = conv(root, (), 0)
    return data, lines, problems


class _Loader(yaml.SafeLoader):
    """SafeLoader whose composer stops at MAX_NESTING levels, with the line,
    before Python's recursion limit is anywhere near (PyYAML's composer
    recurses once per level; its scanner and parser do not), and at the first
    alias, before anything could expand ("billion laughs")."""

    _depth = 0

    def compose_node(self, parent, index):
        self._depth += 1
        try:
            if self._depth > MAX_NESTING + 1:
                mark = self.peek_event().start_mark
                raise SpecError([(mark.line + 1, f"nesting deeper than {MAX_NESTING} levels")])
            if self.check_event(yaml.AliasEvent):
                # Report where the alias is used, not where its anchor is.
                event = self.peek_event()
                raise SpecError([(event.start_mark.line + 1,
                                  f"YAML aliases are not allowed in the spec (`*{event.anchor}`)")])
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load_yaml(raw):
    """Parse bytes; returns (data, lines) or raises SpecError."""
    if len(raw) > MAX_SPEC_BYTES:
        raise SpecError([(1, f"file is {len(raw)} bytes; the limit is {MAX_SPEC_BYTES}")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise SpecError([(line, f"not valid UTF-8 (byte 0x{raw[e.start]:02x})")]) from None
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.reader.ReaderError as e:
        line = text[: e.position].count("\n") + 1
        raise SpecError([(line, f"character U+{e.character:04X} is not allowed in YAML"
                                if isinstance(e.character, int) else f"YAML error: {e.reason}")]) from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        msg = f"YAML syntax error: {e.problem or e.context}"
        if e.context and e.context_mark and e.problem_mark and e.context_mark.line != e.problem_mark.line:
            msg += f" ({e.context} started on line {e.context_mark.line + 1})"
        raise SpecError([(line, msg)]) from None
    except yaml.YAMLError as e:
        raise SpecError([(1, f"YAML error: {e}")]) from None
    except RecursionError:
        raise SpecError([(1, "YAML nesting is too deep")]) from None
    if root is None:
        raise SpecError([(1, "the spec is empty")])
    data, lines, problems = _to_data(root)
    if problems:
        raise SpecError(problems)
    return data, lines


def line_of(lines, path):
    """The line of path, or of its nearest ancestor that has one."""
    path = tuple(path)
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 1)
