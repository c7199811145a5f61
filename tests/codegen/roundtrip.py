#!/usr/bin/env python3
"""Hostile text must come out literally and correctly escaped.

    roundtrip.py --src SRCDIR --cc CC [--gperf GPERF] --work DIR [--variant V]

Takes spec/errors.yaml, writes hostile text into it (Jinja-looking text,
`*/`, quotes, backslashes, newlines, trigraphs, printf formats, roff
requests, HTML, Markdown, emoji and U+2028; see HOSTILE), so that the
hand-written library still finds every enum it names, generates every output
group from that spec, then:

  C     compiles the library (src/lib/*.c) against the generated tables with
        the project's warnings and -Werror, links roundtrip_dump.c, and checks
        that every string of every entry comes back byte for byte, and that
        every name, key and code finds its entry again;
  JSON  docs/errors.json parses, and holds every spec string exactly;
  HTML  docs/error-codes.html: no tag or script comes from spec text, and
        the text content holds the spec strings literally;
  man   docs/6mm-errors.7 renders with mandoc (no errors) and the rendered text
        holds the roff-looking lines literally;
  Markdown docs/error-codes.md renders with cmark --unsafe without any tag
        from spec text.

Jinja syntax in the spec must never be evaluated: "{{ 7*7 }}" must come out
as that text, never as 49.

--variant question-mark / unicode-case put a server message with a `?`, or
with non-ASCII capitals, into the spec and check the C library only: they
are regressions for two generator bugs (see tests/codegen/CMakeLists.txt).
--variant short-keys gives names, messages and identifiers of 1 to 5 bytes,
which the lookups read without a word load.
"""

import argparse
import glob
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys

FAILS = []


def fail(msg):
    FAILS.append(msg)
    print("FAIL:", msg)


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, errors="replace", **kw)
    if p.returncode != 0:
        print("$", " ".join(cmd))
        print(p.stdout[-4000:], p.stderr[-4000:])
    return p


HOSTILE = {
    "desc": "Missing {{ 7*7 }} parameter {% if true %}yes{% endif %} {# comment #} {{ config }}"
            " {{ self.__init__.__globals__ }} ${HOME} $(id)",
    "zh": "缺少 \"必填\" 参数 \\ 😀 \u2028 行分隔 \u00a0 不换行 */",
    "rem": "\n".join([
        "First line with */ and /* and \"double\" and 'single' quotes.",
        ".SH INJECTED roff request at line start",
        "'br apostrophe request",
        "\\fB font escape \\\\ double backslash and \\n literally",
        '<script>alert("x")</script> &amp; ]]> --> <!-- | pipe | `code span`',
        "Trigraph ??/ and ??' and printf %s %n %% and a ? alone",
        "\ttab-indented line",
        "# not a heading",
        "- not a list item",
        "> not a quote",
        "1. not a list",
        ".TH FAKE 1",
        '\\" a roff comment line',
        "{{ 7*7 }} {% raw %}{{ raw }}{% endraw %}"]),
    "block": "Unknown <b>request</b> & error */ {{ 7*7 }}",
    "message": 'Invalid "token" \\ here, %d, {{ 7*7 }} */ <x>',
    "title": 'REST */ "API" \\ {% raw %} <i>',
    "category": "Auth */ failed /* nested; trigraphs ??/ ??= ??' and a \\ backslash",
    "retry": "Nothing {{ 7*7 }} to do {% raw %}.",
    "trouble": "Check `fields` with ``a `tick` inside`` and `|` and an unpaired ` backtick",
    "inferred": 'Reasoning with */ and "quotes" and {{ 7*7 }}.',
}
VARIANT_MESSAGE = {
    "question-mark": "Invalid token? Really?",
    "unicode-case": "Ошибка ÉTAT: Token",
    # The longest message, and non-ASCII: 42 characters, 78 bytes. The key-set
    # sizes were counted in characters, so the lookup refused its own key.
    "unicode-longest": "Ошибка: метка времени вне допустимого окна",
}


