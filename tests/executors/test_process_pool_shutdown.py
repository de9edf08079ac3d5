"""A cancelled process pool is fully wound down before the run ends (issue 15: Ctrl-C under load).

On Python 3.11, interpreter exit wakes each process pool's manager thread through a pipe that
the thread itself closes once it sees its workers gone, with no lock between the two; a close
racing the write printed "Exception ignored ... Bad file descriptor" after a Ctrl-C'd run's
summary. ``ProcessExecutor.shutdown(cancel=True)`` therefore waits for the manager thread."""

from __future__ import annotations

import time

from flowgen.runtime.executors.processes import ProcessExecutor


def test_cancelling_waits_for_the_pools_manager_thread() -> None:
    executor = ProcessExecutor(max_parallelism=2)
    executor.start()
    pool = executor._pool
    assert pool is not None
    future = pool.submit(time.sleep, 30)  # a running call, as when Ctrl-C lands
    while not future.running():
        time.sleep(0.01)
    manager = pool._executor_manager_thread  # type: ignore[attr-defined]
    assert manager is not None and manager.is_alive()
    executor.shutdown(cancel=True)
    assert not manager.is_alive()  # its wake-up pipe is closed: nothing left for exit to race
