"""``map_task``'s semantics in pure pieces, shared by the interpreter, the parallel
executors and generated modules.

=====================  ================================================================
step                   rule
=====================  ================================================================
length                 every mapped list input has the same length, else an
                       :class:`InputValidationError` naming each length
items                  item ``i`` gets the node's inputs with each mapped input
                       replaced by its ``i``-th element; its node path is ``path[i]``
failures               with ``min_success_ratio`` 1 the first failing item's error
                       propagates; below 1 failures are collected (``None`` in the
                       result) and a :class:`MapTaskError` is raised only when the
                       share of successes falls below the ratio
result                 the list of the items' single outputs (``None`` for a task
                       without outputs)
=====================  ================================================================

:func:`run_mapped` is the sequential loop (interpreter, generated code); a parallel
driver runs the items itself and uses :func:`mapped_length`, :func:`item_inputs` and
:func:`collect_items`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from flowgen.errors import FlowgenError, InputValidationError, MapTaskError

__all__ = ["collect_items", "item_inputs", "mapped_length", "run_mapped"]


def mapped_length(task: str, path: str, kwargs: dict[str, Any], mapped: Sequence[str], facts: dict[str, Any]) -> int:
    """The common length of the mapped list inputs (0 when nothing is mapped)."""
    lengths = {name: len(kwargs[name]) for name in mapped}
    if len(set(lengths.values())) > 1:
        raise InputValidationError(
            f"map_task over {task} (node {path}): mapped inputs have different lengths "
            + ", ".join(f"{k}={n}" for k, n in lengths.items()),
            **facts,
        )
    return next(iter(lengths.values()), 0)


def item_inputs(kwargs: dict[str, Any], mapped: Sequence[str], index: int) -> dict[str, Any]:
    """The inputs of item ``index``: each mapped input replaced by its element."""
    return {**kwargs, **{name: kwargs[name][index] for name in mapped}}


def collect_items(task: str, path: str, results: list[Any], errors: dict[int, FlowgenError],
                  min_success_ratio: float, facts: dict[str, Any]) -> list[Any]:
    """``results`` (``None`` at each failed index of ``errors``), or a MapTaskError below the ratio."""
    count = len(results)
    if errors and (count - len(errors)) / count < min_success_ratio:
        failed = sorted(errors)
        first = errors[failed[0]]
        raise MapTaskError(
            f"map_task over {task} (node {path}): {count - len(failed)} of {count} items succeeded, "
            f"fewer than min_success_ratio={min_success_ratio:g}; failed indices: {failed}; "
            f"first error: {first.message}",
            **facts,
        ) from first
    return results


def run_mapped(task: str, path: str, kwargs: dict[str, Any], mapped: Sequence[str], min_success_ratio: float,
               facts: dict[str, Any], run_item: Callable[[dict[str, Any], str], Any]) -> list[Any]:
    """Run ``run_item(inputs, item_path)`` per item, in order; the list of their results."""
    results: list[Any] = []
    errors: dict[int, FlowgenError] = {}
    for i in range(mapped_length(task, path, kwargs, mapped, facts)):
        try:
            results.append(run_item(item_inputs(kwargs, mapped, i), f"{path}[{i}]"))
        except FlowgenError as exc:
            if min_success_ratio >= 1.0:
                raise
            errors[i] = exc
            results.append(None)
    return collect_items(task, path, results, errors, min_success_ratio, facts)
