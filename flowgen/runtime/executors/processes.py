"""The process executor: calls run in a pool of worker processes, for CPU-bound Python.

Workers are started with ``forkserver`` (never ``fork``: the driver has threads)
with flowgen preloaded, so a worker costs one fork of an already initialized
server rather than a fresh interpreter. Functions travel as described in
:mod:`flowgen.runtime.executors.shipping`; inputs and outputs are pickled, so a
worker process never shares a value with the driver (value semantics for free).
Results come back to the driver, which is the only place a process pool can
send them. The default size is the number of CPUs. On cancel, queued calls are
dropped and the workers are terminated, so running calls stop too; workers
ignore SIGINT, so a Ctrl-C on the terminal is handled once, by the driver.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, ClassVar

from flowgen.runtime.executors.local import LocalExecutor

__all__ = ["ProcessExecutor"]

_PRELOAD = ["flowgen.runtime.executors.units"]


class ProcessExecutor(LocalExecutor):
    name: ClassVar[str] = "processes"

    def __init__(self, max_parallelism: int | None = None) -> None:
        super().__init__(max_parallelism)
        self.size = max_parallelism or os.cpu_count() or 1
        self._pool: ProcessPoolExecutor | None = None

    def start(self) -> None:
        with self._lock:
            if self._pool is None:
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload(_PRELOAD)
                self._pool = ProcessPoolExecutor(max_workers=self.size, mp_context=context,
                                                 initializer=_ignore_sigint)
            self._closed = False

    def warm_up(self) -> None:
        """Start every worker process now rather than on first use (benchmarks, interactive use)."""
        self.start()
        assert self._pool is not None
        for f in [self._pool.submit(os.getpid) for _ in range(self.size)]:
            f.result()

    def _launch(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> Future[Any]:
        if self._pool is None:
            self.start()
        assert self._pool is not None
        return self._pool.submit(fn, *args)

    def shutdown(self, cancel: bool = False) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
            self._closed = True
        if pool is None:
            return
        if cancel:
            # Stop running calls too: Python 3.11's pool has no terminate(); end the workers ourselves.
            processes = list((getattr(pool, "_processes", None) or {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                if process.is_alive():
                    process.terminate()
            for process in processes:
                process.join(timeout=5)
        else:
            pool.shutdown(wait=True)


def _ignore_sigint() -> None:
    """Ctrl-C on a terminal reaches the whole process group: only the driver handles it (and stops us)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
