"""Executors on this machine: calls chained on ``concurrent.futures`` futures.

Handles are :class:`concurrent.futures.Future` objects made here. ``submit``
counts the pending handles among the arguments; the last one to complete hands
the call to :meth:`LocalExecutor._launch` with the values in place (a failed or
cancelled input fails or cancels the call without running it). So a call never
occupies a worker while it waits, and ``max_parallelism`` is simply the size of
the pool. Subclasses say where a launched call runs: inline (in-process), on a
thread, or in a worker process.
"""

from __future__ import annotations

import threading
from abc import abstractmethod
from collections.abc import Callable, Sequence
from concurrent.futures import CancelledError, Future
from typing import Any

from flowgen.runtime.executors.base import Executor, Handle

__all__ = ["LocalExecutor"]


class LocalExecutor(Executor):
    """Dependency chaining over ``concurrent.futures``; subclasses implement ``_launch``."""

    def __init__(self, max_parallelism: int | None = None) -> None:
        super().__init__(max_parallelism)
        self._lock = threading.Lock()
        self._closed = False

    @abstractmethod
    def _launch(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> Future[Any]:
        """Start ``fn(*args)`` (plain values only) and return its future."""

    # -- the interface --------------------------------------------------------------------------
    def submit(self, key: str, fn: Callable[..., Any], *args: Any) -> Handle:
        outer: Future[Any] = Future()
        pending = [a for a in args if isinstance(a, Future) and not a.done()]
        if not pending:
            self._start(outer, fn, args)
            return outer
        remaining = [len(pending)]
        lock = threading.Lock()

        def input_done(_: Future[Any]) -> None:
            with lock:
                remaining[0] -= 1
                last = remaining[0] == 0
            if last:
                self._start(outer, fn, args)

        for dep in pending:
            dep.add_done_callback(input_done)
        return outer

    def _start(self, outer: Future[Any], fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        values = []
        for arg in args:
            if isinstance(arg, Future):
                if arg.cancelled():
                    outer.cancel()
                    return
                failure = arg.exception()
                if failure is not None:
                    _settle(outer, error=failure)
                    return
                values.append(arg.result())
            else:
                values.append(arg)
        if self._closed:
            outer.cancel()
            return
        if not outer.set_running_or_notify_cancel():
            return  # cancelled while it waited for its inputs
        try:
            inner = self._launch(fn, tuple(values))
        except BaseException as exc:
            outer.set_exception(exc)
            return
        inner.add_done_callback(lambda done: _copy(done, outer))

    def put(self, value: Any) -> Handle:
        done: Future[Any] = Future()
        done.set_result(value)
        return done

    def is_handle(self, obj: Any) -> bool:
        return isinstance(obj, Future)

    def add_done_callback(self, handle: Handle, callback: Callable[[Handle], None]) -> None:
        handle.add_done_callback(callback)

    def error(self, handle: Handle) -> BaseException | None:
        if handle.cancelled():
            return CancelledError()
        return handle.exception()  # type: ignore[no-any-return]

    def local_value(self, handle: Handle) -> Any:
        return handle.result() if handle.done() and not handle.cancelled() and handle.exception() is None else None

    def gather(self, handles: Sequence[Handle]) -> list[Any]:
        return [h.result() for h in handles]

    def cancel(self, handles: Sequence[Handle]) -> None:
        for handle in handles:
            handle.cancel()


def _settle(outer: Future[Any], *, error: BaseException) -> None:
    if outer.set_running_or_notify_cancel():
        outer.set_exception(error)


def _copy(inner: Future[Any], outer: Future[Any]) -> None:
    if outer.done():
        return
    if inner.cancelled():
        outer.set_exception(CancelledError())
        return
    failure = inner.exception()
    if failure is not None:
        outer.set_exception(failure)
    else:
        outer.set_result(inner.result())
