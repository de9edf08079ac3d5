"""The run recorder: an Observer (:mod:`flowgen.runtime.events`) that keeps what happened.

For every node path the event stream reports (``n0``, ``n1.n3``, ``n2.b0.n0``) it
keeps one :class:`NodeRecord`: the IR node, status, start and end (seconds
since the run started, from the wall-clock stamps the events carry: measured
where the node ran, in a worker process or on a Dask worker too), attempts,
cache hit and error. ``map_task`` items are counted per map node (by status).
A ``@dynamic``'s sub-DAG needs no extra event: its nodes arrive with the
dynamic's path as prefix, so :meth:`RunRecorder.expansion` rebuilds it for the
picture. The run's input values arrive once (``run_inputs``) and are kept as
short text (a summary when large). Nodes still running when the run ends (it
failed elsewhere, or was interrupted) are recorded as ``cancelled``.

Observers may be called from executor threads; one lock guards the tables.
Recording costs a dict insert per event, so a 10,000-node run is not slowed
noticeably (see ``bench/bench_report.py``).
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flowgen.errors import FlowgenError
from flowgen.ir.model import DynamicNode, MapNode, Node, Program, TaskNode, TaskSpec, WorkflowNode
from flowgen.render.model import DynamicExpansion
from flowgen.report.data_facts import describe_data
from flowgen.runtime.task_context import current_execution

__all__ = ["NodeRecord", "RunRecorder", "describe_error", "describe_value"]


@dataclass(slots=True)
class NodeRecord:
    path: str
    node: Node
    start: float  # seconds since the run started
    status: str = "running"  # running | succeeded | cached | failed | cancelled
    end: float | None = None
    duration: float | None = None  # as measured by the interpreter (excludes observer overhead)
    attempts: int = 1
    cached: bool = False
    error: str | None = None
    data: tuple[str, ...] = ()  # "name: what" of each file, folder or table output (data_facts)
    items: dict[str, int] | None = None  # a map node's items by status (succeeded, cached, failed, running, not run)

    @property
    def kind(self) -> str:
        return self.node.kind

    @property
    def name(self) -> str:
        """The task, workflow or conditional the node runs (``module.qualname``, or a conditional's name)."""
        for attr in ("task", "launch_plan", "workflow", "name"):
            value = getattr(self.node, attr, None)
            if value:
                return str(value)
        return self.node.id


def describe_error(error: BaseException) -> str:
    """The message a report shows: flowgen's located message, then the task's own exception and
    its traceback, the user's frames only (the same on every executor)."""
    text = str(error)
    cause = error.__cause__
    if type(cause).__name__ == "_RemoteTraceback":  # a process pool's copy of flowgen's worker frames
        cause = None
    if isinstance(error, FlowgenError) and cause is not None and str(cause) not in text:
        text += f"\n{type(cause).__name__}: {cause}"
    elif not isinstance(error, FlowgenError):
        text = f"{type(error).__name__}: {error}"
    frames = getattr(error, "task_traceback", "") or getattr(cause, "task_traceback", "")
    if frames and frames.startswith("  File"):
        text += "\nTraceback (the task's frames):\n" + frames.rstrip()
    return text


VALUE_TEXT_LIMIT = 120


def describe_value(value: Any, limit: int = VALUE_TEXT_LIMIT) -> str:
    """An input value as the report shows it: its ``repr``, or a summary when that is long."""
    try:
        text = repr(value)
    except Exception:  # a user type whose repr fails still gets a line
        text = f"<{type(value).__name__}>"
    if len(text) <= limit:
        return text
    size = f" of {len(value)}" if hasattr(value, "__len__") else ""
    return f"{type(value).__name__}{size}: {text[: limit - 30]}…"


class RunRecorder:
    """Observer that records a run of ``program`` for the HTML report."""

    def __init__(self, program: Program, clock: Callable[[], float] = time.time) -> None:
        self.program = program
        self.clock = clock
        self.started_wall = time.time()
        self._t0 = clock()
        self.records: dict[str, NodeRecord] = {}
        self.expanded_counts: dict[str, int] = {}
        self._top_level: dict[str, list[str]] = {}  # graph prefix ("" or "n3.") -> its top-level node paths
        self.finished: float | None = None
        self.error: str | None = None
        self.execution: str | None = None  # the run's execution name: where its tasks' decks are
        self.inputs: dict[str, str] | None = None  # the run's input values, as text (run_inputs)
        self._lock = threading.Lock()

    def _since(self, at: float | None) -> float:
        """Seconds since the run started, of a wall-clock stamp (None: now)."""
        if at is None:
            return self.clock() - self._t0
        return max(at - self.started_wall, 0.0)

    # -- the Observer protocol ---------------------------------------------------------------------
    def run_inputs(self, inputs: dict[str, Any]) -> None:
        with self._lock:
            self.inputs = {name: describe_value(value) for name, value in inputs.items()}

    def node_started(self, path: str, node: Any, *, at: float | None = None) -> None:
        now = self._since(at)
        node_id = node.id
        if self.execution is None:
            self.execution = current_execution().name
        with self._lock:
            self.records[path] = NodeRecord(path, node, now)
            if "." not in node_id and path.endswith(node_id):
                self._top_level.setdefault(path[: len(path) - len(node_id)], []).append(path)

    def node_finished(
        self, path: str, node: Any, status: str, duration: float, *, error: BaseException | None = None,
        cached: bool = False, attempts: int = 1, at: float | None = None,
    ) -> None:
        now = self._since(at)
        with self._lock:
            record = self.records.get(path)
            if record is None:  # a finish without a start: keep it, starting when it must have
                record = self.records[path] = NodeRecord(path, node, max(now - duration, 0.0))
            record.end = max(now, record.start)
            record.duration = duration
            record.cached = cached or status == "cached"
            record.status = "cached" if record.cached else status
            # A failed task's error counts its attempts; a parent that passes the error on did not retry.
            retried = getattr(error, "attempts", 1) if record.kind in ("task", "map") else 1
            record.attempts = max(attempts, int(retried or 1))
            if error is not None:
                record.error = describe_error(error)

    def nodes_added(self, parent: str, count: int) -> None:
        with self._lock:
            self.expanded_counts[parent] = count

    def _count_item(self, path: str, before: tuple[str, ...], after: str) -> None:
        with self._lock:
            record = self.records.get(path)
            if record is None:
                return
            items = record.items if record.items is not None else {}
            was = next((status for status in before if items.get(status)), None)
            if was is not None:
                items[was] -= 1
            items[after] = items.get(after, 0) + 1
            record.items = {k: v for k, v in items.items() if v}

    def items_added(self, path: str, count: int) -> None:
        """A map node's items, all ``not run`` until they start (a run stopped early shows the rest)."""
        with self._lock:
            record = self.records.get(path)
            if record is not None and record.items is None:
                record.items = {"not run": count} if count else {}

    def item_started(self, path: str, index: int, *, at: float | None = None) -> None:
        self._count_item(path, ("not run",), "running")

    def item_finished(self, path: str, index: int, status: str, duration: float, *, at: float | None = None,
                      error: BaseException | None = None) -> None:
        self._count_item(path, ("running", "not run"), status)

    def node_outputs(self, path: str, node: Any, outputs: Any) -> None:
        """A node's outputs, where the run has them at hand: files, folders and tables are described."""
        if not isinstance(outputs, dict):
            return
        described = []
        for name, value in outputs.items():
            text = describe_data(value)
            if text is not None:
                described.append(f"{name}: {text}")
        if described:
            with self._lock:
                record = self.records.get(path)
                if record is not None:
                    record.data = tuple(described)

    # -- the run as a whole -----------------------------------------------------------------------
    def run_finished(self, error: BaseException | None = None) -> None:
        self.finished = self.clock() - self._t0
        if error is not None:
            self.error = describe_error(error)
        with self._lock:  # what was still running when the run ended did not finish
            for record in self.records.values():
                if record.status == "running":
                    record.status = "cancelled"
                    record.end = max(self.finished, record.start)
                if record.items and record.items.get("running"):
                    record.items["cancelled"] = record.items.pop("running")

    @property
    def status(self) -> str:
        if self.finished is None:
            return "running"
        return "failed" if self.error is not None else "succeeded"

    # -- what the picture needs -------------------------------------------------------------------
    def expansion(self, path: str) -> DynamicExpansion | None:
        """The top-level nodes a ``@dynamic`` at ``path`` ran, in IR order (None: it never expanded)."""
        if path not in self.expanded_counts:
            return None
        with self._lock:
            nodes = [self.records[p].node for p in self._top_level.get(path + ".", [])]
        # Parallel executors start nodes out of order; the picture wants IR (topological) order.
        nodes.sort(key=lambda n: int(n.id[1:]) if n.id[1:].isdigit() else -1)
        return DynamicExpansion(tuple(nodes))

    def picture_program(self) -> Program:
        """The program, plus the specs of tasks only a ``@dynamic`` called (for typed edge labels).

        Those specs live in the task objects of modules the run already loaded; they
        are looked up in ``sys.modules`` only, never imported.
        """
        with self._lock:
            names = {r.node.task for r in self.records.values() if isinstance(r.node, (TaskNode, DynamicNode, MapNode))}
            workflows = {r.node.workflow for r in self.records.values() if isinstance(r.node, WorkflowNode)}
        found = {}
        for name in sorted(names - set(self.program.tasks)):
            spec = _loaded_task_spec(name)
            if spec is not None:
                found[name] = spec
        # Sub-workflows a @dynamic called are not in the program either: their compiled
        # programs are on the (already loaded) workflow objects.
        found_workflows: dict[str, Any] = {}
        for name in sorted(workflows - set(self.program.workflows)):
            entity = _loaded_entity(name)
            compile_program = getattr(entity, "compile_program", None)
            if callable(compile_program):
                sub = compile_program()
                found_workflows.update(sub.workflows)
                found.update({k: v for k, v in sub.tasks.items() if k not in self.program.tasks})
        if not found and not found_workflows:
            return self.program
        return self.program.model_copy(update={
            "tasks": {**self.program.tasks, **found},
            "workflows": {**found_workflows, **self.program.workflows},
        })

    def snapshot(self) -> list[NodeRecord]:
        with self._lock:
            return list(self.records.values())


def _loaded_entity(name: str) -> Any:
    """flowgen's task or workflow object ``module.qualname`` if its module is loaded (nothing is imported)."""
    parts = name.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        module = sys.modules.get(".".join(parts[:cut]))
        if module is None:
            continue
        entity: Any = module
        for attr in parts[cut:]:
            entity = getattr(entity, attr, None)
        if not type(entity).__module__.startswith("flowgen."):  # only flowgen's own objects
            return None
        return entity
    return None


def _loaded_task_spec(name: str) -> TaskSpec | None:
    """The spec of task ``module.qualname`` if its module is already loaded (nothing is imported)."""
    entity = _loaded_entity(name)
    if entity is not None:
        spec = getattr(entity, "spec", None)
        if callable(spec):  # Task.spec() is a method
            spec = spec()
        return spec if isinstance(spec, TaskSpec) and spec.name == name else None
    return None
