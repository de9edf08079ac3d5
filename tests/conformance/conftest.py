"""The executors the conformance suite runs on, one instance each for the whole session.

Every test that takes the ``run`` fixture runs once per entry of ``EXECUTORS``;
``run(workflow, **inputs)`` returns what ``workflow(**inputs)`` returns in-process.
Each parallel executor is started once (a thread pool, a process pool, a real
Dask ``LocalCluster`` of two worker processes) and shut down at the end of the
session. A new back end (generated modules, say) joins the suite by adding a
runner here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from flowgen.runtime.api import run as run_on
from flowgen.runtime.executors import Executor, make_executor

Runner = Callable[..., Any]

EXECUTORS = ["inprocess", "threads", "processes", "dask"]
_SIZES = {"threads": 4, "processes": 2, "dask": 2}
_started: dict[str, Executor] = {}


def started_executor(name: str) -> Executor:
    """The session's executor of that name, started on first use."""
    executor = _started.get(name)
    if executor is None:
        executor = make_executor(name, max_parallelism=_SIZES.get(name))
        executor.start()
        _started[name] = executor
    return executor


@pytest.fixture(scope="session", autouse=True)
def _shutdown_executors() -> Iterator[None]:
    yield
    for executor in _started.values():
        executor.shutdown()
    _started.clear()


@pytest.fixture(params=EXECUTORS)
def run(request: pytest.FixtureRequest) -> Runner:
    name = request.param
    if name == "inprocess":
        return lambda wf, **inputs: run_on(wf, executor="inprocess", **inputs)
    executor = started_executor(name)
    return lambda wf, **inputs: run_on(wf, executor=executor, **inputs)
