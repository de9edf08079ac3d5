"""A generated module's script takes ``flowgen run``'s run options; ``flowgen.run`` takes its functions.

The script shares :mod:`flowgen.cli.run`'s option lists and its ``run_observed`` wrapper
(cache options, ``--report``, progress, Ctrl-C); observed runs go through the module's
embedded IR on the interpreter. These tests pin the options on the script, the observed
path from Python, the Ctrl-C exit, and ``flowgen.run`` on a generated workflow function.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from types import ModuleType
from typing import Any

import click
import pytest

import flowgen
from flowgen.cli.run import run_observed
from flowgen.errors import FlowgenError
from flowgen.report import RunRecorder
from flowgen.runtime import generated as runtime
from flowgen.runtime.executors import Executor
from flowgen.runtime.progress import RunProgress, count_nodes

from .helpers import EXAMPLES, PYTHON, generate, load


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ModuleType]:
    out = str(tmp_path_factory.mktemp("script_options"))
    if EXAMPLES not in sys.path:
        sys.path.insert(0, EXAMPLES)
    return {name: load(generate(os.path.join(EXAMPLES, name + ".py"), out)[0])
            for name in ("dynamic_workflows", "basics")}


def _script(path: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "FLOWGEN_CACHE_DIR"}
    return subprocess.run([PYTHON, path, *args], capture_output=True, text=True, env=env)


def _files_under(path: str) -> list[str]:
    return [os.path.join(d, f) for d, _, files in os.walk(path) for f in files]


# -- the script ------------------------------------------------------------------------------------
def test_script_help_lists_flowgen_runs_options(tmp_path: Any) -> None:
    out, _ = generate(os.path.join(EXAMPLES, "basics.py"), str(tmp_path))
    result = _script(out, "basics", "--help")
    assert result.returncode == 0, result.stderr
    for option in ("--inputs", "--json", "--cache-dir", "--no-cache", "--report", "--executor",
                   "--max-parallelism", "--dask-address", "--no-progress", "--no-validate"):
        assert option in result.stdout, option


def test_script_fills_the_cache_dir_it_is_given_and_no_cache_leaves_it_empty(tmp_path: Any) -> None:
    out, _ = generate(os.path.join(EXAMPLES, "caching.py"), str(tmp_path / "gen"))
    cache = str(tmp_path / "cache")
    first = _script(out, "report", "--n", "5", "--cache-dir", cache)
    assert (first.returncode, first.stdout) == (0, "total=30 seed=0\n"), first.stderr
    stored = _files_under(cache)
    assert stored, "the cached tasks' results are stored under --cache-dir"
    again = _script(out, "report", "--n", "5", "--cache-dir", cache, "--no-progress")
    assert (again.returncode, again.stdout) == (0, "total=30 seed=0\n"), again.stderr
    assert sorted(_files_under(cache)) == sorted(stored)  # served, nothing new written

    untouched = str(tmp_path / "untouched")
    result = _script(out, "report", "--n", "4", "--cache-dir", untouched, "--no-cache")
    assert (result.returncode, result.stdout) == (0, "total=14 seed=0\n"), result.stderr
    assert _files_under(untouched) == []


def test_script_report_writes_the_html_run_report(tmp_path: Any) -> None:
    out, _ = generate(os.path.join(EXAMPLES, "dynamic_workflows.py"), str(tmp_path / "gen"))
    for extra in ([], ["--executor", "threads"]):
        path = str(tmp_path / f"run{len(extra)}.html")
        result = _script(out, "wf", "--s1", "Pear", "--s2", "Earth", "--report", path, *extra)
        assert (result.returncode, result.stdout) == (0, "3\n"), result.stderr
        assert f"wrote run report {path}" in result.stderr
        with open(path, encoding="utf-8") as f:
            html = f.read()
        assert html.lstrip().lower().startswith("<!doctype html") and "dynamic_workflows" in html


def test_script_refuses_report_with_no_validate(tmp_path: Any) -> None:
    out, _ = generate(os.path.join(EXAMPLES, "basics.py"), str(tmp_path))
    result = _script(out, "basics", "--start", "1", "--no-validate", "--report", str(tmp_path / "r.html"))
    assert result.returncode == 2 and "--report" in result.stderr and "--no-validate" in result.stderr
    assert "Traceback" not in result.stderr and not os.path.exists(tmp_path / "r.html")


# -- the observed path from Python -----------------------------------------------------------------
def test_an_observed_in_process_run_runs_the_embedded_ir(built: dict[str, ModuleType]) -> None:
    entry = runtime.workflow_of(built["dynamic_workflows"].wf)
    program = entry.ir()
    assert program is not None
    progress = RunProgress(count_nodes(program))
    assert entry.run({"s1": "Pear", "s2": "Earth"}, observer=progress) == 3
    assert progress.done >= count_nodes(program) and progress.failed == 0
    with pytest.raises(FlowgenError, match="validation cannot be turned off in a run with an observer"):
        entry.run({"s1": "Pear", "s2": "Earth"}, observer=RunProgress(), validate=False)


def test_ctrl_c_exits_130_with_the_summary(built: dict[str, ModuleType], capsys: pytest.CaptureFixture[str]) -> None:
    entry = runtime.workflow_of(built["basics"].basics)

    def interrupted(observer: Any, executor: Executor) -> dict[str, Any]:
        raise KeyboardInterrupt

    with pytest.raises(SystemExit) as info:
        run_observed(entry.ir, entry.name, interrupted, executor="threads")
    assert info.value.code == 130
    assert "interrupted" in capsys.readouterr().err
    with pytest.raises(click.UsageError, match="--dask-address needs --executor dask"):
        run_observed(entry.ir, entry.name, interrupted, dask_address="tcp://x:1")


# -- flowgen.run -----------------------------------------------------------------------------------
def test_flowgen_run_runs_a_generated_workflow_function(built: dict[str, ModuleType]) -> None:
    generated = built["dynamic_workflows"].wf
    source = importlib.import_module("dynamic_workflows").wf
    expected = source(s1="Pear", s2="Earth")
    assert flowgen.run(generated, s1="Pear", s2="Earth") == expected
    assert flowgen.run(generated, executor="threads", max_parallelism=2, s1="Pear", s2="Earth") == expected
    recorder = RunRecorder(runtime.workflow_of(generated).ir())  # type: ignore[arg-type]
    assert flowgen.run(generated, observer=recorder, s1="Pear", s2="Earth") == expected
    assert recorder.records, "the observer heard the run's nodes"
    from flowgen.runtime.api import run_outputs

    assert run_outputs(built["basics"].basics, {"start": 1}) == {"o0": built["basics"].basics(start=1)}
    with pytest.raises(TypeError, match="generated workflow function"):
        flowgen.run(len)
