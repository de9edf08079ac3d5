"""The conformance suite: every executor gives the in-process results and errors.

Each test runs once per executor (``run`` fixture, see conftest.py) and compares
with the in-process interpreter (``wf(**inputs)``) or with plain Python. Errors
are compared whole: type, message, and the facts they carry.
"""

from __future__ import annotations

import importlib
import os
import random
import string
from collections import Counter
from typing import Any

import dynamic_workflows
import pytest

from flowgen import (
    ConditionalFailure,
    FlowgenError,
    InputValidationError,
    MapTaskError,
    OutputValidationError,
    TaskError,
    TaskTimeoutError,
)
from flowgen.runtime import cache as cache_module
from tests.conformance import workflows as w
from tests.conftest import EXAMPLES


def outcome(call: Any) -> tuple[Any, ...]:
    """What a call produced: its value, or its error's type, message and facts."""
    try:
        return ("ok", call())
    except FlowgenError as exc:
        return (type(exc).__name__, str(exc), exc.workflow, exc.node, exc.task, exc.input)


def read(path: str) -> str:
    """The number of calls counted in ``path`` (see ``workflows.bump``), as text."""
    with open(path) as f:
        return str(len(f.read().splitlines()))


def in_process(wf: Any, **inputs: Any) -> tuple[Any, ...]:
    return outcome(lambda: wf(**inputs))


# -- results ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("wf", "inputs", "expected"), [
    (w.diamond, {"x": 3}, 10),
    (w.fan_in, {}, sum(i * i for i in range(12)) + 12),
    (w.named, {"xs": [3, 1, 2]}, w.Stats(lo=2, hi=6)),
    (w.outer, {"x": 2}, (4 + 10) + (4 + 1)),
])
def test_results(run: Any, wf: Any, inputs: dict[str, Any], expected: Any) -> None:
    assert run(wf, **inputs) == expected


def test_results_do_not_depend_on_completion_order(run: Any) -> None:
    xs = list(range(20))
    assert run(w.mapped_jitter, xs=xs) == [x * x for x in xs]


def test_reference_example(run: Any) -> None:
    rng = random.Random(7)
    s1 = "".join(rng.choice(string.ascii_letters) for _ in range(40))
    s2 = "".join(rng.choice(string.ascii_letters) for _ in range(40))
    c1, c2 = Counter(s1.lower()), Counter(s2.lower())
    assert run(dynamic_workflows.wf, s1="Pear", s2="Earth") == 3
    assert run(dynamic_workflows.wf, s1=s1, s2=s2) == sum(min(c1[k], c2[k]) for k in c1)


def _example_runs() -> list[tuple[str, str, dict[str, Any]]]:
    runs = []
    for filename in sorted(os.listdir(EXAMPLES)):
        if filename.endswith(".py"):
            module = importlib.import_module(filename[:-3])
            for name, inputs_list in getattr(module, "RUNS", {}).items():
                runs += [(filename[:-3], name, inputs) for inputs in inputs_list]
    return runs


@pytest.mark.parametrize(("module", "name", "inputs"), _example_runs())
def test_examples_agree_with_in_process(run: Any, module: str, name: str, inputs: dict[str, Any]) -> None:
    wf = getattr(importlib.import_module(module), name)
    assert outcome(lambda: run(wf, **inputs)) == in_process(wf, **inputs)


# -- errors ----------------------------------------------------------------------------------------
def test_task_error_names_node_task_and_cause(run: Any) -> None:
    got = outcome(lambda: run(w.fails, x=3))
    assert got == in_process(w.fails, x=3)
    kind, message, workflow, node, task, _ = got
    assert kind == "TaskError" and "ValueError: boom 3" in message
    assert (workflow, node, task) == (w.fails.name, "n1", w.explode.name)


def test_output_validation_error(run: Any) -> None:
    got = outcome(lambda: run(w.returns_wrong_type, x=3))
    assert got == in_process(w.returns_wrong_type, x=3)
    assert got[0] == OutputValidationError.__name__ and got[3] == "n0"


def test_bad_workflow_input_is_rejected_before_running(run: Any) -> None:
    with pytest.raises(InputValidationError, match="input 'x'"):
        run(w.diamond, x="three")


# -- value semantics -------------------------------------------------------------------------------
def test_value_semantics(run: Any) -> None:
    # Each mutate() gets its own copy; total() sees the list as make_list returned it.
    assert run(w.shared_value, n=3) == (4, 3, 4)


