"""The one executor interface: submit a call whose arguments may be futures of earlier calls.

An executor runs *calls*: ``fn(*args)`` where ``fn`` is a module-level function
(picklable by reference) and any argument may be a *handle* (a future) returned
by an earlier ``submit`` of the same executor. A call starts once every handle
among its arguments has completed, and runs with their values in their place;
if one of them failed, the call fails with the same error without running.
That is the whole contract the parallel driver (:mod:`flowgen.runtime.scheduler`)
and generated modules rely on, and it maps one to one onto Dask's
``client.submit(fn, *futures)``, where the data then moves between workers
without passing through the client.

The driver never blocks on a handle except to make a decision it cannot
delegate (the inputs of a ``@dynamic``, the branch of a ``conditional``, the
length of a ``map_task``); everything else is submitted as soon as the handles
of its inputs *exist*, and the executor does the waiting.

==============  =================  ===============================================
executor        parallel           where calls run
==============  =================  ===============================================
``inprocess``   no                 the calling thread, at submit (the default)
``threads``     yes                a thread pool of ``max_parallelism`` threads
``processes``   yes                a process pool (forkserver) of that many workers
``dask``        yes                a ``dask.distributed`` cluster (local or remote)
==============  =================  ===============================================
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

__all__ = ["Executor", "Handle"]

Handle = Any
"""A future of one call; its concrete type belongs to the executor that made it."""


class Executor(ABC):
    """Runs calls, possibly in parallel; a context manager that starts and shuts it down."""

    name: ClassVar[str]
    parallel: ClassVar[bool] = True
    callbacks_are_cheap: ClassVar[bool] = True
    """Whether hearing about every call's completion costs little (the driver then watches all)."""
    fuses: bool = False
    """Whether the driver runs narrow groups of task nodes as one call each (executors/fusion.py)."""

    def batch_slots(self) -> int:
        """How many calls run at once, when the driver should chunk independent task nodes that are
        ready together into about that many calls (executors/fusion.py); 0: no chunks."""
        return 0

    def __init__(self, max_parallelism: int | None = None) -> None:
        if max_parallelism is not None and (isinstance(max_parallelism, bool) or max_parallelism < 1):
            raise ValueError(f"max_parallelism must be a positive int, not {max_parallelism!r}")
        self.max_parallelism = max_parallelism

    def __enter__(self) -> Executor:
        self.start()
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        self.shutdown(cancel=exc_type is not None)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} max_parallelism={self.max_parallelism}>"

    # -- lifecycle ----------------------------------------------------------------------------
    def start(self) -> None:  # noqa: B027 - most executors have nothing to start
        """Acquire resources (pools, clusters). Idempotent; ``submit`` calls it if needed."""

    @abstractmethod
    def shutdown(self, cancel: bool = False) -> None:
        """Release resources; with ``cancel``, drop queued calls and stop running ones if possible."""

    # -- calls --------------------------------------------------------------------------------
    @abstractmethod
    def submit(self, key: str, fn: Callable[..., Any], *args: Any) -> Handle:
        """Run ``fn(*args)`` once the handles among ``args`` are done; ``key`` is unique in the run."""

    def put(self, value: Any) -> Handle:
        """A handle holding ``value`` (on Dask: scattered to the cluster once)."""
        return self.submit(f"put-{id(value)}", _identity, value)

    @abstractmethod
    def is_handle(self, obj: Any) -> bool:
        """Whether ``obj`` is a handle of this executor."""

    @abstractmethod
    def add_done_callback(self, handle: Handle, callback: Callable[[Handle], None]) -> None:
        """Call ``callback(handle)`` (from any thread) once the handle is done, failed or cancelled."""

    @abstractmethod
    def error(self, handle: Handle) -> BaseException | None:
        """The error of a done handle, or None when it succeeded."""

    def local_value(self, handle: Handle) -> Any:
        """The value of a done handle if it is already in this process (no transfer), else None."""
        return None

    @abstractmethod
    def gather(self, handles: Sequence[Handle]) -> list[Any]:
        """The values of ``handles``, waiting for them; raises the error of a failed one."""

    @abstractmethod
    def cancel(self, handles: Sequence[Handle]) -> None:
        """Cancel calls that have not finished (best effort for calls already running)."""


def _identity(value: Any) -> Any:
    return value