def hostile_spec(src, out, variant):
    """spec/errors.yaml with HOSTILE text in it, written to out."""
    import yaml
    with open(os.path.join(src, "spec", "errors.yaml"), encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    rest = spec["domains"][0]
    ents = rest["entries"]
    codes = [e for e in ents if "code" in e and e["code"] != 0]
    e = codes[0]
    e["description"]["en"] = HOSTILE["desc"]
    e["description"]["zh"] = HOSTILE["zh"]
    e["remediation"]["en"] = HOSTILE["rem"]
    e["troubleshooting"] = {"en": HOSTILE["trouble"]}
    codes[1]["retry"].pop("documented", None)
    codes[1]["retry"]["inferred"] = HOSTILE["inferred"]
    msg = [m for m in ents if "message" in m][0]
    msg["message"] = VARIANT_MESSAGE.get(variant, HOSTILE["message"])
    rest["title"] = HOSTILE["title"]
    if rest.get("blocks"):
        rest["blocks"][0]["en"] = HOSTILE["block"]
    spec["categories"][1]["en"] = HOSTILE["category"]
    spec["retry_classes"][0]["en"] = HOSTILE["retry"]
    if variant == "short-keys":
        # Keys under 8 bytes are read with overlapping loads (errinfo.c
        # load_short()): 1, 2 and 3 bytes take the byte path, 5 the 4-byte one.
        msgs = [m for d in spec["domains"] for m in d["entries"] if "message" in m]
        for m, text in zip(msgs, ["x", "Ok", "Bad", "Hello"]):
            m["message"] = text
        ids = [m for d in spec["domains"] for m in d["entries"] if "id" in m]
        for m, text in zip(ids, ["a", "bc"]):
            m["id"] = text
        for c, name in zip(codes, ["Q", "QR", "QRS", "QRST", "QRSTU"]):
            c["name"] = name
    if variant == "no-messages":
        # No server message in any domain: gperf refuses an empty key set,
        # so the template must still give it one.
        for dom in spec["domains"]:
            dom["entries"] = [e for e in dom["entries"] if "message" not in e]
    with open(out, "w", encoding="utf-8") as f:
        yaml.safe_dump(spec, f, allow_unicode=True, sort_keys=False, width=1000)


def model_for(src, spec):
    sys.path.insert(0, os.path.join(src, "codegen"))
    import spec as specmod  # noqa: E402  (codegen/spec.py; `spec` is the path here)
    from model import build_model  # noqa: E402  (codegen/model.py)
    data, _, raw = specmod.load(spec, os.path.join(src, "spec", "errors.schema.json"))
    return data, build_model(data, raw)


def check_c(args, gen, model, data):
    for t in ("names", "messages", "idents"):
        if run([args.gperf, f"--output-file={gen}/src/{t}.c", f"{gen}/src/{t}.gperf"]).returncode:
            fail(f"gperf failed on {t}.gperf")
            return
    exe = os.path.join(args.work, "roundtrip_dump")
    warn = ["-Wall", "-Wextra", "-Wpedantic", "-Wshadow", "-Wstrict-prototypes",
            "-Wmissing-prototypes", "-Wwrite-strings", "-Wcast-qual", "-Wformat=2",
            "-Wtrigraphs", "-Wcomment", "-Werror", "-Wno-unused-parameter"]
    srcs = sorted(glob.glob(f"{args.src}/src/lib/*.c")) + sorted(glob.glob(f"{gen}/src/*.c"))
    cmd = ([args.cc, "-std=c11", "-O1", "-g"] + warn +
           ["-I", f"{args.src}/include", "-I", f"{gen}/include", "-I", f"{gen}/src",
            "-I", f"{args.src}/src/lib", '-DSIXMM_VERSION_STRING="0.0.0"'] + srcs +
           [f"{args.src}/tests/codegen/roundtrip_dump.c", "-o", exe])
    if run(cmd).returncode:
        fail("the generated C does not compile warning-free")
        return
    p = run([exe])
    if p.returncode:
        fail("roundtrip_dump failed")
        return
    rows = [l.split("\t") for l in p.stdout.splitlines()]
    ents = [r for r in rows if r[0].isdigit()]

    def unhex(h):
        return "" if h == "-" else bytes.fromhex(h).decode("utf-8")

    want = model["entries"]
    if len(ents) != len(want):
        fail(f"{len(ents)} entries in the library, {len(want)} in the spec")
    for r, e in zip(ents, want):
        i = int(r[0])
        got = [unhex(h) for h in r[5:17]]
        exp = [e["name"], e["key"], e["desc_en"], e["desc_zh"] or e["desc_en"], e["rem_en"],
               e["rem_zh"] or e["rem_en"], e["trouble_en"], e["trouble_zh"] or e["trouble_en"],
               e["doc"], e["prov"]["description"]["text"], e["prov"]["retry"]["text"],
               e["prov"]["remediation"]["text"]]
        labels = ["name", "key", "description en", "description zh", "remediation en",
                  "remediation zh", "troubleshooting en", "troubleshooting zh", "doc",
                  "provenance description", "provenance retry", "provenance remediation"]
        for lab, g, x in zip(labels, got, exp):
            if g != x:
                fail(f"C: entry {e['name']}: {lab} is {g!r}, the spec says {x!r}")
        finds = [int(x) for x in r[17:21]]
        what = ["its name", "its name in lower case", "its key"] + (
            ["its last code"] if e["kind"] in ("code", "range") else [])
        for w, f in zip(what, finds):
            if f != i:
                fail(f"C: entry {e['name']} ({e['key']!r}): looking up {w} found entry {f}, not {i}")
    retries = [r for r in rows if r[0] == "retry"]
    for r, rc in zip(retries, data["retry_classes"]):
        if unhex(r[2]) != rc["en"] or unhex(r[3]) != rc.get("zh", rc["en"]):
            fail(f"C: retry class {rc['name']} text does not round-trip")
    print(f"C: {len(ents)} entries round-tripped through the library")


def spec_strings(model, data):
    out = set()
    for e in model["entries"]:
        out.update(x for x in (e["desc_en"], e["desc_zh"], e["rem_en"], e["rem_zh"],
                               e["key"], e["name"]) if x)
    for c in data["categories"] + data["retry_classes"]:
        out.update(x for x in (c["en"], c.get("zh")) if x)
    return out


def check_json(gen, model, data):
    path = f"{gen}/docs/errors.json"
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        fail(f"JSON: {path}: {e}")
        return
    values = set()

    def walk(v):
        if isinstance(v, str):
            values.add(v)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
    walk(doc)
    missing = [s for s in spec_strings(model, data) if s not in values]
    for s in missing:
        fail(f"JSON: the spec string {s!r} is not a value of errors.json")
    print(f"JSON: {len(spec_strings(model, data)) - len(missing)} spec strings found verbatim")


class Scan(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text = []

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.text.append("\n")

    def handle_data(self, data):
        self.text.append(data)


def norm(s):
    return " ".join(s.split())


FRAGMENTS = [
    '<script>alert("x")</script> &amp; ]]> --> <!-- | pipe |',
    "Missing {{ 7*7 }} parameter {% if true %}yes{% endif %} {# comment #} {{ config }}",
    "Unknown <b>request</b> & error */ {{ 7*7 }}",
    'Invalid "token" \\ here, %d, {{ 7*7 }} */ <x>',
    "Trigraph ??/ and ??' and printf %s %n %% and a ? alone",
    "First line with */ and /* and \"double\" and 'single' quotes.",
]
# Lines that look like roff requests: in the man page they must be text.
ROFF_LINES = [".SH INJECTED roff request at line start", "'br apostrophe request",
              "\\fB font escape \\\\ double backslash and \\n literally"]
# Markup in spec text, which must never reach a page unescaped.
INJECTED = ['<script>alert("x")</script>', "<b>request</b>", "<x>", "<i>", "<!-- |"]


def check_html_text(what, source, text, fragments):
    for raw in INJECTED:
        if raw in source:
            fail(f"{what}: spec text {raw!r} reached the page as markup")
    t = norm(text)
    for f in fragments:
        if norm(f) not in t:
            fail(f"{what}: the text {f!r} is not in the page literally")


def check_html(gen):
    path = f"{gen}/docs/error-codes.html"
    with open(path, encoding="utf-8") as f:
        source = f.read()
    s = Scan()
    s.feed(source)
    check_html_text("HTML", source, "".join(s.text), FRAGMENTS)
    print("HTML: checked", path)


def check_markdown(gen):
    path = f"{gen}/docs/error-codes.md"
    cmark = shutil.which("cmark-gfm") or shutil.which("cmark")
    if not cmark:
        print("Markdown: no cmark, skipped")
        return
    cmd = [cmark, "--unsafe"] + (["-e", "table"] if cmark.endswith("-gfm") else []) + [path]
    p = run(cmd)
    if p.returncode:
        fail("Markdown: cmark failed")
        return
    s = Scan()
    s.feed(p.stdout)
    # Markdown keeps `code` spans; compare without backticks.
    check_html_text("Markdown", p.stdout, "".join(s.text),
                    [f for f in FRAGMENTS if "`" not in f])
    print("Markdown: checked", path)


def check_man(gen):
    pages = sorted(glob.glob(f"{gen}/docs/*.7"))
    if not pages:
        fail("man: no docs/*.7 page was generated")
        return
    for page in pages:
        lint = run(["mandoc", "-T", "lint", "-W", "error", page])
        if lint.returncode not in (0,):
            fail(f"man: mandoc -T lint -W error reports errors in {page}")
        p = run(["mandoc", "-T", "utf8", "-O", "width=300", page])
        text = re.sub(".\b", "", p.stdout)
        t = norm(text)
        for f in ROFF_LINES + FRAGMENTS[1:3]:
            if norm(f) not in t:
                fail(f"man: {os.path.basename(page)}: the text {f!r} is not rendered literally")
        if re.search(r"^INJECTED", text, re.M):
            fail("man: a spec line became a section heading")
    print("man: checked", ", ".join(os.path.basename(p) for p in pages))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", required=True)
    ap.add_argument("--cc", required=True)
    ap.add_argument("--gperf", default="gperf")
    ap.add_argument("--work", required=True)
    ap.add_argument("--variant", choices=["escapes", "no-messages", "short-keys"] +
                    sorted(VARIANT_MESSAGE),
                    default="escapes")
    args = ap.parse_args()
    args.c_only = args.variant != "escapes"
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    gen = os.path.join(args.work, "gen")
    args.spec = os.path.join(args.work, "hostile.yaml")
    hostile_spec(args.src, args.spec, args.variant)
    p = run([sys.executable, f"{args.src}/codegen/generate.py", "--spec", args.spec,
             "--schema", f"{args.src}/spec/errors.schema.json", "--out", gen]
            + (["--group", "lib"] if args.c_only else []))
    if p.returncode != 0 or "Traceback" in p.stderr:
        fail(f"generate.py failed on {args.spec}")
        return 1
    data, model = model_for(args.src, args.spec)
    check_c(args, gen, model, data)
    if not args.c_only:
        check_json(gen, model, data)
        check_html(gen)
        check_markdown(gen)
        check_man(gen)
    print("FAILED:" if FAILS else "ok:", len(FAILS), "problems")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
