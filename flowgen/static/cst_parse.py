"""LibCST's parse of a source CPython has already accepted, without re-validating every node.

Every LibCST node validates itself when it is built (``CSTNode.__post_init__`` calls
``_validate``: balanced parentheses, identifiers that are identifiers, whitespace
that is whitespace). That guards trees built by hand; a tree built by LibCST's own
native parser from source that CPython's parser accepted first (as
:func:`flowgen.static.loader.load_module` does) passes those checks by construction,
and they are about a seventh of the parse. LibCST notes as much beside
``__post_init__`` ("It might make more sense to move validation work into the
visitor, which would allow us to avoid validating the tree when parsing a file").

:func:`parse_trusted` parses with validation switched off for the duration of the
call; :func:`unvalidated` switches it off while :mod:`flowgen.static.declarations`
builds the nodes of a summary from ``ast`` nodes CPython built from the source. The switch is process-wide (a class attribute), so it is counted under a
lock: nested or concurrent calls keep it off until the last one ends, and it is
always restored to LibCST's own method, never to whatever another thread saw. A node
another thread builds by hand meanwhile is built unvalidated, which loses a check on
that node and nothing else.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import libcst as cst
from libcst._nodes.base import CSTNode

__all__ = ["parse_trusted", "unvalidated"]

_VALIDATE = CSTNode.__post_init__
_LOCK = threading.Lock()
_depth = 0


def _skip(self: CSTNode) -> None:
    return None


@contextmanager
def unvalidated() -> Iterator[None]:
    """LibCST nodes built inside are not validated (see the module docstring)."""
    global _depth
    with _LOCK:
        _depth += 1
        CSTNode.__post_init__ = _skip  # type: ignore[method-assign]
    try:
        yield
    finally:
        with _LOCK:
            _depth -= 1
            if _depth == 0:
                CSTNode.__post_init__ = _VALIDATE  # type: ignore[method-assign]


def parse_trusted(data: bytes) -> cst.Module:
    """``cst.parse_module(data)`` without per-node validation (``data`` is source CPython parsed)."""
    with unvalidated():
        return cst.parse_module(data)
