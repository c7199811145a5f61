"""The Python template renders valid Python for every spec the generator
accepts among tests/codegen/specs/ (the ok- and hostile- ones; the bad- ones
are refused before anything is rendered), hostile texts included."""
import ast
import contextlib
import glob
import io
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPECS = sorted(glob.glob(str(ROOT / "tests" / "codegen" / "specs" / "ok-*.yaml")) +
               glob.glob(str(ROOT / "tests" / "codegen" / "specs" / "hostile-*.yaml"))) + \
    [str(ROOT / "spec" / "errors.yaml")]
sys.path.insert(0, str(ROOT / "codegen"))
import generate  # noqa: E402  (the generator's documented entry point, in-process)


@pytest.mark.parametrize("spec", SPECS, ids=os.path.basename)
def test_every_accepted_spec_renders_valid_python(spec: str, tmp_path: Path) -> None:
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        rc = generate.main(["--spec", spec, "--schema", str(ROOT / "spec" / "errors.schema.json"),
                            "--out", str(tmp_path), "--group", "python"])
    if rc != 0:
        assert err.getvalue(), "a refused spec says why"
        return
    out = tmp_path / "python" / "sixmm_errinfo" / "_spec.py"
    tree = ast.parse(out.read_text(encoding="utf-8"), str(out))
    classes = [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
    assert classes[:3] == ["Domain", "Category", "Retry"]
    # Then one class per enum of the spec's `enums` section, then the errors.
    import yaml
    enums = yaml.safe_load(Path(spec).read_text(encoding="utf-8")).get("enums") or []
    names = ["".join(p.capitalize() for p in e["name"].split("_")) for e in enums]
    assert classes[3:3 + len(names)] == names
    assert all(c.startswith("Sixmm") and c.endswith("Error") for c in classes[3 + len(names):])


HOSTILE = 'say """no""" \\ to \'quotes\'\u2028 and "{{ braces }}" \u00e9\u4e2d'


def test_a_category_text_comes_through_as_its_exact_docstring(tmp_path: Path) -> None:
    import yaml
    spec = yaml.safe_load((ROOT / "spec" / "errors.yaml").read_text(encoding="utf-8"))
    spec["categories"][1]["en"] = HOSTILE
    path = tmp_path / "errors.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    rc = generate.main(["--spec", str(path), "--schema", str(ROOT / "spec" / "errors.schema.json"),
                        "--out", str(tmp_path / "out"), "--group", "python"])
    assert rc == 0
    out = tmp_path / "out" / "python" / "sixmm_errinfo" / "_spec.py"
    tree = ast.parse(out.read_text(encoding="utf-8"))
    docs = {n.name: ast.get_docstring(n, clean=False) for n in tree.body
            if isinstance(n, ast.ClassDef)}
    name = "Sixmm" + "".join(p.capitalize() for p in spec["categories"][1]["name"].split("_"))
    assert docs[name + "Error"] == HOSTILE
