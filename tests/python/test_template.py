"""The Python template renders valid Python for every spec the generator
accepts (tests/codegen/specs/), hostile texts included."""
import ast
import glob
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPECS = sorted(glob.glob(str(ROOT / "tests" / "codegen" / "specs" / "*.yaml"))) + \
    [str(ROOT / "spec" / "errors.yaml")]


@pytest.mark.parametrize("spec", SPECS, ids=os.path.basename)
def test_every_accepted_spec_renders_valid_python(spec: str, tmp_path: Path) -> None:
    p = subprocess.run(["/usr/bin/python3", str(ROOT / "codegen" / "generate.py"), "--spec", spec,
                        "--schema", str(ROOT / "spec" / "errors.schema.json"),
                        "--out", str(tmp_path), "--group", "python"],
                       capture_output=True, text=True)
    if p.returncode != 0:
        assert p.stderr, "a refused spec says why"
        return
    out = tmp_path / "python" / "sixmm_errinfo" / "_spec.py"
    tree = ast.parse(out.read_text(encoding="utf-8"), str(out))
    classes = [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
    assert classes[:3] == ["Domain", "Category", "Retry"]
    assert all(c.startswith("Sixmm") and c.endswith("Error") for c in classes[3:])
