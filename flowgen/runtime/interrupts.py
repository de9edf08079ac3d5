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
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any

__all__ = ["DeferredInterrupt"]


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
