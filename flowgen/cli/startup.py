"""The collector during ``flowgen`` start-up: paused while modules load, given back before work.

Importing click, the IR and the user's workflow module (and pydantic, when it uses it) allocates some
hundred thousand long-lived objects; Python's cyclic collector would scan them over and
over as they are made (about 7-10 ms of ``flowgen run``'s start-up, measured with
``bench/bench_startup.py``). :func:`pause` stops it for the command's imports;
:func:`resume` gives it back before the command does its work (``flowgen run``: once the
workflow module is loaded, before the workflow is compiled and run; any other command: as
soon as its module is imported) and at exit, so no task runs with the collector paused by
flowgen. A collector the user had already turned off stays off.
"""

from __future__ import annotations

import gc

__all__ = ["pause", "resume"]

_paused = False


def pause() -> None:
    """Stop the collector while the command loads (a no-op if it is already off)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Give the collector back if :func:`pause` stopped it; safe to call more than once."""
    global _paused
    if _paused:
        _paused = False
        gc.enable()
