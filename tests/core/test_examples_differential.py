"""Every example runs through flowgen and as the equivalent plain Python, with equal results."""

import importlib
import os

import pytest

from flowgen import Workflow
from flowgen.runtime.plain import plain_python
from tests.conftest import EXAMPLES

MODULES = sorted(f[:-3] for f in os.listdir(EXAMPLES) if f.endswith(".py") and not f.startswith("_"))
CASES = [
    (module, name, inputs)
    for module in MODULES
    for name, runs in getattr(importlib.import_module(module), "RUNS", {}).items()
    for inputs in runs
]


def test_every_example_has_runs() -> None:
    without = [m for m in MODULES if m != "dynamic_workflows" and not hasattr(importlib.import_module(m), "RUNS")]
    assert without == []


@pytest.mark.parametrize(("module", "name", "inputs"), CASES, ids=[f"{m}.{n}-{i}" for i, (m, n, _) in enumerate(CASES)])
def test_flowgen_equals_plain_python(module: str, name: str, inputs: dict) -> None:
    mod = importlib.import_module(module)
    wf = getattr(mod, name)
    assert isinstance(wf, Workflow)
    result = wf(**inputs)
    if hasattr(mod, "reference"):  # conditionals have no plain form; the module spells it out
        expected = mod.reference(**inputs)
    else:
        with plain_python():
            expected = wf(**inputs)
    assert result == expected
    assert type(result) is type(expected)
