"""The in-process executor: a call runs in the calling thread, at ``submit``.

The interpreter's sequential loop does not go through it (that loop is the
fastest way to run a graph in one thread); it exists so that code written
against the executor interface (the parallel driver, generated modules) has
a default that needs no pool, and so the conformance suite can check the
driver itself without concurrency.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, ClassVar

from flowgen.runtime.executors.local import LocalExecutor

__all__ = ["InProcessExecutor"]


class InProcessExecutor(LocalExecutor):
    name: ClassVar[str] = "inprocess"
    parallel: ClassVar[bool] = False

    def _launch(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> Future[Any]:
        done: Future[Any] = Future()
        try:
            done.set_result(fn(*args))
        except Exception as exc:
            done.set_exception(exc)
        return done

    def shutdown(self, cancel: bool = False) -> None:
        self._closed = True
