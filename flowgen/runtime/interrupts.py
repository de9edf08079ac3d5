"""Ctrl-C in the parallel driver lands between events, never inside one.

Python raises ``KeyboardInterrupt`` at whatever bytecode the main thread is running.
The parallel driver's loop spends its time handling events -- a step started, a node
finished, an item counted -- and an interrupt landing half-way through one (the bar's
"running" count raised but the report not told, a start taken off the queue and
dropped) leaves the summary and the report disagreeing with what ran.

:class:`DeferredInterrupt` holds the first Ctrl-C while the loop handles an event: its
handler notes it and wakes the loop (``wake()``), and the loop raises it at its next
safe point (:meth:`DeferredInterrupt.check`), so the driver then reports everything
that happened before stopping. A second Ctrl-C raises at once, so a driver stuck in
user code (a ``@dynamic`` body being traced, say) still stops. Only the main thread
can install a handler, and a handler the program installed itself is left alone.

Counting without an observer (:class:`InterruptTally`)
-----------------------------------------------------
A run nothing observes (in-process off a terminal, Dask's few-callbacks mode) hears no
node events, so after Ctrl-C there is nothing to count -- unless the run counts itself as
it stops. It does, at no cost to the run that is not stopped: the ``KeyboardInterrupt``
carries an :class:`InterruptTally` (:func:`tally_of`), and each frame it unwinds through
adds what it knows had finished (the in-process loop: the steps of its plan before the
one it was at, and that one if its value is in; a ``map_task``: its items; the parallel
driver: the calls its executor says finished). ``try``/``except`` costs nothing until
something is raised, so the un-interrupted fast path does exactly what it did. The CLI
prints the tally in the same words as the counted summary
(:meth:`flowgen.runtime.progress.RunProgress.from_tally`); a tally whose run could not
count (``counted`` false) falls back to saying so.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any

__all__ = ["DeferredInterrupt", "InterruptTally", "count_stopped_steps", "tally_of"]


class DeferredInterrupt:
    """A SIGINT handler for the span of a driver's loop (a context manager)."""

    def __init__(self, wake: Callable[[], None]) -> None:
        self.wake = wake
        self.pending = False
        self._previous: Any = None
        self._installed = False

    def __enter__(self) -> DeferredInterrupt:
        if threading.current_thread() is threading.main_thread() and \
                signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            self._previous = signal.signal(signal.SIGINT, self._heard)
            self._installed = True
        return self

    def __exit__(self, *exc: Any) -> None:
        self.restore()

    def restore(self) -> None:
        """Put the previous handler back; a Ctrl-C held until now is raised."""
        if self._installed:
            self._installed = False
            signal.signal(signal.SIGINT, self._previous)
        self.check()

    def _heard(self, signum: int, frame: FrameType | None) -> None:
        if self.pending:  # the second Ctrl-C: stop now
            raise KeyboardInterrupt
        self.pending = True
        self.wake()

    def check(self) -> None:
        """Raise the held Ctrl-C (the loop's safe point)."""
        if self.pending:
            self.pending = False
            raise KeyboardInterrupt


class InterruptTally:
    """What had finished when Ctrl-C stopped a run that nothing observed, in the counted
    summary's terms: ``done`` nodes and ``map_task`` items (``items_done`` of them items),
    of which ``failed`` failed (a run that keeps going, items allowed to fail); ``cached``
    served from the cache; ``running`` started and stopped (the summary's "cancelled"),
    ``running_paths`` their paths. ``counted``: the run filled it in (else it knows nothing)."""

    __slots__ = ("cached", "counted", "done", "failed", "items_done", "running", "running_paths")

    def __init__(self) -> None:
        self.done = 0
        self.cached = 0
        self.failed = 0
        self.items_done = 0
        self.running = 0
        self.running_paths: set[str] = set()
        self.counted = False

    def stopped(self, path: str) -> None:
        """Node or item ``path`` had started and not finished."""
        if path not in self.running_paths:
            self.running_paths.add(path)
            self.running += 1

    def __repr__(self) -> str:
        return (f"InterruptTally(done={self.done}, cached={self.cached}, failed={self.failed}, "
                f"items_done={self.items_done}, running={self.running}, counted={self.counted})")


def tally_of(stop: BaseException) -> InterruptTally:
    """The tally ``stop`` (a ``KeyboardInterrupt`` unwinding a run) carries; made on first ask."""
    found = getattr(stop, "flowgen_tally", None)
    if not isinstance(found, InterruptTally):
        found = InterruptTally()
        stop.flowgen_tally = found  # type: ignore[attr-defined]
    return found


def count_stopped_steps(stop: KeyboardInterrupt, executor: Any, run: str, execution: Any,
                        marks: dict[str, tuple[str, bool]]) -> None:
    """Ctrl-C in a parallel run nothing observed: the executor says which of run ``run``'s steps
    finished and what was running (``executor.stopped_steps``, Dask), counted onto the tally
    ``stop`` carries. A cluster that cannot say (gone, refused, too slow) leaves it uncounted."""
    try:
        done, running, failed, hits = executor.stopped_steps(run, execution, marks)
    except Exception:
        return
    tally = tally_of(stop)
    tally.done += len(done)
    tally.items_done += sum(1 for path in done if path.endswith("]"))
    tally.failed += len(failed & done)
    tally.cached += len(hits & done)
    for path in sorted(running - done):
        tally.stopped(path)
    tally.counted = True