# -- retries and timeouts --------------------------------------------------------------------------
def test_retries_until_success(run: Any, tmp_path: Any) -> None:
    path = str(tmp_path / "attempts")
    assert run(w.retried, path=path, failures=2) == 3
    assert read(path) == "3"


def test_retries_exhausted(run: Any, tmp_path: Any) -> None:
    path = str(tmp_path / "attempts")
    with pytest.raises(TaskError, match=r"failed after 3 attempts: RuntimeError: attempt 3 fails") as info:
        run(w.retried, path=path, failures=5)
    assert info.value.attempts == 3 and info.value.node == "n0"
    assert read(path) == "3"


def test_timeout(run: Any) -> None:
    assert run(w.timed, seconds=0.0) == 0.0
    with pytest.raises(TaskTimeoutError, match=r"timed out after 0\.3 s") as info:
        run(w.timed, seconds=1.5)
    assert info.value.node == "n0" and info.value.task == w.slow.name


# -- caching ---------------------------------------------------------------------------------------
@pytest.fixture
def cache_dir(tmp_path: Any) -> Any:
    cache_module.set_cache_dir(str(tmp_path / "cache"))
    yield tmp_path / "cache"
    cache_module.set_cache_dir(None)


def test_caching(run: Any, cache_dir: Any, tmp_path: Any) -> None:
    path = str(tmp_path / "calls")
    assert run(w.cached_squares, path=path) == 25
    assert read(path) == "2"
    assert run(w.cached_squares, path=path) == 25
    assert read(path) == "2"  # both served from the cache


# -- map_task --------------------------------------------------------------------------------------
def test_map_task(run: Any) -> None:
    assert run(w.mapped, xs=[1, 2, 3, 4, 5]) == [101, 102, 103, 104, 105]
    assert run(w.mapped, xs=[]) == []


def test_map_task_min_success_ratio(run: Any) -> None:
    assert run(w.tolerant, texts=["1", "2", "x", "9"]) == 4.0
    got = outcome(lambda: run(w.tolerant, texts=["x", "y", "1"]))
    assert got == in_process(w.tolerant, texts=["x", "y", "1"])
    assert got[0] == MapTaskError.__name__


def test_map_task_item_failure(run: Any) -> None:
    got = outcome(lambda: run(w.strict, texts=["1", "x", "3"]))
    assert got == in_process(w.strict, texts=["1", "x", "3"])
    assert got[0] == "TaskError" and got[3] == "n0[1]"


def test_map_task_length_mismatch(run: Any) -> None:
    got = outcome(lambda: run(w.zipped, xs=[1, 2], ys=[1]))
    assert got == in_process(w.zipped, xs=[1, 2], ys=[1])
    assert got[0] == InputValidationError.__name__ and "different lengths x=2, y=1" in got[1]


# -- conditional -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("x", "expected"), [(6, 13), (7, 16), (3, 12), (0, 0)])
def test_conditional(run: Any, x: int, expected: int) -> None:
    assert run(w.branchy, x=x) == expected


def test_conditional_fail_branch(run: Any) -> None:
    got = outcome(lambda: run(w.branchy, x=-1))
    assert got == in_process(w.branchy, x=-1)
    assert got[0] == ConditionalFailure.__name__ and "x must not be negative" in got[1]


# -- dynamic ---------------------------------------------------------------------------------------
def test_dynamic_nested(run: Any) -> None:
    n = 4
    assert run(w.dynamic_nested, n=2) == sum(i * 2**i for i in range(n))


def test_dynamic_list_output(run: Any) -> None:
    assert run(w.dynamic_list, s="flow") == [2 * ord(c) for c in "flow"]


# -- functions that cannot be imported by workers travel by value ----------------------------------
def test_tasks_defined_in_a_function(run_interpreted: Any) -> None:
    run = run_interpreted
    from flowgen import task, workflow

    factor = 7

    @task
    def scale(x: int) -> int:
        return x * factor

    @workflow
    def local(x: int) -> int:
        return scale(x=scale(x=x))

    assert run(local, x=2) == 98


def test_generated_code_refuses_a_workflow_no_source_file_holds(generated_modules: Any) -> None:
    from flowgen import task, workflow

    @task
    def one() -> int:
        return 1

    @workflow
    def local() -> int:
        return one()

    with pytest.raises(LookupError, match="defined inside a function"):
        generated_modules.function(local)
