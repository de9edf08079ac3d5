"""Generated workflows on the interpreter's executors, selected as ``flowgen run`` / ``flowgen.run`` select them.

In-process runs the generated straight-line body; threads, processes and Dask run the
module's embedded IR on the parallel driver. These tests pin the selection (Python and
script), that a parallel executor really runs nodes concurrently and elsewhere, that
results and errors are the interpreter's, and the clear errors for bad combinations.
The conformance suite (tests/conformance) runs every case on generated code too.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from types import ModuleType
from typing import Any

import pytest

from flowgen.errors import FlowgenError
from flowgen.runtime import generated as runtime
from flowgen.runtime.executors import make_executor
from flowgen.static import compile_file

from .helpers import EXAMPLES, PYTHON, generate, load

RESOURCES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "resources")
# At import (collection) time, before any test starts a process pool: forkserver workers get
# the sys.path of the moment their server started, and must be able to import these modules.
if RESOURCES not in sys.path:
    sys.path.insert(0, RESOURCES)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ModuleType]:
    out = str(tmp_path_factory.mktemp("executors"))
    sources = {"rendezvous": RESOURCES, "failures": RESOURCES, "dynamic_workflows": EXAMPLES,
               "map_tasks": EXAMPLES, "subworkflows": EXAMPLES}
    return {name: load(generate(os.path.join(root, name + ".py"), out)[0]) for name, root in sources.items()}


# -- selection from Python ------------------------------------------------------------------------
def test_threads_run_independent_nodes_concurrently(built: dict[str, ModuleType]) -> None:
    """``meet`` returns only when both calls are inside it at once: impossible in the straight-line body."""
    rendezvous = importlib.import_module("rendezvous")
    rendezvous.MEETING.reset()
    assert runtime.run(built["rendezvous"].together, executor="threads", max_parallelism=2, a=1, b=2) == 3


def test_max_parallelism_bounds_concurrency(built: dict[str, ModuleType]) -> None:
    rendezvous = importlib.import_module("rendezvous")
    rendezvous.PEAK[0] = 0
    xs = list(range(8))
    assert runtime.run(built["rendezvous"].bounded, executor="threads", max_parallelism=1, xs=xs) == xs
    assert rendezvous.PEAK[0] == 1


def test_processes_run_tasks_in_worker_processes(built: dict[str, ModuleType]) -> None:
    pids = runtime.run(built["rendezvous"].pids, executor="processes", max_parallelism=2, xs=[1, 2, 3, 4])
    assert len(pids) == 4 and os.getpid() not in pids
    assert runtime.run(built["dynamic_workflows"].wf, executor="processes", max_parallelism=2,
                       s1="Pear", s2="Earth") == 3


def test_an_executor_passed_in_is_used_and_left_running(built: dict[str, ModuleType]) -> None:
    user = importlib.import_module("map_tasks")
    with make_executor("threads", max_parallelism=3) as executor:
        for inputs in ({"xs": []}, {"xs": [1, 2, 3]}):
            expected = user.shifted(**inputs)
            assert runtime.run(built["map_tasks"].shifted, executor=executor, **inputs) == expected
        # the module's Workflow entries take the same options
        entry = runtime.workflow_of(built["subworkflows"].pipeline)
        assert entry.run({"x": 3}, executor=executor) == importlib.import_module("subworkflows").pipeline(x=3)


def test_the_validation_switch_does_not_apply_to_parallel_executors(built: dict[str, ModuleType]) -> None:
    """Validation off is an in-process speed switch; parallel runs validate (asking for both is an error)."""
    with runtime.validation(False):
        assert runtime.run(built["dynamic_workflows"].wf, executor="threads", s1="Pear", s2="Earth") == 3


def test_in_process_runs_the_generated_body_without_decoding_the_ir(built: dict[str, ModuleType]) -> None:
    module = built["subworkflows"]
    entry = runtime.workflow_of(module.pipeline)
    assert entry.program is not None
    fresh = runtime.EmbeddedProgram(entry.program.root, entry.program._json, entry.program.tasks)
    entry.program, saved = fresh, entry.program
    try:
        assert runtime.run(module.pipeline, x=3) == module.pipeline(x=3)
        assert runtime.run(module.pipeline, executor="inprocess", validate=False, x=3) == module.pipeline(x=3)
        assert fresh._workflows is None
    finally:
        entry.program = saved


def test_embedded_ir_is_the_static_front_ends(built: dict[str, ModuleType]) -> None:
    """Decoded (call sites rebased onto the source root), the module's IR equals what it was built from."""
    entry = runtime.workflow_of(built["subworkflows"].pipeline)
    assert entry.program is not None
    static = compile_file(os.path.join(EXAMPLES, "subworkflows.py"))
    for program in static.programs.values():
        for name, wf in program.workflows.items():
            assert entry.program.workflows[name] == wf.model_copy(update={"source": None})
        for name, spec in program.tasks.items():
            assert entry.program.tasks[name] == spec.model_copy(update={"source": None})


