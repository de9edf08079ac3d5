"""Flyte programs (in the style of flytekit's example gallery) run with only the import line changed."""

import importlib.util
import os
import sys

import pytest

from flowgen import FlowgenError

HERE = os.path.join(os.path.dirname(__file__), "flyte_programs")
PROGRAMS = sorted(f[:-3] for f in os.listdir(HERE) if f.endswith(".py"))


def load(name: str, tmp_path) -> object:
    source = open(os.path.join(HERE, name + ".py")).read()
    assert "from flytekit import" in source
    path = tmp_path / f"flyte_{name}.py"
    path.write_text(source.replace("from flytekit import", "from flowgen import"))
    spec = importlib.util.spec_from_file_location(f"flyte_{name}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_runs_with_only_the_import_changed(name: str, tmp_path) -> None:
    module = load(name, tmp_path)
    for wf_name, inputs, expected in module.CASES:
        result = getattr(module, wf_name)(**inputs)
        assert result == pytest.approx(expected) if isinstance(expected, float) else result == expected, wf_name
    for wf_name, inputs, words in module.FAILS:
        with pytest.raises(FlowgenError, match=words):
            getattr(module, wf_name)(**inputs)
