"""A task whose worker process dies (``os._exit``, SIGKILL as from the out-of-memory killer) ends the
run with a TaskError naming the node, the task and how the process ended, on processes and on a
local Dask cluster of worker processes; quickly; work finished before is kept (cached); the executor
stays usable; and ``flowgen run`` says so and exits 1."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from flowgen import TaskError
from flowgen.runtime import cache as cache_module
from flowgen.runtime.api import run
from flowgen.runtime.executors import Executor, make_executor
from tests.executors import dying as d

ROOT = Path(__file__).resolve().parents[2]
HOW = [("exit", "exited with code 3"), ("sigkill", r"was killed by SIGKILL \(9\)")]


@pytest.fixture(scope="module", params=["processes", "dask"])
def executor(request: pytest.FixtureRequest) -> Iterator[Executor]:
    with make_executor(request.param, max_parallelism=2) as started:
        yield started


@pytest.fixture
def cache_dir(tmp_path: Path) -> Iterator[Path]:
    cache_module.set_cache_dir(str(tmp_path / "cache"))
    yield tmp_path / "cache"
    cache_module.set_cache_dir(None)


@pytest.mark.parametrize("how, says", HOW)
def test_a_dead_worker_is_a_task_error_and_finished_work_is_kept(
    executor: Executor, cache_dir: Path, tmp_path: Path, how: str, says: str
) -> None:
    started = time.monotonic()
    with pytest.raises(TaskError, match=says) as info:
        run(d.dies_second, executor=executor, folder=str(tmp_path), how=how)
    assert time.monotonic() - started < 30  # a stuck run would hang here (it did: 22 s on Dask)
    error = info.value
    assert error.node == "n1" and error.task == d.dies.name and error.workflow == d.dies_second.name
    assert f"task {d.dies.name} (node n1 of {d.dies_second.name}) failed: the " in str(error)
    # The executor is usable again, and the node that finished was cached, not run again.
    assert run(d.dies_second, executor=executor, folder=str(tmp_path), how="live") == 20
    assert (tmp_path / "first-runs").read_text() == "x"


@pytest.mark.parametrize("name", ["processes", "dask"])
def test_flowgen_run_reports_the_dead_worker_and_exits_1(tmp_path: Path, name: str) -> None:
    env = {**os.environ, "FLOWGEN_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "flowgen",
            "run",
            "tests/executors/dying.py:dies_second",
            "--folder",
            str(tmp_path),
            "--how",
            "exit",
            "--executor",
            name,
            "--max-parallelism",
            "2",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "node n1" in done.stderr and "dies" in done.stderr and "exited with code 3" in done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr


class Listening:
    """An observer: the driver then stamps every step for the event stream (another code path)."""

    def __init__(self) -> None:
        self.failed: list[str] = []

    def node_started(self, path: str, node: object, **_: object) -> None:
        pass

    def node_finished(self, path: str, node: object, status: str, duration: float, **_: object) -> None:
        if status == "failed":
            self.failed.append(path)

    def nodes_added(self, parent: str, count: int) -> None:
        pass


def test_a_dead_worker_is_named_with_an_observer_listening(executor: Executor, tmp_path: Path) -> None:
    listening = Listening()
    with pytest.raises(TaskError, match="exited with code 3") as info:
        run(d.dies_second, executor=executor, observer=listening, folder=str(tmp_path), how="exit")
    assert info.value.node == "n1" and info.value.task == d.dies.name
    assert listening.failed == ["n1"]
