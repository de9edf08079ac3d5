"""map_task and conditional: IR nodes, run-time behaviour, and the compile-time errors."""

import functools
from typing import Optional

import conditionals
import map_tasks
import pytest

from flowgen import (
    CompileError,
    ConditionalFailure,
    DefinitionError,
    InputValidationError,
    MapTaskError,
    TaskError,
    WiringError,
    conditional,
    map_task,
    task,
    workflow,
)
from flowgen.ir.model import ConditionalNode, MapNode
from tests.core.markers import line_of

RAN: list[str] = []


@task
def inc(x: int) -> int:
    RAN.append(f"inc {x}")
    return x + 1


@task
def add(x: int, y: int) -> int:
    return x + y


@task
def fails_on_odd(x: int) -> int:
    if x % 2:
        raise ValueError(f"odd {x}")
    return x


def test_map_task_node_and_results() -> None:
    node = map_tasks.shifted.compile_program().root.nodes[1]
    assert isinstance(node, MapNode) and node.mapped == ("x",) and node.concurrency == 4
    assert map_tasks.shifted(xs=[1, 2]) == [101, 102]
    assert map_tasks.shifted(xs=[]) == []


def test_map_task_zips_several_lists_and_checks_lengths() -> None:
    @workflow
    def wf(xs: list[int], ys: list[int]) -> list[int]:
        return map_task(add)(x=xs, y=ys)

    assert wf(xs=[1, 2], ys=[10, 20]) == [11, 22]
    with pytest.raises(InputValidationError, match="different lengths x=2, y=1"):
        wf(xs=[1, 2], ys=[1])


def test_map_task_min_success_ratio() -> None:
    @workflow
    def wf(xs: list[int]) -> list[Optional[int]]:
        return map_task(fails_on_odd, min_success_ratio=0.5)(x=xs)

    assert wf(xs=[0, 1, 2]) == [0, None, 2]
    with pytest.raises(MapTaskError, match=r"failed indices: \[1, 2, 3\]"):
        wf(xs=[0, 1, 3, 5])

    @workflow
    def strict(xs: list[int]) -> list[int]:
        return map_task(fails_on_odd)(x=xs)

    with pytest.raises(TaskError) as info:
        strict(xs=[0, 1])
    assert info.value.node == "n0[1]"


def test_map_task_over_a_non_list_is_a_compile_error() -> None:
    def wf(x: int) -> list[int]:
        return map_task(inc)(x=x)  # HERE

    with pytest.raises(WiringError, match="expects list\\[int\\]") as info:
        workflow(wf).compile_program()
    assert info.value.location is not None and info.value.location.line == line_of(wf, "# HERE")
    assert "map_task maps over lists" in str(info.value)


def test_map_task_definition_errors() -> None:
    with pytest.raises(DefinitionError, match="by keyword"):
        map_task(functools.partial(add, 1))
    with pytest.raises(DefinitionError, match="no input"):
        map_task(functools.partial(add, z=1))
    with pytest.raises(DefinitionError, match="min_success_ratio"):
        map_task(add, min_success_ratio=2)


def test_map_task_outside_a_workflow_runs() -> None:
    assert map_task(functools.partial(add, y=1))(x=[1, 2]) == [2, 3]


def test_conditional_node_and_only_the_taken_branch_runs() -> None:
    RAN.clear()

    @workflow
    def wf(n: int) -> int:
        return conditional("c").if_(n > 1).then(inc(x=n)).else_().then(add(x=n, y=10))

    node = wf.compile_program().root.nodes[0]
    assert isinstance(node, ConditionalNode) and [n.id for n in node.cases[0].branch.nodes] == ["n0.b0.n0"]
    assert node.else_branch.nodes[0].id == "n0.b1.n0"
    assert wf(n=5) == 6 and RAN == ["inc 5"]
    assert wf(n=0) == 10 and RAN == ["inc 5"]


@pytest.mark.parametrize(("n", "seed"), [(3.0, 0), (20.0, 2), (20.0, 1), (10.0, 0)])
def test_conditional_example(n: float, seed: int) -> None:
    assert conditionals.classify(n=n, seed=seed) == conditionals.reference(n=n, seed=seed)


def test_fail_branch() -> None:
    with pytest.raises(ConditionalFailure, match="n must be positive"):
        conditionals.classify(n=-1.0, seed=0)


def test_conditions_combine_and_check() -> None:
    @task
    def maybe(x: int) -> Optional[int]:
        return None if x < 0 else x

    @workflow
    def wf(x: int) -> int:
        m = maybe(x=x)
        return (
            conditional("c")
            .if_(m.is_none())
            .then(add(x=0, y=0))
            .elif_((x > 10) | (x == 5))
            .then(add(x=x, y=100))
            .else_()
            .then(add(x=x, y=1))
        )

    assert [wf(x=v) for v in (-1, 5, 11, 2)] == [0, 105, 111, 3]


def test_conditional_compile_errors() -> None:
    def no_else(n: int) -> int:
        conditional("c").if_(n > 1).then(inc(x=n))  # HERE
        return inc(x=n)

    def python_bool(n: int) -> int:
        return conditional("c").if_(True).then(inc(x=n)).else_().then(inc(x=n))  # HERE

    def promise_alone(b: bool, n: int) -> int:
        return conditional("c").if_(b).then(inc(x=n)).else_().then(inc(x=n))  # HERE

    def used_unfinished(n: int) -> int:
        return inc(x=conditional("c").if_(n > 1).then(inc(x=n)))  # HERE

    for fn, error, words in (
        (no_else, WiringError, "has no else_()"),
        (python_bool, CompileError, "Python bool"),
        (promise_alone, CompileError, "is_true()"),
        (used_unfinished, WiringError, "without an else_()"),
    ):
        with pytest.raises(error) as info:
            workflow(fn).compile_program()
        assert words in str(info.value)
        assert info.value.location is not None and info.value.location.line == line_of(fn, "# HERE"), fn.__name__


def test_branches_must_agree_and_types_widen() -> None:
    @task
    def f() -> float:
        return 0.5

    @workflow
    def widen(n: int) -> float:
        return conditional("c").if_(n > 0).then(inc(x=n)).else_().then(f())

    assert widen(n=1) == 2.0 and isinstance(widen(n=1), float)

    def fewer(n: int) -> int:
        return conditional("c").if_(n > 0).then(inc(x=n)).else_().then((inc(x=n), inc(x=n)))

    # As in flytekit, branches that return different numbers of values give the outputs all have.
    assert workflow(fewer)(n=1) == 2
