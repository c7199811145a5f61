"""The escapes the templates apply to spec text, one per output format.

C string literals and comments, gperf keywords, Markdown (with a CommonMark
code-span parser), HTML and roff. Spec text is plain text in which `backtick`
spans mean code, as upstream writes it; each format keeps those spans and
makes everything else literal, so a `|`, `<`, `\\`, a leading `.` or a newline
in the spec cannot break a table, inject markup or become a roff request.
"""

import html
import json
import re
import unicodedata

from model import ascii_lower


def c_string(s):
    """A C string literal. '?' is escaped against trigraphs; bytes >= 0x80 stay
    raw UTF-8, which every compiler we support reads as-is."""
    out = []
    for ch in s:
        if ch in '\\"?':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append("\\%03o" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def c_comment(s):
    """Text that is safe inside a /* */ comment, on one line."""
    return " ".join(s.replace("*/", "* /").replace("/*", "/ *").split())


def gperf_key(s):
    """A quoted gperf keyword. gperf reads C escapes inside double quotes but
    refuses `\\?`, so `?` stays bare; the validator refuses trigraphs in keys."""
    return c_string(s).replace("\\?", "?")


def _run_end(s, i):
    """The index just after the run of backticks that starts at s[i]."""
    while i < len(s) and s[i] == "`":
        i += 1
    return i


def _spans(s):
    """Split s into (fence, text) parts; fence is "" for plain text, else the
    backtick run that opened a code span (paired as CommonMark pairs them:
    a span closes at the next run of the same length)."""
    parts, i, start, n = [], 0, 0, len(s)
    while i < n:
        if s[i] != "`":
            i += 1
            continue
        j = _run_end(s, i)
        k, close = j, -1
        while k < n:
            if s[k] != "`":
                k += 1
                continue
            m = _run_end(s, k)
            if m - k == j - i:
                close = k
                break
            k = m
        if close < 0:
            i = j
            continue
        if start < i:
            parts.append(("", s[start:i]))
        parts.append((s[i:j], s[j:close]))
        i = start = close + (j - i)
    if start < n:
        parts.append(("", s[start:]))
    return parts


def _md(s, cell):
    out = []
    for fence, t in _spans(s):
        if fence:
            t = " ".join(t.splitlines()) if "\n" in t else t
            out.append(fence + (t.replace("|", "\\|") if cell else t) + fence)
        else:
            t = "".join("\\" + c if c in "\\*_[]<>&|~!" else c for c in t)
            out.append("<br>".join(x.strip() for x in t.splitlines()) if "\n" in t else t)
    return "".join(out)


def md_text(s):
    """Markdown inline text: code spans kept, other punctuation escaped,
    newlines as <br> (never a line that could start a block)."""
    return _md(s, False)


def md_cell(s):
    """md_text for a GFM table cell: `|` is escaped inside code spans too."""
    return _md(s, True)


def md_code(s, cell=False):
    """Any text as one Markdown code span."""
    s = " ".join(s.splitlines())
    run = max((len(r) for r in re.findall("`+", s)), default=0)
    pad = " " if s[:1] == "`" or s[-1:] == "`" or (s[:1] == " " and s[-1:] == " " and s.strip()) else ""
    s = pad + s + pad
    return "`" * (run + 1) + (s.replace("|", "\\|") if cell else s) + "`" * (run + 1)


def md_table(rows):
    """Rows of already escaped cells (the first is the header) as an aligned
    GFM table; wide (CJK) characters count as two columns."""
    def width(s):
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
    cols = [max(width(r[i]) for r in rows) for i in range(len(rows[0]))]
    def line(r):
        return "| " + " | ".join(c + " " * (w - width(c)) for c, w in zip(r, cols)) + " |"
    return "\n".join([line(rows[0]), "| " + " | ".join("-" * w for w in cols) + " |"]
                     + [line(r) for r in rows[1:]])


def html_text(s):
    """HTML text: code spans as <code class="lit"> (kept on one line: a header
    name such as X-API-KEY never breaks at its hyphens), everything escaped,
    newlines as <br>."""
    out = []
    for fence, t in _spans(s):
        if fence:
            out.append('<code class="lit">' + html.escape(" ".join(t.splitlines())) + "</code>")
        else:
            out.append("<br>".join(html.escape(x) for x in t.split("\n")))
    return "".join(out)


def html_name(s):
    """A symbolic name (TOKEN_EXPIRED, fix_request) for HTML: escaped, with a
    line break opportunity (<wbr>) after each underscore and nowhere else."""
    return html.escape(str(s), quote=True).replace("_", "_<wbr>")


def url_label(url):
    """The short text of a link to url: its #anchor, else its last path
    segment, in words ("common error codes", "perpetual queries")."""
    rest = url.partition("://")[2]
    page, _, anchor = rest.partition("#")
    label = anchor or page.rstrip("/").rsplit("/", 1)[-1] or page
    return label.replace("-", " ").replace("_", " ")


def _roff(s):
    out = []
    for ch in s:
        if ch == "\\":
            out.append("\\e")
        elif ord(ch) > 0x7F:
            out.append("\\[u%04X]" % ord(ch))
        else:
            out.append(ch)
    return "".join(out)


def _roff_url(url):
    """A URL in roff: never hyphenated (\\%), its hyphens minus signs, and
    free to break after each / of its path and before a #, so that a URL
    longer than the line breaks there instead of overflowing it."""
    scheme, _, rest = url.partition("://")
    rest = rest.replace("-", "\\-").replace("/", "/\\:").replace("#", "\\:#")
    return "\\%" + scheme + "://" + rest


def roff_text(s):
    """roff text lines: backslashes, non-ASCII and leading . or ' escaped,
    code spans in bold, no blank or indented lines."""
    # Hyphens in code and URLs are \- so that they are never broken or
    # hyphenated at; a reader copies them as typed.
    text = "".join("\\fB" + _roff(t).replace("-", "\\-") + "\\fR" if fence else
                   re.sub(r"https?://\S+", lambda m: _roff_url(m.group(0)), _roff(t))
                   for fence, t in _spans(s))
    lines = [x.strip() for x in text.split("\n") if x.strip()]
    return "\n".join("\\&" + x if x[0] in ".'" else x for x in lines)


def roff_line(s):
    """roff_text on one line (for .TP tags and table-like lines)."""
    return roff_text(" ".join(s.split("\n")))


def roff_block(s):
    """Literal lines (a .EX example): each line escaped, none blank-skipped."""
    def line(x):
        x = _roff(x).replace("-", "\\-")
        return "\\&" + x if x and x[0] in ".'" else x
    return "\n".join(line(x) for x in s.split("\n"))


def md_link(url):
    """A URL as a Markdown autolink, or as code when it could not be one."""
    if re.fullmatch(r"https?://[^\s<>`|\\]+", url):
        return "<" + url + ">"
    return md_code(url)


def chunks(xs, n):
    """xs in lists of n (the last may be shorter), for rows of a C array."""
    return [xs[i:i + n] for i in range(0, len(xs), n)]


# Every filter the templates use, by the name they use.
FILTERS = dict(ascii_lower=ascii_lower, chunks=chunks,
               c_string=c_string, c_comment=c_comment, gperf_key=gperf_key,
               md_text=md_text, md_cell=md_cell, md_code=md_code, md_table=md_table,
               md_link=md_link,
               html=lambda s: html.escape(str(s), quote=True), html_text=html_text,
               html_name=html_name, url_label=url_label,
               roff_text=roff_text, roff_line=roff_line, roff_block=roff_block,
               json=lambda v: json.dumps(v, ensure_ascii=False))
