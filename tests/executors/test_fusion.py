"""Task fusion on Dask (flowgen.runtime.executors.fusion): which nodes run as one call, and that
fused runs give the same results, errors and reports as unfused ones."""

from __future__ import annotations

from typing import Any

import pytest

from flowgen import TaskError, task, workflow
from flowgen.runtime.api import run
from flowgen.runtime.executors.fusion import MAX_GROUP, fuse_groups
from tests.executors import workflows as w


@task
def inc(x: int) -> int:
    return x + 1


@task
def pair(a: int, b: int) -> int:
    return a + b


@task
def many(xs: list[int]) -> int:
    return sum(xs)


@task
def boom(x: int) -> int:
    raise ValueError(f"boom {x}")


@workflow
def chain() -> int:
    return inc(x=inc(x=inc(x=0)))


@workflow
def chain_with_leaves() -> int:  # the reference example's shape: each step reads one fresh task
    total = 0
    for i in range(6):
        total = pair(a=total, b=inc(x=i))
    return total


@workflow
def fan_in() -> int:
    return many(xs=[inc(x=i) for i in range(8)])


@workflow
def shared() -> tuple[int, int]:
    a = inc(x=1)
    return inc(x=a), inc(x=a)  # a has two readers: it runs on its own


@workflow
def fails_in_chain() -> int:
    return inc(x=boom(x=inc(x=1)))


def groups(wf: Any) -> list[list[str]]:
    spec = wf.compile_program().workflows[wf.name]
    return fuse_groups(spec.nodes, [s for b in spec.outputs.values() for s in [getattr(b, "node", None)] if s])


def test_a_chain_fuses_into_one_call() -> None:
    assert groups(chain) == [["n0", "n1", "n2"]]


def test_a_chain_whose_steps_read_a_fresh_task_fuses() -> None:
    (group,) = groups(chain_with_leaves)
    assert len(group) == 12 and group[-1] == "n11"


def test_a_fan_in_is_not_fused() -> None:
    assert groups(fan_in) == []


def test_a_value_read_twice_is_not_fused_into_either_reader() -> None:
    assert all("n0" not in g for g in groups(shared))


def test_groups_are_capped() -> None:
    @workflow
    def long_chain() -> int:
        x = 0
        for _ in range(MAX_GROUP + 10):
            x = inc(x=x)
        return x

    sizes = [len(g) for g in groups(long_chain)]
    assert max(sizes) <= MAX_GROUP and sum(sizes) == MAX_GROUP + 10


@pytest.fixture(scope="module")
def dask_executors() -> Any:
    from flowgen.runtime.executors.dask import DaskExecutor

    with DaskExecutor(2) as fused:
        yield fused, DaskExecutor(fuse=False, client=fused.client)


class Recorder:
    def __init__(self) -> None:
        self.finished: list[str] = []
        self.started: list[str] = []

    def node_started(self, path: str, node: Any, **_: Any) -> None:
        self.started.append(path)

    def node_finished(self, path: str, node: Any, status: str, duration: float, **facts: Any) -> None:
        self.finished.append(path)

    def nodes_added(self, parent: str, count: int) -> None:
        pass


def dask_calls(executor: Any, wf: Any, **kwargs: Any) -> tuple[Any, int]:
    """The workflow's result on ``executor`` and how many Dask calls ran for it."""
    from distributed import get_task_stream

    with get_task_stream(executor.client) as stream:
        result = run(wf, executor=executor, **kwargs)
    return result, len(stream.data)


@pytest.mark.parametrize("wf", [chain, chain_with_leaves, fan_in, shared, w.two_hundred])
def test_fused_runs_give_the_same_results_in_fewer_calls(dask_executors: Any, wf: Any) -> None:
    fused, unfused = dask_executors
    (got, calls), (want, all_calls) = dask_calls(fused, wf), dask_calls(unfused, wf)
    assert got == want == wf()
    if wf in (fan_in, shared):
        assert calls == all_calls  # nothing to fuse: every task is its own call
    else:
        assert calls < all_calls


def test_with_an_observer_fused_nodes_are_each_reported(dask_executors: Any) -> None:
    fused, unfused = dask_executors
    seen, unseen = Recorder(), Recorder()
    from distributed import get_task_stream

    with get_task_stream(fused.client) as stream:
        assert run(chain_with_leaves, executor=fused, observer=seen) == 21
    assert run(chain_with_leaves, executor=unfused, observer=unseen) == 21
    assert len(stream.data) < 12  # fused, yet every node started and finished on its own
    assert sorted(seen.finished) == sorted(unseen.finished) == sorted(f"n{i}" for i in range(12))
    assert sorted(seen.started) == sorted(seen.finished)


def test_a_failure_inside_a_fused_call_is_the_same_error(dask_executors: Any) -> None:
    fused, unfused = dask_executors
    errors = []
    for executor in (fused, unfused):
        with pytest.raises(TaskError) as info:
            run(fails_in_chain, executor=executor)
        errors.append((str(info.value), info.value.node, info.value.task))
    assert errors[0] == errors[1] and errors[0][1] == "n1"
