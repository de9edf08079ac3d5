"""Dask: a real local cluster (two worker processes), killed workers, and an existing scheduler."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from typing import Any

import pytest
from distributed import LocalCluster

from flowgen.runtime.api import run
from flowgen.runtime.executors.dask import DaskExecutor
from tests.executors import workflows as w


@pytest.fixture(scope="module")
def dask_executor() -> Iterator[DaskExecutor]:
    with DaskExecutor(2) as executor:
        yield executor  # type: ignore[misc]


class KillOneWorker:
    """An observer that kills a worker process once ``after`` task nodes have finished."""

    def __init__(self, executor: DaskExecutor, after: int) -> None:
        self.executor = executor
        self.after = after
        self.finished = 0
        self.killed: int | None = None

    def node_started(self, path: str, node: Any, **_: Any) -> None:
        pass

    def node_finished(self, path: str, node: Any, status: str, duration: float, **facts: Any) -> None:
        self.finished += 1
        if self.finished == self.after:
            self.killed = next(iter(self.executor.worker_pids().values()))
            os.kill(self.killed, signal.SIGKILL)

    def nodes_added(self, parent: str, count: int) -> None:
        pass


def test_a_killed_worker_does_not_lose_the_run(dask_executor: DaskExecutor) -> None:
    before = set(dask_executor.worker_pids().values())
    killer = KillOneWorker(dask_executor, after=60)
    # 200 steps on 4 chains (+ the sum): intermediate values live on the workers when one dies.
    assert run(w.two_hundred, executor=dask_executor, observer=killer) == 0 + 1 + 2 + 3 + 200
    assert killer.killed in before
    assert killer.finished >= 201


def test_tasks_run_in_worker_processes(dask_executor: DaskExecutor) -> None:
    pids = set(dask_executor.worker_pids().values())
    handle = dask_executor.submit("pid", w.pid)
    assert dask_executor.gather([handle])[0] in pids and os.getpid() not in pids


def test_existing_scheduler_with_max_parallelism() -> None:
    with LocalCluster(n_workers=1, threads_per_worker=4, processes=False, dashboard_address=":0") as cluster:
        with DaskExecutor(1, address=cluster.scheduler_address) as executor:
            assert run(w.twelve_wide, executor=executor) == list(range(12))
        assert w.ACTIVE["max"] == 1  # the semaphore held the four worker threads to one task at a time
        assert cluster.scheduler.workers  # connecting and leaving did not stop the cluster


def test_a_stuck_cluster_does_not_hold_up_the_summary_after_ctrl_c(monkeypatch: pytest.MonkeyPatch) -> None:
    """After Ctrl-C the executor asks the scheduler and the workers what finished; one that does
    not answer is given up on (the run then says its nodes were not counted) instead of waiting."""
    import threading
    import time

    from flowgen.runtime.executors import dask as dask_executor

    release = threading.Event()

    class StuckWorkers:
        def run_on_scheduler(self, function: Any, keys: list[str], settled: list[str]) -> list[str]:
            return keys

        def run(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
            release.wait(30)
            return {}

    class Execution:
        name = "run-1"

    monkeypatch.setattr(dask_executor, "_STOP_QUERY_WAIT", 0.3)
    executor = DaskExecutor(client=StuckWorkers())  # type: ignore[arg-type]
    started = time.monotonic()
    try:
        with pytest.raises(TimeoutError, match=r"no answer from the Dask cluster within 0\.3 s"):
            executor.stopped_steps("r1", Execution(), {})
        assert time.monotonic() - started < 5
    finally:
        release.set()
    # a cluster that answers is read as before
    answering = DaskExecutor(client=type("Answering", (StuckWorkers,), {"run": lambda self, *a, **k: {}})())  # type: ignore[arg-type]
    assert answering.stopped_steps("r1", Execution(), {}) == (set(), set(), set(), set())


def test_a_call_only_just_submitted_is_not_counted_finished_after_ctrl_c() -> None:
    """Under load the scheduler may not know yet a key the client has just submitted: that call
    has not finished (it was counted finished, and the summary said 6 nodes run instead of 4).
    A key the scheduler forgot after the client let its future go, or one the client saw finish,
    is finished."""
    from types import SimpleNamespace

    def key(name: str) -> str:
        return f"{name}-r1-0"  # a task key carries its run's tag

    scheduler = SimpleNamespace(tasks={
        key("in-memory"): SimpleNamespace(state="memory", nbytes=8),
        key("released-after-running"): SimpleNamespace(state="released", nbytes=8),
        key("waiting"): SimpleNamespace(state="waiting", nbytes=-1),
    })

    class Client:
        def __init__(self) -> None:
            self.futures = {key("just-submitted"): SimpleNamespace(status="pending"),
                            key("seen-finished"): SimpleNamespace(status="finished"),
                            key("waiting"): SimpleNamespace(status="pending")}

        def run_on_scheduler(self, function: Any, *args: Any) -> Any:
            return function(*args, dask_scheduler=scheduler)

        def run(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
            return {}

    executor = DaskExecutor(client=Client())  # type: ignore[arg-type]
    names = ["in-memory", "released-after-running", "waiting", "just-submitted", "seen-finished", "let-go"]
    executor._steps.update({key(name): ("unit", name) for name in names})
    done, _, _, _ = executor.stopped_steps("r1", None, {})
    assert done == {"in-memory", "released-after-running", "seen-finished", "let-go"}
