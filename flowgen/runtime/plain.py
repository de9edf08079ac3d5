"""Plain-Python mode: every task, dynamic, workflow and map_task call runs its function directly.

``with plain_python(): wf.fn(**inputs)`` is the workflow as ordinary Python — no
tracing, no validation, no copies, no cache — the reference that differential tests
compare flowgen's runs against. (``conditional`` has no plain form: its branches
are Promises by design.)
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["in_plain_mode", "plain_python"]

_local = threading.local()


def in_plain_mode() -> bool:
    return getattr(_local, "plain", False)


@contextmanager
def plain_python() -> Iterator[None]:
    previous = in_plain_mode()
    _local.plain = True
    try:
        yield
    finally:
        _local.plain = previous
