"""Failures in a fast (validation-off) body, named after their node at no cost when nothing fails.

A fast body calls task functions directly, so a failure surfaces as the task's own
exception with the body's frame on top of its traceback. :func:`fast_failure` maps the
failing line to the node through the body's *line table* (``_LINES_<workflow>``), then
raises exactly what the interpreter raises for that node.

A line table maps each node statement of the fast body (its first line, or
``(first, last)`` when the formatter split it) to ``(node, helper)``: the node id -- or,
for a fan-out run, ``(id prefix, first, count)`` -- and the node's shape helper
(:mod:`flowgen.runtime.generated.nodes`), which knows the task and the call site. A
small table is a dict literal (:func:`lines`); a large one is embedded compressed
(:func:`packed_lines`) and decoded when a failure first needs it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from typing import Any, NoReturn

from flowgen.errors import FlowgenError, InputValidationError, TaskError
from flowgen.runtime.generated.data import Packed
from flowgen.runtime.generated.nodes import FAN_INDEX, node_facts

__all__ = ["Lines", "fast_failure", "lines", "packed_lines"]

NodeRef = str | tuple[str, int, int]  # a node id, or a fan-out run: (id prefix, first, count)


class Lines:
    """The node lines of one fast body: line -> (node reference, shape helper)."""

    def __init__(self, table: Mapping[Any, tuple[Any, Any]] | None = None,
                 helpers: tuple[Any, ...] = (), blob: str | None = None) -> None:
        self._table = table
        self._helpers = helpers
        self._blob = blob
        self._found: dict[int, tuple[NodeRef, Any]] | None = None
        self._lock = threading.Lock()

    def _decode(self) -> dict[int, tuple[NodeRef, Any]]:
        found: dict[int, tuple[NodeRef, Any]] = {}
        if self._table is not None:
            items = [(key, ref, helper) for key, (ref, helper) in self._table.items()]
        else:
            assert self._blob is not None
            items = [((first, last), tuple(ref) if isinstance(ref, list) else ref, self._helpers[index])
                     for first, last, ref, index in json.loads(Packed(self._blob).text())]
        for key, ref, helper in items:
            first, last = key if isinstance(key, tuple) else (key, key)
            for line in range(first, last + 1):
                found[line] = (ref, helper)
        return found

    def get(self, line: int) -> tuple[NodeRef, Any] | None:
        with self._lock:
            if self._found is None:
                self._found = self._decode()
            return self._found.get(line)


def lines(table: Mapping[int | tuple[int, int], tuple[NodeRef, Any]]) -> Lines:
    """``_LINES_wf = _fg.lines({56: ("n0", _n_wf_add), (57, 59): ("n1", _n_wf_add), ...})``."""
    return Lines(table)


def packed_lines(helpers: tuple[Any, ...], blob: str) -> Lines:
    """A large line table: ``blob`` is ``[[first, last, node ref, helper index], ...]`` packed
    (:func:`flowgen.runtime.generated.data.pack`); decoded when a failure first asks."""
    return Lines(helpers=helpers, blob=blob)


def fast_failure(exc: Exception, prefix: str, workflow: str, table: Lines) -> NoReturn:
    """Raise what the interpreter raises for an exception that escaped a fast body's line.

    The failing line is the first frame of the traceback (the body's own frame).
    """
    if isinstance(exc, FlowgenError):
        raise exc
    tb = exc.__traceback__
    line = tb.tb_lineno if tb is not None else 0
    entry = table.get(line)
    if entry is None:
        node, task, where = "?", "?", None
    else:
        ref, helper = entry
        if isinstance(ref, tuple):
            ids, first, _count = ref
            node = f"{ids}{first + getattr(exc, FAN_INDEX, 0)}"
        else:
            node = ref
        task, where = helper.task, helper.site
    path = prefix + node
    facts = node_facts(workflow, path, task, where)
    if tb is not None and tb.tb_next is None:
        # Raised by the body's own expression (``value[3]`` on a short list), not by a task.
        raise InputValidationError(
            f"node {node} of {workflow}: cannot evaluate its inputs: {type(exc).__name__}: {exc}", **facts
        ) from exc
    raise TaskError.of(type(exc))(
        f"task {task} (node {path} of {workflow}) failed: {type(exc).__name__}: {exc}", **facts
    ) from exc
