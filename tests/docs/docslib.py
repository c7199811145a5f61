"""Helpers shared by the documentation tests (stdlib only, plus html5lib
where a test needs a real HTML5 parser). Every check returns a list of
problems; an empty list means the check passed."""

import html.parser
import re
import subprocess
import sys

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr"}


def split_row(line):
    """The cells of one GFM table row: split on `|` not escaped by a
    backslash, trimmed, without the outer pipes."""
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    cells, cur, i = [], "", 0
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body):
            cur += body[i:i + 2]
            i += 2
            continue
        if body[i] == "|":
            cells.append(cur.strip())
            cur = ""
        else:
            cur += body[i]
        i += 1
    cells.append(cur.strip())
    return cells


DELIM = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")


def md_tables(text):
    """Every GFM table of a Markdown text, outside fenced code, as
    (line number of the header, [header cells, row cells, ...])."""
    lines = text.split("\n")
    out, i, fence = [], 0, None
    while i < len(lines):
        line = lines[i]
        m = re.match(r"^\s{0,3}(`{3,}|~{3,})", line)
        if m:
            if fence is None:
                fence = m.group(1)[0] * len(m.group(1))
            elif line.strip().startswith(fence):
                fence = None
            i += 1
            continue
        if (fence is None and line.lstrip().startswith("|") and i + 1 < len(lines)
                and DELIM.match(lines[i + 1])):
            rows, start = [split_row(line)], i + 1
            i += 2
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                rows.append(split_row(lines[i]))
                i += 1
            out.append((start, rows))
            continue
        i += 1
    return out


def compare_tables(name, want, got):
    """Row by row, cell by cell; every difference is a problem."""
    problems = []
    for r in range(max(len(want), len(got))):
        w = want[r] if r < len(want) else None
        g = got[r] if r < len(got) else None
        if w != g:
            what = "header" if r == 0 else f"row {r}"
            problems.append(f"{name}: {what}: upstream {w!r} != generated {g!r}")
    return problems


class TagChecker(html.parser.HTMLParser):
    """Balanced tags and unique ids. `ids` maps each id to its count."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.problems, self.ids, self.tags = [], [], {}, []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        for k, v in attrs:
            if k == "id":
                self.ids[v] = self.ids.get(v, 0) + 1
        if tag not in VOID:
            self.stack.append((tag, self.getpos()))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            self.problems.append(f"line {self.getpos()[0]}: end tag for void element <{tag}>")
            return
        if not self.stack or self.stack[-1][0] != tag:
            top = self.stack[-1] if self.stack else ("nothing", (0, 0))
            self.problems.append(f"line {self.getpos()[0]}: </{tag}> closes <{top[0]}> "
                                 f"opened at line {top[1][0]}")
            if any(t == tag for t, _ in self.stack):
                while self.stack and self.stack.pop()[0] != tag:
                    pass
            return
        self.stack.pop()

    def finish(self):
        self.close()
        for tag, pos in self.stack:
            self.problems.append(f"line {pos[0]}: <{tag}> is never closed")
        for i, n in self.ids.items():
            if n > 1:
                self.problems.append(f"id {i!r} is used {n} times")
        return self.problems


def check_tags(text):
    checker = TagChecker()
    checker.feed(text)
    checker.finish()
    return checker


class TableText(html.parser.HTMLParser):
    """The tables of an HTML fragment as rows of cell inner HTML, so that a
    rendered table can be compared cell by cell."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.tables, self.cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = ""
        elif self.cell is not None:
            self.cell += self.get_starttag_text()

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.tables[-1][-1].append(self.cell.strip())
            self.cell = None
        elif self.cell is not None:
            self.cell += f"</{tag}>"

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data

    def handle_entityref(self, name):
        self.handle_data(f"&{name};")

    def handle_charref(self, name):
        self.handle_data(f"&#{name};")


def html_tables(text):
    p = TableText()
    p.feed(text)
    p.close()
    return p.tables


PACKAGES = {"man": "man-db"}   # Debian's package of a tool, where the names differ


def run(cmd, data=None, env=None):
    try:
        r = subprocess.run(cmd, input=data, capture_output=True, text=True, env=env)
    except FileNotFoundError:
        sys.exit(f"{cmd[0]} is not installed; on Debian: apt-get install "
                 f"{PACKAGES.get(cmd[0], cmd[0])}")
    return r.returncode, r.stdout, r.stderr


def gfm(text):
    """Markdown to HTML with cmark-gfm's table extension, raw HTML kept."""
    rc, out, err = run(["cmark-gfm", "--unsafe", "-e", "table", "--to", "html"], text)
    if rc != 0:
        raise RuntimeError(f"cmark-gfm failed: {err}")
    return out


def strip_source_comment(text):
    """The copies in spec/upstream/ start with a one-line <!-- Source: --> note."""
    return re.sub(r"\A<!-- Source:[^\n]*-->\n", "", text)
