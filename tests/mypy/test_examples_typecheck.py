"""Every example passes mypy with the plugin, unchanged and without ``type: ignore``: under
mypy's default settings (only ``plugins = flowgen.mypy_plugin``) and under ``--strict``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.mypy.harness import CONFIG, DEFAULT_CONFIG, ROOT, run_mypy

EXAMPLES = sorted((ROOT / "examples").glob("*.py"))


def test_examples_have_no_type_ignores() -> None:
    offenders = [p.name for p in EXAMPLES if "type: ignore" in p.read_text()]
    assert not offenders


@pytest.mark.parametrize("config", [DEFAULT_CONFIG, CONFIG], ids=["default-settings", "strict"])
def test_examples_pass_mypy_with_the_plugin(config: Path, tmp_path: Path) -> None:
    assert any(p.name == "dynamic_workflows.py" for p in EXAMPLES)
    code, output = run_mypy(EXAMPLES, tmp_path, config=config)
    assert code == 0, output