def test_dask_runs_the_reference_example(built: dict[str, ModuleType]) -> None:
    """One small run on a real local Dask cluster, made for the run and shut down after it."""
    assert runtime.run(built["dynamic_workflows"].wf, executor="dask", max_parallelism=1, s1="Pear", s2="Earth") == 3


# -- errors are the interpreter's ------------------------------------------------------------------
FAILURES = [
    ("fails_in_task", {"x": -1}),
    ("fails_in_subworkflow", {"x": -2}),
    ("fails_on_output", {"x": 1}),
    ("fails_on_index", {"n": 2}),
    ("fails_in_map", {"n": 3}),
    ("fails_in_branch", {"x": -3}),
    ("fails_in_task", {"x": "one"}),
]


@pytest.mark.parametrize(("workflow", "inputs"), FAILURES)
def test_errors_on_threads_are_the_interpreters(built: dict[str, ModuleType], workflow: str,
                                                inputs: dict[str, Any]) -> None:
    user = importlib.import_module("failures")
    with pytest.raises(FlowgenError) as expected:
        getattr(user, workflow)(**inputs)
    with pytest.raises(FlowgenError) as got:
        runtime.run(getattr(built["failures"], workflow), executor="threads", max_parallelism=2, **inputs)
    facts = lambda e: (type(e), str(e), e.workflow, e.node, e.task, e.input, e.location)  # noqa: E731
    assert facts(got.value) == facts(expected.value)


# -- bad combinations: clear errors ----------------------------------------------------------------
def test_bad_selections_are_clear_errors(built: dict[str, ModuleType]) -> None:
    wf = built["dynamic_workflows"].wf
    with pytest.raises(ValueError, match="unknown executor 'gpu'; choose one of inprocess, threads"):
        runtime.run(wf, executor="gpu", s1="a", s2="b")
    with pytest.raises(ValueError, match="dask_address applies to the dask executor, not 'threads'"):
        runtime.run(wf, executor="threads", dask_address="tcp://x:1", s1="a", s2="b")
    with pytest.raises(ValueError, match="dask_address applies to the dask executor, not 'inprocess'"):
        runtime.run(wf, dask_address="tcp://x:1", s1="a", s2="b")
    with pytest.raises(ValueError, match="max_parallelism must be a positive int"):
        runtime.run(wf, max_parallelism=0, s1="a", s2="b")
    with make_executor("threads") as executor, pytest.raises(ValueError, match="configure an executor made by name"):
        runtime.run(wf, executor=executor, max_parallelism=2, s1="a", s2="b")
    with pytest.raises(FlowgenError, match="validation cannot be turned off on the threads executor"):
        runtime.run(wf, executor="threads", validate=False, s1="a", s2="b")
    with pytest.raises(TypeError, match="runs a generated workflow function"):
        runtime.run(importlib.import_module("dynamic_workflows").wf, executor="threads", s1="a", s2="b")


def test_a_module_generated_before_executor_support_says_to_regenerate(built: dict[str, ModuleType]) -> None:
    entry = runtime.workflow_of(built["dynamic_workflows"].wf)
    old = runtime.Workflow(entry.name, entry.interface.model_dump_json(), entry.checked, entry.fast)
    assert old.run({"s1": "Pear", "s2": "Earth"}) == 3
    with pytest.raises(FlowgenError, match="predates executor support") as info:
        old.run({"s1": "Pear", "s2": "Earth"}, executor="threads")
    assert info.value.hint == "regenerate it with `flowgen build`"


# -- selection on the script -----------------------------------------------------------------------
def _script(path: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PYTHON, path, *args], capture_output=True, text=True)


def test_script_selects_executors_like_flowgen_run(tmp_path: Any) -> None:
    out, _ = generate(os.path.join(EXAMPLES, "dynamic_workflows.py"), str(tmp_path))
    for extra in (["--executor", "threads", "--max-parallelism", "2"], ["--executor", "processes", "--json"]):
        result = _script(out, "wf", "--s1", "Pear", "--s2", "Earth", *extra)
        assert (result.returncode, result.stdout) == (0, "3\n"), result.stderr
    result = _script(out, "wf", "--help")
    for option in ("--executor [inprocess|threads|processes|dask]", "--max-parallelism", "--dask-address"):
        assert option in result.stdout


def test_script_rejects_bad_combinations_without_traceback(tmp_path: Any) -> None:
    out, _ = generate(os.path.join(EXAMPLES, "basics.py"), str(tmp_path))
    result = _script(out, "basics", "--start", "1", "--dask-address", "tcp://x:1")
    assert result.returncode == 2 and "--dask-address needs --executor dask" in result.stderr
    result = _script(out, "basics", "--start", "1", "--max-parallelism", "0")
    assert result.returncode == 2 and "--max-parallelism" in result.stderr
    result = _script(out, "basics", "--start", "1", "--executor", "threads", "--no-validate")
    assert result.returncode == 1 and "validation cannot be turned off on the threads executor" in result.stderr
    assert "Traceback" not in result.stderr
