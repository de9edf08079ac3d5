"""Every example's generated module gives the interpreter's result (validation on and off),
and runs as a script the way ``flowgen run`` does."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
from types import ModuleType
from typing import Any

import pytest

from flowgen.runtime import generated as runtime
from flowgen.runtime.cache import set_cache_enabled

from .helpers import EXAMPLES, PYTHON, example_paths, generate, load


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ModuleType]:
    out = str(tmp_path_factory.mktemp("built"))
    return {os.path.basename(p)[:-3]: load(generate(p, out)[0]) for p in example_paths()}


def _runs() -> list[tuple[str, str, dict[str, Any]]]:
    cases = []
    for path in example_paths():
        name = os.path.basename(path)[:-3]
        module = importlib.import_module(name)
        for wf, inputs_list in getattr(module, "RUNS", {}).items():
            for i, inputs in enumerate(inputs_list):
                cases.append(pytest.param(name, wf, inputs, id=f"{name}.{wf}[{i}]"))
    return cases


@pytest.fixture(autouse=True)
def no_cache() -> Any:
    set_cache_enabled(False)
    yield
    set_cache_enabled(True)


@pytest.mark.parametrize(("module", "workflow", "inputs"), _runs())
@pytest.mark.parametrize("validate", [True, False], ids=["checked", "fast"])
def test_generated_equals_interpreted(built: dict[str, ModuleType], module: str, workflow: str,
                                      inputs: dict[str, Any], validate: bool) -> None:
    user = importlib.import_module(module)
    expected = getattr(user, workflow)(**inputs)
    with runtime.validation(validate):
        got = getattr(built[module], workflow)(**inputs)
    assert got == expected
    assert type(got) is type(expected)


def test_reference_example_prints_3_as_a_script(tmp_path: Any) -> None:
    out, _ = generate(os.path.join(EXAMPLES, "dynamic_workflows.py"), str(tmp_path))
    result = subprocess.run([PYTHON, out, "wf", "--s1", "Pear", "--s2", "Earth"], capture_output=True, text=True,
                            cwd=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "3\n"
    result = subprocess.run([PYTHON, out, "wf", "--s1", "Pear", "--s2", "Earth", "--json", "--no-validate"],
                            capture_output=True, text=True, cwd=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == 3


def test_script_prints_like_flowgen_run(tmp_path: Any) -> None:
    source = os.path.join(EXAMPLES, "multiple_outputs.py")
    out, _ = generate(source, str(tmp_path))
    args = ["words", "--text", "hello big world", "--values", "[3, 1, 2]"]
    generated = subprocess.run([PYTHON, out, *args], capture_output=True, text=True)
    flowgen = subprocess.run([PYTHON, "-m", "flowgen", "run", f"{source}:{args[0]}", *args[1:]],
                             capture_output=True, text=True)
    assert generated.returncode == flowgen.returncode == 0, generated.stderr + flowgen.stderr
    assert generated.stdout == flowgen.stdout
    for extra in (["--json"],):
        g = subprocess.run([PYTHON, out, *args, *extra], capture_output=True, text=True)
        f = subprocess.run([PYTHON, "-m", "flowgen", "run", f"{source}:{args[0]}", *args[1:], *extra],
                           capture_output=True, text=True)
        assert g.stdout == f.stdout


def test_script_reports_bad_input_without_traceback(tmp_path: Any) -> None:
    out, _ = generate(os.path.join(EXAMPLES, "basics.py"), str(tmp_path))
    result = subprocess.run([PYTHON, out, "basics", "--start", "x"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "'x' is not an int" in result.stderr
    assert "Traceback" not in result.stderr
    result = subprocess.run([PYTHON, out, "basics"], capture_output=True, text=True)
    assert result.returncode == 1
    assert "input 'start' (int) is missing" in result.stderr
    assert "Traceback" not in result.stderr
    result = subprocess.run([PYTHON, out, "basics", "--start", "1", "--executor", "gpu"], capture_output=True,
                            text=True)
    assert result.returncode == 2
    assert "'gpu' is not one of 'inprocess', 'threads', 'processes', 'dask'" in result.stderr
    assert "Traceback" not in result.stderr
