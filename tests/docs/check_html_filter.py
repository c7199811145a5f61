#!/usr/bin/python3
"""The filter box of error-codes.html in a real browser: Debian's headless
Chromium, driven through the DevTools protocol over a pipe
(--remote-debugging-pipe: JSON messages separated by NUL bytes on file
descriptors 3 and 4), so that nothing beyond the chromium package is needed.

    check_html_filter.py PAGE OUTDIR

It types queries into the box as a user does (Input.insertText) and reads
back which rows the browser shows; follows the anchor #rest-1003 and checks
that the row is the target and in view; and takes a screenshot in the light
and in the dark colour scheme (OUTDIR/error-codes-light.png and -dark.png),
checking that the scheme changes the page's colours.

The Chinese text must show its glyphs, not boxes: each ideograph of the
page, as laid out, is as wide as a full-width glyph (1 em), and not as wide
as the box drawn for a character that no font has. It needs a CJK font
(Debian: fonts-noto-cjk); without one the check fails. In a window as narrow
as a phone's, names (TOKEN_EXPIRED, fix_request) break only after an
underscore.

Exits 77 (skipped) when chromium is not installed (Debian: chromium).
"""
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--remote-debugging-pipe",
                  "--window-size=1200,900"]
TIMEOUT = 60


class Browser:
    def __init__(self, binary, profile):
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()
        # The child reads commands on fd 3 and writes replies and events on fd 4.
        # dup2 leaves them inheritable; close_fds would close them after this
        # runs, and every other descriptor of ours is close-on-exec anyway.
        def fds():
            # Out of the way first: a pipe end may itself be 3 or 4.
            r, w = os.dup(to_child_r), os.dup(from_child_w)
            os.dup2(r, 3)
            os.dup2(w, 4)
        self.log = os.path.join(profile, "chromium.log")
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                [binary] + CHROMIUM_FLAGS + [f"--user-data-dir={profile}", "about:blank"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                preexec_fn=fds, close_fds=False)
        os.close(to_child_r)
        os.close(from_child_w)
        self.buf = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def send(self, method, params=None, session=True):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self.to_child, json.dumps(msg).encode() + b"\0")
        while True:
            reply = self.read()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def read(self):
        import select
        while b"\0" not in self.buf:
            ready, _, _ = select.select([self.from_child], [], [], TIMEOUT)
            if not ready:
                raise RuntimeError("chromium did not answer in time")
            chunk = os.read(self.from_child, 1 << 16)
            if not chunk:
                with open(self.log, encoding="utf-8", errors="replace") as f:
                    tail = f.read()[-2000:]
                raise RuntimeError(f"chromium closed the pipe; its log ends:\n{tail}")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def wait_event(self, method):
        for i, e in enumerate(self.events):
            if e.get("method") == method:
                del self.events[i]
                return e
        while True:
            e = self.read()
            if e.get("method") == method:
                return e
            self.events.append(e)

    def js(self, expr):
        r = self.send("Runtime.evaluate", {"expression": expr, "returnByValue": True,
                                           "awaitPromise": True})
        if "exceptionDetails" in r:
            raise RuntimeError(f"{expr}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def close(self):
        try:
            self.send("Browser.close", session=False)
        except (RuntimeError, OSError):
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


# The rows the browser shows: rendered (offsetParent is set) and not hidden.
VISIBLE = """JSON.stringify([...document.querySelectorAll('table.filterable tbody tr')]
  .filter(r => r.offsetParent !== null && getComputedStyle(r).display !== 'none')
  .map(r => r.id || r.textContent.trim().slice(0, 40)))"""
ALL_ROWS = """JSON.stringify([...document.querySelectorAll('table.filterable tbody tr')]
  .map(r => [r.id || r.textContent.trim().slice(0, 40), r.textContent.toLowerCase()]))"""


# The rendered width of every ideograph of the .zh texts, one Range per
# character, beside the width of U+10FFFD (a character no font has, drawn as
# the missing-glyph box) in the same element's style, and the font size.
GLYPH_WIDTHS = r"""JSON.stringify([...document.querySelectorAll('.zh')].slice(0, 400).map(el => {
  const probe = document.createElement('span');
  probe.textContent = '\u{10FFFD}';
  el.appendChild(probe);
  const box = probe.getBoundingClientRect().width;
  probe.remove();
  const widths = [];
  const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    for (let i = 0; i < n.data.length; i++) {
      if (!/[\u4e00-\u9fff]/.test(n.data[i])) continue;
      const r = document.createRange();
      r.setStart(n, i); r.setEnd(n, i + 1);
      widths.push([n.data[i], r.getBoundingClientRect().width]);
    }
  }
  return {box, em: parseFloat(getComputedStyle(el).fontSize), widths};
}))"""

# Where each name in a table cell breaks across lines: the character before
# each break (a Range per character; a new line starts where top grows).
NAME_BREAKS = r"""JSON.stringify([...document.querySelectorAll('td code')].map(el => {
  const text = el.textContent, breaks = [];
  const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  let prev = null;
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    for (let i = 0; i < n.data.length; i++) {
      const r = document.createRange();
      r.setStart(n, i); r.setEnd(n, i + 1);
      const rect = r.getBoundingClientRect();
      if (prev && rect.height && rect.top > prev.top + prev.height / 2) breaks.push(prev.ch);
      if (rect.height) prev = {top: rect.top, height: rect.height, ch: n.data[i]};
    }
  }
  return [text, breaks];
}).filter(x => x[1].length))"""


def check_glyphs(b, problems):
    """Chinese shows as glyphs: every ideograph 1 em wide, none as wide as
    the missing-glyph box. Returns how many were measured."""
    measured = 0
    for el in json.loads(b.js(GLYPH_WIDTHS)):
        for ch, w in el["widths"]:
            measured += 1
            if abs(w - el["box"]) < 0.5 or abs(w - el["em"]) > 0.5:
                problems.append(f"{ch!r} is {w:.2f} px wide; a glyph is {el['em']} px (1 em), the "
                                f"missing-glyph box {el['box']:.2f} px: is a CJK font installed? "
                                "(Debian: fonts-noto-cjk)")
                return measured
    if not measured:
        problems.append("no Chinese text (.zh) was found on the page")
    return measured


def check_name_breaks(b, problems):
    """In a 360 px window, a name in a table breaks only after '_' (or at a
    blank, inside a message). Returns how many names broke."""
    b.send("Emulation.setDeviceMetricsOverride", {"width": 360, "height": 800,
                                                  "deviceScaleFactor": 1, "mobile": True})
    b.js("new Promise(r => setTimeout(r, 200))")
    broken = json.loads(b.js(NAME_BREAKS))
    b.send("Emulation.clearDeviceMetricsOverride")
    for text, breaks in broken:
        bad = [c for c in breaks if c not in "_ "]
        if bad:
            problems.append(f"{text!r} breaks after {bad[0]!r}, not after an underscore")
    return len(broken)


def type_query(b, q):
    """Select what the box holds and type q over it, as a user does."""
    b.js("document.getElementById('filter').focus(); document.getElementById('filter').select()")
    if q:
        b.send("Input.insertText", {"text": q})
    else:
        for kind in ("keyDown", "keyUp"):
            b.send("Input.dispatchKeyEvent", {"type": kind, "key": "Backspace",
                                              "code": "Backspace",
                                              "windowsVirtualKeyCode": 8})
    return json.loads(b.js(VISIBLE))


def main():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("chromium is not installed (Debian: chromium); skipped")
        return 77
    page, outdir = os.path.abspath(sys.argv[1]), sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    url = "file://" + page
    problems = []
    with tempfile.TemporaryDirectory(prefix="sixmm-chromium-") as profile:
        b = Browser(chromium, profile)
        try:
            target = b.send("Target.createTarget", {"url": "about:blank"}, session=False)
            b.session = b.send("Target.attachToTarget", {"targetId": target["targetId"],
                                                         "flatten": True},
                               session=False)["sessionId"]
            b.send("Page.enable")
            b.send("Runtime.enable")
            b.send("Page.navigate", {"url": url})
            b.wait_event("Page.loadEventFired")
            if b.js("document.getElementById('filterbox').hidden"):
                problems.append("the script does not show the filter box")
            rows = json.loads(b.js(ALL_ROWS))
            text = dict(rows)
            cases = {}
            for q in ("6905", "AGENT 6905", "quota exhausted", "rest-3100", "no such text at all",
                      ""):
                cases[q] = type_query(b, q)
            count = b.js("document.getElementById('filter-count').textContent")
            if len(cases[""]) != len(rows):
                problems.append(f"empty query: {len(cases['']) } of {len(rows)} rows shown")
            if cases["no such text at all"]:
                problems.append(f"a query matching nothing shows {cases['no such text at all'][:3]}")
            for q in ("6905", "AGENT 6905", "quota exhausted"):
                if "agent-6905" not in cases[q]:
                    problems.append(f"query {q!r} hides the row agent-6905")
                words = q.lower().split()
                wrong = [r for r in cases[q] if not all(w in (r + " " + text[r]) for w in words)]
                if wrong:
                    problems.append(f"query {q!r} shows rows without its words: {wrong[:3]}")
                if len(cases[q]) >= len(rows):
                    problems.append(f"query {q!r} hides nothing")
            if "rest-3100-3112" not in cases["rest-3100"]:
                problems.append("filtering by anchor does not find rest-3100-3112")
            type_query(b, "6905")
            count = b.js("document.getElementById('filter-count').textContent")
            if not count or "of" not in count:
                problems.append(f"the count reads {count!r}")
            type_query(b, "")

            # An anchor: the row is the :target and scrolled into view.
            b.send("Page.navigate", {"url": url + "#rest-1003"})
            b.js("new Promise(r => setTimeout(r, 300))")
            target_id = b.js("(document.querySelector(':target') || {}).id || ''")
            top = b.js("document.getElementById('rest-1003').getBoundingClientRect().top")
            height = b.js("window.innerHeight")
            if target_id != "rest-1003":
                problems.append(f"#rest-1003: the :target is {target_id!r}")
            if top is None or not -1 < top < height:   # sub-pixel layout: -0.125
                problems.append(f"#rest-1003 is not in view (top {top}, window {height})")

            # Light and dark: the page follows prefers-color-scheme.
            colours = {}
            for scheme in ("light", "dark"):
                b.send("Emulation.setEmulatedMedia",
                       {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
                colours[scheme] = b.js("getComputedStyle(document.body).backgroundColor + ' / ' + "
                                       "getComputedStyle(document.body).color")
                shot = b.send("Page.captureScreenshot", {"format": "png"})["data"]
                png = base64.b64decode(shot)
                path = os.path.join(outdir, f"error-codes-{scheme}.png")
                with open(path, "wb") as f:
                    f.write(png)
                if not png.startswith(b"\x89PNG\r\n\x1a\n") or len(png) < 1000:
                    problems.append(f"the {scheme} screenshot is not a PNG image")
            if colours["light"] == colours["dark"]:
                problems.append(f"the dark scheme does not change the colours: {colours['light']}")
            b.send("Emulation.setEmulatedMedia", {"features": []})
            glyphs = check_glyphs(b, problems)
            broken = check_name_breaks(b, problems)
            if not broken:
                problems.append("in a 360 px window no name broke: the check saw nothing")
        finally:
            b.close()
    for p in problems:
        print(p)
    print(f"chromium: {len(rows)} rows, {len(cases)} queries, anchor, 2 screenshots in {outdir}, "
          f"{glyphs} Chinese glyphs measured, {broken} names broken at 360 px; "
          f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
