"""Golden files: the generated code of every example, pinned.

Regenerate after an intended change with::

    FLOWGEN_UPDATE_GOLDEN=1 .venv/bin/pytest tests/codegen/test_golden.py

The golden files are written as if built with ``--out tests/codegen/golden``, so they
are real, runnable generated modules (test_quality.py runs ruff and mypy over them).
"""

from __future__ import annotations

import difflib
import os

import pytest

from flowgen import __version__
from flowgen.cli.build import load_programs
from flowgen.codegen.build import generate_for_source

from .helpers import GOLDEN, example_paths

UPDATE = os.environ.get("FLOWGEN_UPDATE_GOLDEN") == "1"


@pytest.mark.parametrize("source", example_paths(), ids=os.path.basename)
def test_generated_code_matches_golden(source: str) -> None:
    generated = generate_for_source(source, GOLDEN, load_programs, __version__)
    assert generated is not None
    out, text = generated
    if UPDATE:
        with open(out, "w", encoding="utf-8") as f:
            f.write(text)
        return
    assert os.path.exists(out), f"no golden file {out}: run FLOWGEN_UPDATE_GOLDEN=1 pytest {__file__}"
    with open(out, encoding="utf-8") as f:
        expected = f.read()
    if text != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True), "golden", "generated"))
        pytest.fail(f"generated code of {os.path.basename(source)} differs from {out}; if intended, run "
                    f"FLOWGEN_UPDATE_GOLDEN=1 pytest {__file__}\n{diff}")


def test_every_golden_file_has_an_example() -> None:
    expected = {os.path.basename(p)[:-3] + "_flowgen.py" for p in example_paths()}
    found = {f for f in os.listdir(GOLDEN) if f.endswith(".py")}
    assert found <= expected, f"golden files without an example: {sorted(found - expected)}"
