#!/usr/bin/env python3
"""The generator's contract (design.md §5), tested from the outside.

    test_generator.py GENERATE_PY SPEC
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

GEN, SPEC = sys.argv[1], sys.argv[2]
BANNER = "generated from spec/errors.yaml by codegen/generate.py; do not edit"


def run(*args):
    return subprocess.run([sys.executable, GEN, "--spec", SPEC, *args],
                          capture_output=True, text=True)


def snapshot(root):
    """{relative path: (bytes, mtime_ns)} for every file under root."""
    out = {}
    for dirpath, _, files in os.walk(root):
        for f in files:
            p = os.path.join(dirpath, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, root)] = (fh.read(), os.stat(p).st_mtime_ns)
    return out


class GeneratorContract(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def generate(self, name):
        out = os.path.join(self.tmp, name)
        r = run("--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")
        return out

    def test_two_runs_are_byte_identical(self):
        a = snapshot(self.generate("a"))
        b = snapshot(self.generate("b"))
        self.assertGreater(len(a), 5)
        self.assertEqual(sorted(a), sorted(b))
        for rel in a:
            self.assertEqual(a[rel][0], b[rel][0], f"{rel} differs between runs")

    def test_every_output_carries_the_banner(self):
        for rel, (data, _) in snapshot(self.generate("a")).items():
            self.assertIn(BANNER.encode(), data[:600], f"{rel} has no do-not-edit banner")

    def listing(self, *groups):
        args = [a for g in groups for a in ("--group", g)]
        r = subprocess.run([sys.executable, GEN, "--list"] + args, capture_output=True, text=True)
        self.assertEqual((r.returncode, r.stderr), (0, ""))
        return r.stdout.split()

    def test_each_template_belongs_to_exactly_one_group(self):
        root = os.path.join(os.path.dirname(GEN), "templates")
        templates = sorted(os.path.relpath(os.path.join(d, f), root).replace(os.sep, "/")
                           for d, _, files in os.walk(root) for f in files
                           if f.endswith(".j2") and "_partials" not in d)
        groups = [self.listing(g) for g in ("lib", "cli", "docs", "python", "proof")]
        self.assertTrue(all(groups), groups)
        self.assertEqual(sorted(t for g in groups for t in g), templates)
        self.assertEqual(self.listing(), templates)

    def test_a_group_writes_exactly_its_templates_outputs(self):
        out = os.path.join(self.tmp, "lib")
        r = run("--out", out, "--group", "lib")
        self.assertEqual((r.returncode, r.stderr), (0, ""))
        self.assertEqual(sorted(snapshot(out)), [t[:-len(".j2")] for t in self.listing("lib")])

    def test_check_validates_and_writes_nothing(self):
        out = os.path.join(self.tmp, "never")
        r = run("--check", "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertFalse(os.path.exists(out))

    def test_unchanged_outputs_are_not_rewritten(self):
        out = self.generate("a")
        before = snapshot(out)
        self.assertEqual(run("--out", out).returncode, 0)
        self.assertEqual(snapshot(out), before)

    def test_a_bad_spec_leaves_the_output_untouched(self):
        out = self.generate("a")
        before = snapshot(out)
        bad = os.path.join(self.tmp, "bad.yaml")
        with open(SPEC, encoding="utf-8") as f:
            text = f.read()
        with open(bad, "w", encoding="utf-8") as f:
            f.write(text.replace("name: TOKEN_REVOKED", "name: TOKEN_EXPIRED"))
        schema = os.path.join(os.path.dirname(SPEC), "errors.schema.json")
        r = subprocess.run([sys.executable, GEN, "--spec", bad, "--schema", schema, "--out", out],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, r"^" + bad.replace("\\", "\\\\") + r":\d+: duplicate name `TOKEN_EXPIRED`")
        self.assertEqual(snapshot(out), before)

    def test_a_missing_spec_is_one_clear_line(self):
        r = subprocess.run([sys.executable, GEN, "--spec", os.path.join(self.tmp, "nope.yaml"),
                            "--check"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(len(r.stderr.splitlines()), 1, r.stderr)
        self.assertIn("nope.yaml:1: cannot read", r.stderr)

    def test_a_missing_schema_is_named(self):
        missing = os.path.join(self.tmp, "nope.schema.json")
        r = run("--schema", missing, "--check")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stderr, f"{missing}:1: cannot read: No such file or directory\n")

    def test_an_unwritable_output_is_one_line_and_writes_nothing(self):
        blocker = os.path.join(self.tmp, "file")
        with open(blocker, "w") as f:
            f.write("not a folder")
        r = run("--out", os.path.join(blocker, "out"))
        self.assertEqual(r.returncode, 1)
        self.assertEqual(len(r.stderr.splitlines()), 1, r.stderr)
        self.assertIn("cannot write: Not a directory", r.stderr)
        self.assertNotIn("Traceback", r.stderr)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
