"""Every example passes ``mypy --strict`` with the plugin, unchanged and without ``type: ignore``."""

from __future__ import annotations

from pathlib import Path

from tests.mypy.harness import ROOT, run_mypy

EXAMPLES = sorted((ROOT / "examples").glob("*.py"))


def test_examples_have_no_type_ignores() -> None:
    offenders = [p.name for p in EXAMPLES if "type: ignore" in p.read_text()]
    assert not offenders


def test_examples_pass_strict_mypy_with_the_plugin(tmp_path: Path) -> None:
    assert any(p.name == "dynamic_workflows.py" for p in EXAMPLES)
    code, output = run_mypy(EXAMPLES, tmp_path, "--strict")
    assert code == 0, output
