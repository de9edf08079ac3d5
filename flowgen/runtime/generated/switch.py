"""The validation switch of generated modules: checked bodies (the default) or fast bodies.

Read by every workflow entry (:class:`flowgen.runtime.generated.entry.Workflow`) when a run
starts: ``FLOWGEN_VALIDATE=0`` in the environment (read at import), :func:`set_validation`,
or ``with validation(False):``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["DEFAULT", "TASK_EXCEPTIONS", "set_validation", "validating", "validation"]

_validate = os.environ.get("FLOWGEN_VALIDATE", "1").strip().lower() not in ("0", "false", "no", "off")
_switch_lock = threading.Lock()


def validating() -> bool:
    """Whether generated workflows run their checked bodies (the default)."""
    return _validate


def set_validation(enabled: bool) -> None:
    """Turn validation (and copying) at node boundaries on or off for every generated module."""
    global _validate
    with _switch_lock:
        _validate = bool(enabled)


@contextmanager
def validation(enabled: bool) -> Iterator[None]:
    """``with validation(False): wf(...)`` runs the fast bodies, then restores the switch."""
    before = _validate
    set_validation(enabled)
    try:
        yield
    finally:
        set_validation(before)


class _Default:
    """The default of an input whose default value is mutable: a fresh copy is made per call."""

    def __repr__(self) -> str:
        return "DEFAULT"


DEFAULT: Any = _Default()

# What a fast body turns into a node's TaskError: what ``call_with_policy`` catches.
TASK_EXCEPTIONS: tuple[type[Exception], ...] = (Exception,)
