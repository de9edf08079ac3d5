"""What a run does when a node fails: flytekit's failure policy and ``on_failure`` handler.

=========================================  ====================================================
``failure_policy``                         after a node fails
=========================================  ====================================================
``FAIL_IMMEDIATELY`` (the default)         the run stops: nothing new starts, the error is raised
``FAIL_AFTER_EXECUTABLE_NODES_COMPLETE``   every node that does not read a failed node's
                                           outputs still runs (and is cached as usual); then the
                                           run fails with each node's own error
=========================================  ====================================================

The policy of the workflow being run holds for the whole run, its sub-workflows, ``@dynamic``
sub-DAGs and branches included, on every executor: one rule, so every executor runs the same
nodes and reports the same errors. With one failure the run raises that error itself; with
more, a :class:`~flowgen.errors.WorkflowFailuresError` listing them in node order.

After a failure (not after Ctrl-C), the workflow's ``on_failure`` handler runs as node
``on_failure`` with the workflow's inputs and, when it takes one, ``err`` (a
:class:`~flowgen.types.error.FlyteError`: the message and the failed node's id). Then the
original error is raised; a handler that fails too is recorded on it (``handler_error``) and in
its message, never raised instead. A sub-workflow's own handler runs when a failure comes from
inside it (in-process around its graph; on parallel executors the driver runs it once the run
has stopped, innermost first), before the handler of the workflow being run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from flowgen.errors import FlowgenError, WorkflowFailuresError
from flowgen.ir.model import InputRef, WorkflowSpec
from flowgen.types.error import FlyteError

__all__ = ["KEEP_GOING", "combined_error", "error_key", "flyte_error", "handle_failure", "handler_graph",
           "run_with_handler", "without_remote_traceback"]

KEEP_GOING = "fail_after_executable_nodes_complete"


def error_key(error: BaseException, fallback: str) -> str:
    """The node an error belongs to: a dependent of a failed node fails with the same error."""
    node = getattr(error, "node", None)
    return node if isinstance(node, str) and node else fallback


def _node_order(path: str) -> tuple[Any, ...]:
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path))


def _flatten(errors: Iterable[tuple[str, BaseException]]) -> dict[str, BaseException]:
    flat: dict[str, BaseException] = {}
    for key, error in errors:
        if isinstance(error, WorkflowFailuresError):
            flat.update(_flatten((error_key(e, key), e) for e in error.errors))
        else:
            flat.setdefault(key, error)
    return flat


def combined_error(errors: Iterable[tuple[str, BaseException]], workflow: str) -> BaseException:
    """The error a run that kept going raises: the one failure, or all of them in node order."""
    flat = _flatten(errors)
    ordered = [flat[key] for key in sorted(flat, key=_node_order)]
    if len(ordered) == 1:
        return ordered[0]
    lines = "\n".join(f"  - {e}".replace("\n", "\n    ") for e in ordered)
    error = WorkflowFailuresError(f"workflow {workflow}: {len(ordered)} nodes failed:\n{lines}", workflow=workflow,
                                  node=getattr(ordered[0], "node", None))
    error.errors = tuple(e for e in ordered if isinstance(e, FlowgenError))
    error.__cause__ = ordered[0]
    return error


def flyte_error(error: BaseException, prefix: str = "") -> FlyteError:
    """What the handler's ``err`` input is told: the message and the failed node's id."""
    node = getattr(error, "node", None) or ""
    if prefix and node.startswith(prefix):
        node = node[len(prefix):]
    message = getattr(error, "message", None) or str(error)
    return FlyteError(message=message, failed_node_id=node)


def handler_graph(graph: WorkflowSpec) -> WorkflowSpec:
    """A one-node graph running ``graph``'s handler; its inputs are the workflow's plus ``err``."""
    handler = graph.on_failure
    assert handler is not None
    node = handler.node
    if handler.error_input is not None:
        inputs = {**node.inputs, handler.error_input: InputRef(name=handler.error_input)}
        node = node.model_copy(update={"inputs": inputs})
    return WorkflowSpec.model_construct(name=graph.name, function=graph.function, interface=graph.interface,
                                        nodes=(node,), outputs={}, source=graph.source, on_failure=None,
                                        failure_policy="fail_immediately")


def handle_failure(graph: WorkflowSpec, inputs: dict[str, Any], error: FlowgenError,
                   run_handler: Callable[[WorkflowSpec, dict[str, Any]], object], prefix: str = "") -> None:
    """Run ``graph``'s handler after ``error`` (inputs plus ``err``); a handler that fails too is
    recorded on ``error`` (``handler_error``), never raised instead of it."""
    if graph.on_failure is None:
        return
    values = dict(inputs)
    if graph.on_failure.error_input is not None:
        values[graph.on_failure.error_input] = flyte_error(error, prefix)
    try:
        run_handler(handler_graph(graph), values)
    except Exception as handler_error:  # reported beside the original, never instead
        error.with_handler_error(handler_error)


def run_with_handler(graph: WorkflowSpec, inputs: dict[str, Any], run: Callable[[], dict[str, Any]],
                     run_handler: Callable[[WorkflowSpec, dict[str, Any]], object],
                     prefix: str = "") -> dict[str, Any]:
    """``run()``; if it fails, ``graph``'s handler runs (:func:`handle_failure`), then the failure is raised."""
    try:
        return run()
    except FlowgenError as error:
        handle_failure(graph, inputs, error, run_handler, prefix)
        raise


def without_remote_traceback(error: BaseException) -> BaseException:
    """A worker process's error without the pool's ``_RemoteTraceback`` cause (flowgen's frames in
    the worker): the user's frames travel on the error itself (``TaskError.task_traceback``)."""
    if type(error.__cause__).__name__ == "_RemoteTraceback":
        error.__cause__ = None
    return error

