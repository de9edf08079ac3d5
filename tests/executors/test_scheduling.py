"""The parallel driver on threads: concurrency, bounds, start-when-ready, fail fast. No timing asserts:
concurrency is shown by tasks that can only finish when another one runs at the same time."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from flowgen import TaskError
from flowgen.runtime.api import run
from flowgen.runtime.executors import ThreadExecutor, make_executor
from tests.executors import workflows as w


@pytest.fixture(autouse=True)
def _reset() -> Iterator[None]:
    w.BARRIER.reset()
    w.RELEASE.clear()
    w.ACTIVE.update(now=0, max=0)
    w.STARTED.clear()
    yield
    w.RELEASE.set()  # never leave a blocked task behind


def test_independent_nodes_run_concurrently() -> None:
    assert run(w.two_at_once, executor="threads", max_parallelism=2) == 3


def test_a_node_starts_as_soon_as_its_inputs_exist() -> None:
    # n0 blocks until n2 runs; n2 comes later in the graph but its input (n1) is ready at once.
    assert run(w.starts_when_inputs_exist, executor="threads", max_parallelism=2) == 3


def test_max_parallelism_bounds_running_tasks() -> None:
    assert run(w.twelve_wide, executor="threads", max_parallelism=3) == list(range(12))
    assert 1 <= w.ACTIVE["max"] <= 3


def test_map_concurrency_bounds_items() -> None:
    assert run(w.mapped_two_at_a_time, executor="threads", max_parallelism=8, xs=list(range(10))) == list(range(10))
    assert 1 <= w.ACTIVE["max"] <= 2


def test_first_failure_ends_the_run_without_waiting_for_unrelated_work() -> None:
    with pytest.raises(TaskError, match="ValueError: stop") as info:
        run(w.fails_while_other_work_waits, executor="threads", max_parallelism=4)
    assert info.value.node == "n2"
    assert w.STARTED == []  # the dependent of the blocked task was cancelled, never run


def test_one_executor_serves_many_runs() -> None:
    with ThreadExecutor(2) as executor:
        assert [run(w.two_at_once, executor=executor) for _ in range(3)] == [3, 3, 3]


def test_unknown_executor_and_bad_parallelism_are_clear_errors() -> None:
    with pytest.raises(ValueError, match="unknown executor 'gpu'; choose one of inprocess, threads"):
        make_executor("gpu")
    with pytest.raises(ValueError, match="max_parallelism must be a positive int, not 0"):
        make_executor("threads", max_parallelism=0)
    with pytest.raises(ValueError, match="dask_address applies to the dask executor"):
        make_executor("threads", dask_address="tcp://x:1")


def test_executor_interface_used_directly() -> None:
    """What generated modules do: submit calls whose arguments are earlier handles."""
    with make_executor("threads", max_parallelism=2) as executor:
        a = executor.submit("a", pow, 2, 10)
        b = executor.submit("b", divmod, a, 7)
        c = executor.submit("c", divmod, 1, 0)
        d = executor.submit("d", abs, c)
        assert executor.gather([a, b]) == [1024, (146, 2)]
        assert isinstance(executor.error(d), ZeroDivisionError)
