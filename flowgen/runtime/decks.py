"""Where the decks of a run's tasks are kept for its report (``flowgen.Deck``, flowgen/dsl/deck.py).

A task's decks are written when it succeeds, by the process that ran it, under
``<cache dir>/decks/<execution>/<node>/decks.json``; the run report of that execution
(flowgen/report) reads them back by node path. Files, not return values, so that decks
need nothing from the executors: a worker process or a local Dask worker writes them
where the driver reads them.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

__all__ = ["deck_dir", "decks_of", "save_decks"]


def deck_dir(execution: str) -> str:
    from flowgen.runtime import cache

    return os.path.join(cache._configured or cache.default_cache_dir(), "decks", execution)


def _safe(path: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", path)


def save_decks(execution: str, node: str, decks: list[Any]) -> None:
    """Write the decks of a finished task for the report of ``execution``."""
    if not decks:
        return
    folder = os.path.join(deck_dir(execution), _safe(node or "task"))
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "decks.json"), "w", encoding="utf-8") as f:
        json.dump([{"name": d.name, "html": d.html} for d in decks], f)


def decks_of(execution: str) -> dict[str, list[tuple[str, str]]]:
    """Every node's decks in ``execution``: node path -> [(name, html)]."""
    root = deck_dir(execution)
    found: dict[str, list[tuple[str, str]]] = {}
    if not os.path.isdir(root):
        return found
    for node in sorted(os.listdir(root)):
        path = os.path.join(root, node, "decks.json")
        try:
            with open(path, encoding="utf-8") as f:
                found[node] = [(d["name"], d["html"]) for d in json.load(f)]
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return found
