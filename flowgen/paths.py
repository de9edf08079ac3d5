"""Where flowgen keeps its files on this machine (a leaf: everything may import it)."""

from __future__ import annotations

import os

__all__ = ["default_cache_dir"]


def default_cache_dir() -> str:
    """``$FLOWGEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/flowgen``, else ``~/.cache/flowgen``."""
    explicit = os.environ.get("FLOWGEN_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "flowgen")
