"""The thread executor: calls run on a pool of ``max_parallelism`` threads.

Right for tasks that wait (I/O, sleeps, C code that releases the GIL). Values
are shared in memory, and value semantics still hold because every task input
is a validated copy. The default size is Python's own for I/O-bound pools,
``min(32, cpu_count + 4)``. On cancel, queued calls are dropped; a call
already running on a thread cannot be stopped and finishes in the background
(the threads are daemons, so it never holds up the exit of the process).
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, ClassVar

from flowgen.runtime.executors.local import LocalExecutor

__all__ = ["ThreadExecutor"]

_STOP = object()


class ThreadExecutor(LocalExecutor):
    name: ClassVar[str] = "threads"

    def __init__(self, max_parallelism: int | None = None) -> None:
        super().__init__(max_parallelism)
        self.size = max_parallelism or min(32, (os.cpu_count() or 1) + 4)
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._outstanding = 0  # calls queued or running; threads >= min(size, outstanding)

    def start(self) -> None:
        with self._lock:
            if self._closed and not self._threads:
                self._outstanding = 0
            self._closed = False

    def _launch(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> Future[Any]:
        done: Future[Any] = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("the thread executor is shut down")
            self._queue.put((done, fn, args))
            self._outstanding += 1
            if self._outstanding > len(self._threads) and len(self._threads) < self.size:
                thread = threading.Thread(target=self._work, daemon=True,
                                          name=f"flowgen-worker-{len(self._threads)}")
                self._threads.append(thread)
                thread.start()
        return done

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            done, fn, args = item
            if done.set_running_or_notify_cancel():
                try:
                    result = fn(*args)
                except BaseException as exc:
                    done.set_exception(exc)
                else:
                    done.set_result(result)
            del item, done, fn, args
            with self._lock:
                self._outstanding -= 1

    def shutdown(self, cancel: bool = False) -> None:
        with self._lock:
            self._closed = True
            threads, self._threads = self._threads, []
        if cancel:
            while True:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is not _STOP:
                    item[0].cancel()
        for _ in threads:
            self._queue.put(_STOP)
        if not cancel:
            for thread in threads:
                thread.join()
