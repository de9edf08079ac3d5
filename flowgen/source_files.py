"""Which source files a command walks: one ``--exclude`` glob syntax for ``check`` and ``build``.

A pattern matches a file or directory when it matches its base name (``tests``,
``*_test.py``), its whole path, or a trailing part of its path (``examples/old``,
``pkg/*/gen``); a matched directory is skipped with everything under it. A leaf
module: the static front end and the build back end both use it.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Sequence

__all__ = ["excluded"]


def excluded(path: str, patterns: Sequence[str]) -> bool:
    """Whether ``path`` (a file or directory) matches one of the ``--exclude`` globs."""
    if not patterns:
        return False
    name = os.path.basename(path.rstrip(os.sep))
    norm = path.replace(os.sep, "/")
    return any(
        fnmatch.fnmatch(name, p) or fnmatch.fnmatch(norm, p) or fnmatch.fnmatch(norm, f"*/{p}")
        or fnmatch.fnmatch(norm, f"*/{p}/*")
        for p in (q.replace(os.sep, "/").rstrip("/") for q in patterns)
    )
