"""`flowgen check` reports no error on a program that runs under flowgen: every program in examples/
and tests/core/flyte_programs/ (the Flyte ones with only the import changed), and static IR ==
traced IR for the workflows of the issue-12 programs."""

import glob
import json
import os
import subprocess
import sys

import pytest

from flowgen.static import compile_file
from tests.core.test_flyte_api_semantics import load_flyte_program

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(ROOT, "examples")
FLYTE = os.path.join(ROOT, "tests", "core", "flyte_programs")


def _flyte_copies(directory: str) -> list[str]:
    paths = []
    for name in sorted(os.listdir(FLYTE)):
        if name.endswith(".py"):
            source = open(os.path.join(FLYTE, name)).read().replace("from flytekit import", "from flowgen import")
            path = os.path.join(directory, "flyte_" + name)  # names of their own (examples/flyte/ has some)
            with open(path, "w") as f:
                f.write(source)
            paths.append(path)
    return paths


def test_check_reports_no_error_on_any_program(tmp_path) -> None:
    examples = sorted(glob.glob(os.path.join(EXAMPLES, "**", "*.py"), recursive=True))
    paths = examples + _flyte_copies(str(tmp_path))
    done = subprocess.run([sys.executable, "-m", "flowgen", "check", "--format", "json", *paths],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode in (0, 1), done.stderr
    errors = [d for d in json.loads(done.stdout)["diagnostics"] if d["severity"] == "error"]
    assert errors == [], "\n".join(f"{d['path']}:{d['line']}: {d['code']} {d['message']}" for d in errors)
    assert len(paths) >= len(examples) + 8


@pytest.mark.parametrize("name", ["unannotated", "imperative", "context_and_secrets"])
def test_static_ir_equals_traced_ir(name: str, tmp_path) -> None:
    module = load_flyte_program(name, str(tmp_path))
    result = compile_file(module.__file__)
    assert result.diagnostics == () or all(d.severity != "error" for d in result.diagnostics)
    assert result.programs, name
    for wf_name, static in result.programs.items():
        traced = getattr(module, wf_name.rpartition(".")[2]).compile_program()
        strip = lambda p: p.model_dump(exclude={"workflows": {"__all__": {"source"}}})  # noqa: E731
        assert static.model_dump_json() == traced.model_dump_json() or strip(static) == strip(traced), wf_name


FLYTE_EXAMPLES = {
    "unannotated.py": ["summarizing", "(6, {0: 'a', 1: 'b'})", "workflow unannotated.summarize",
                       "  inputs (2): xs: list[int], words: list[str]", "  outputs (2): o0: int, o1: dict[int, str]"],
    "context_and_secrets.py": None,  # checked below: the execution name varies
    "imperative.py": ["workflow my.imperative.workflow.example", "  inputs (1): in1: str",
                      "  outputs (2): from_n0t1: str, from_n1t2: dict[str, int]",
                      "('hello world', {'hello': 5, 'hello world': 11})", "hello world world"],
    "eager.py": ["14", "55"],
    "deck.py": ["6"],
}


@pytest.mark.parametrize("name", sorted(FLYTE_EXAMPLES))
def test_flyte_feature_examples_run_as_scripts(name: str) -> None:
    env = {**os.environ, "_FSEC_API_TOKEN": "abc123"}
    done = subprocess.run([sys.executable, os.path.join(EXAMPLES, "flyte", name)], capture_output=True, text=True,
                          timeout=300, env=env, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    expected = FLYTE_EXAMPLES[name]
    if expected is None:
        assert len(lines) == 1 and lines[0].endswith(": called 2 times with a 6-character token"), done.stdout
    else:
        assert lines == expected, done.stdout
