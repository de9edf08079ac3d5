"""The one stream of run events that progress bars, summaries and run reports consume.

Every executor tells an :class:`Observer` the same story, in the same order per node:

* ``node_started(path, node, at=...)`` when the node's work starts *where it runs*: a task
  node when its function starts on a worker (after its inputs finished), a sub-workflow,
  ``@dynamic``, ``map_task`` or ``conditional`` when its first step starts there;
* ``node_finished(path, node, status, duration, at=...)`` when it ends there, with
  ``status`` one of ``succeeded``, ``cached`` or ``failed`` (a failure is reported for the
  failing node and then for each node enclosing it, innermost first, as in-process);
* ``nodes_added(parent, count)`` when a ``@dynamic`` expands.

``at`` is the wall-clock time (``time.time()``) of the event, measured in the process
that ran the work: a worker process or Dask worker stamps the start and end of each
step and returns the stamps with the result (:func:`observed`), so a timeline drawn
from the stream never shows a node starting before its inputs finished. ``at=None``
means "now" (the observer reads its own clock). Starts are heard *live* everywhere, so
a progress bar's "running" count is true while the work runs:

* in the driver's process (in-process, threads) a listener hears the start as it happens;
* a process-pool worker sends each step's start as one datagram on a Unix socket of its
  executor (:func:`announce_to`; the executor's reader thread calls :func:`deliver`). A
  datagram is written whole or not at all and takes no lock, so a worker that dies
  mid-send cannot wedge the others; if the socket is full or gone the start is dropped
  and heard with the result instead (the stamps travel with it either way);
* a Dask worker, whose results stay on the cluster, sends each step's start and end
  (with its cache hit and attempts) as Dask events on a topic of the run
  (``Worker.log_event``; the driver subscribes).

Observers may also implement these optional hooks (looked up with ``getattr``):

* ``items_added(path, count)``, ``item_started(path, index, at=...)`` and
  ``item_finished(path, index, status, duration, at=..., error=...)``: each item of a
  ``map_task`` as it runs;
* ``node_outputs(path, node, outputs)``: a node's outputs where they are at hand;
* ``run_inputs(inputs)``: the values the run started with.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

__all__ = ["Observer", "StepStamps", "announce_to", "deliver", "listen", "observed", "parse_announcement",
           "stamps_of", "topic", "unlisten"]


class Observer(Protocol):
    def node_started(self, path: str, node: Any, *, at: float | None = None) -> None: ...

    def node_finished(
        self, path: str, node: Any, status: str, duration: float, *, error: BaseException | None = None,
        cached: bool = False, attempts: int = 1, at: float | None = None,
    ) -> None: ...

    def nodes_added(self, parent: str, count: int) -> None: ...


# -- stamps measured where a step runs --------------------------------------------------------------

StepStamps = tuple[float, float]
"""(start, end) of one step, wall clock, measured where it ran."""

_listeners: dict[str, Callable[[str, float], None]] = {}
_lock = threading.Lock()


def listen(run: str, on_start: Callable[[str, float], None]) -> None:
    """Hear ``on_start(key, at)`` live for steps of ``run`` that run in this process."""
    with _lock:
        _listeners[run] = on_start


def unlisten(run: str) -> None:
    with _lock:
        _listeners.pop(run, None)


def deliver(run: str, key: str, at: float) -> None:
    """A step of ``run`` started at ``at`` in another process (a process pool's worker): tell its listener."""
    listener = _listeners.get(run)
    if listener is not None:
        listener(key, at)


_announcer: tuple[str, Any] | None = None  # (address, socket) of this worker process


def announce_to(address: str) -> None:
    """In a worker process: send the starts of observed steps to the datagram socket at ``address``."""
    global _announcer
    if _announcer is not None and _announcer[0] == address:
        return
    import socket  # in process-pool workers only: a plain `flowgen run` does not pay for it

    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.setblocking(False)
    old, _announcer = _announcer, (address, sock)
    if old is not None:
        old[1].close()


def _announce(run: str, key: str, start: float) -> bool:
    announcer = _announcer
    if announcer is None:
        return False
    with contextlib.suppress(OSError):  # full, or the driver is gone: the start is heard with the result
        announcer[1].sendto(f"{run}\n{start!r}\n{key}".encode(), announcer[0])
    return True


def parse_announcement(data: bytes) -> tuple[str, str, float] | None:
    """``(run, key, start)`` of a datagram :func:`announce_to`'s socket sent (None: not one)."""
    try:
        run, start, key = data.decode().split("\n", 2)
        return run, key, float(start)
    except ValueError:
        return None


def observed(run: str, key: str, step: Callable[..., Any], *args: Any) -> Any:
    """Run ``step(*args)`` and stamp its start and end on what it returns or raises.

    The stamps travel with the result (an attribute of the result or of the error, both
    of which pickle), so they reach the driver from a worker process or a Dask worker.
    The start is heard as it happens: by a listener of ``run`` in this process (the
    driver, on in-process and thread pools), through the announcing socket of a process
    pool's worker, or as a Dask event.
    """
    start = time.time()
    listener = _listeners.get(run)
    worker = None
    if listener is not None:
        listener(key, start)
    elif not _announce(run, key, start):
        worker = _dask_worker()
        if worker is not None:
            worker.log_event(topic(run), {"key": key, "start": start})
    try:
        result = step(*args)
    except BaseException as exc:
        with contextlib.suppress(AttributeError):  # an exception type with __slots__ goes unstamped
            exc.flowgen_stamps = (start, time.time())  # type: ignore[attr-defined]
        raise
    stamps = (start, time.time())
    if worker is not None:
        worker.log_event(topic(run), {"key": key, "start": start, "end": stamps[1],
                                      "cached": bool(getattr(result, "cached", False)),
                                      "attempts": int(getattr(result, "attempts", 1) or 1),
                                      "failed": getattr(result, "error", None) is not None,
                                      "error": _error_text(getattr(result, "error", None))})
    if type(result) is dict:  # a step's plain named values: the same dict, able to carry stamps
        result = _StampedDict(result)
    elif type(result) is int:  # a map's item count, a conditional's branch
        result = _StampedInt(result)
    try:
        result.flowgen_stamps = stamps
    except (AttributeError, TypeError):  # frozen or slotted (a frozen slots dataclass raises TypeError)
        error = getattr(result, "error", None)  # a map item allowed to fail carries its error
        if isinstance(error, BaseException):
            error.flowgen_stamps = stamps  # type: ignore[attr-defined]
    return result


def _error_text(error: Any) -> str | None:
    """What a Dask end event says of a step that failed but let the run go on (a map item)."""
    return None if error is None else f"{type(error).__name__}: {error}"


def topic(run: str) -> str:
    """The Dask event topic of a run's step stamps."""
    return f"flowgen-steps-{run}"


def _dask_worker() -> Any:
    """The Dask worker running this call, or None (Dask is never imported here)."""
    if "distributed" not in sys.modules:
        return None
    from distributed import get_worker

    try:
        return get_worker()
    except ValueError:
        return None


class _StampedDict(dict[str, Any]):
    """A plain dict of named values that carries the stamps of the step that made it."""


class _StampedInt(int):
    """An int (a map's item count, a branch index) that carries the stamps of the step that made it."""


def stamps_of(value: Any) -> StepStamps | None:
    """The stamps :func:`observed` put on a result or an error (None: not observed)."""
    found = getattr(value, "flowgen_stamps", None)
    if found is None:
        error = getattr(value, "error", None)
        found = getattr(error, "flowgen_stamps", None) if isinstance(error, BaseException) else None
    return found if isinstance(found, tuple) else None
