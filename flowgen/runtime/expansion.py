"""One graph as the parallel driver expands it (:mod:`flowgen.runtime.scheduler`): the root, a
sub-workflow, a ``@dynamic``'s sub-DAG or a branch, with the executor handles of its nodes by id.

A node starts once the handles it reads exist (``when_ready``); a node's handle is dropped once
its last reader has been submitted (``_plan_release``), so a Dask future does not keep its value
on the cluster longer than needed; on an executor that fuses, a narrow group of task nodes
(:mod:`flowgen.runtime.executors.fusion`) starts as one call, and on one that batches, so does
each chunk of the units (groups or task nodes) that read the same nodes, so become ready together.
A run that keeps going after a failure (``FAIL_AFTER_EXECUTABLE_NODES_COMPLETE``) is not chunked:
a node's failure must not stop the independent nodes that share its chunk.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from flowgen.ir.model import (
    Binding,
    BoolOp,
    Comparison,
    Condition,
    ConditionalNode,
    DictBinding,
    InputRef,
    ListBinding,
    Node,
    TaskNode,
    TaskSpec,
    WorkflowSpec,
)
from flowgen.runtime.bindings import binding_sources as _sources
from flowgen.runtime.bindings import node_sources
from flowgen.runtime.executors.base import Executor, Handle
from flowgen.runtime.executors.fusion import chunk_groups, fuse_groups
from flowgen.runtime.executors.units import INPUTS

__all__ = ["Driver", "ExpandedGraph", "condition_bindings", "step_ids"]


class Driver(Protocol):
    """What a graph asks of the driver expanding it (flowgen.runtime.scheduler.ParallelDriver)."""

    executor: Executor
    graphs: list[ExpandedGraph]
    keep_going: bool

    def later(self, action: Callable[[], None]) -> None: ...

    def start_node(self, g: ExpandedGraph, node: Node) -> None: ...

    def start_group(self, g: ExpandedGraph, nodes: list[TaskNode], exports: tuple[str, ...] = ()) -> None: ...


def _reads_inputs(binding: Binding) -> bool:
    if isinstance(binding, InputRef):
        return True
    if isinstance(binding, ListBinding):
        return any(_reads_inputs(b) for b in binding.items)
    if isinstance(binding, DictBinding):
        return any(_reads_inputs(b) for _, b in binding.items)
    return False


def condition_bindings(condition: Condition) -> list[Binding]:
    if isinstance(condition, Comparison):
        return [condition.left, condition.right]
    if isinstance(condition, BoolOp):
        return condition_bindings(condition.left) + condition_bindings(condition.right)
    return [condition.operand]


def step_ids(bindings: Iterable[Binding], upstream: Iterable[str] = ()) -> tuple[str, ...]:
    """The ids a step reads, in first-use order: source nodes, then the graph inputs if used."""
    found: dict[str, None] = dict.fromkeys(upstream)
    uses_inputs = False
    for b in bindings:
        found.update(dict.fromkeys(_sources(b)))
        uses_inputs = uses_inputs or _reads_inputs(b)
    if uses_inputs:
        found[INPUTS] = None
    return tuple(found)


class ExpandedGraph:
    """One expanded graph (the root, a sub-workflow, a dynamic's sub-DAG): its handles by node id."""

    def __init__(self, driver: Driver, spec: WorkflowSpec, tasks: dict[str, TaskSpec], prefix: str,
                 inputs: Any, on_outputs: Callable[[ExpandedGraph, dict[str, Binding]], None], owner: str | None = None) -> None:
        self.driver = driver
        self.owner = owner  # the path of the node this graph runs inside (None: the root)
        self.owners: dict[str, str] = {}  # node id -> its conditional's path, for branch nodes
        self.spec = spec
        self.tasks = tasks
        self.prefix = prefix
        self.handles: dict[str, Any] = {INPUTS: inputs}
        driver.graphs.append(self)
        self.finished: dict[str, float] = {}  # node id -> when the driver heard it finished
        self.consumed: set[str] = set()  # ids some node or output of this graph reads
        self._release_after: dict[str, list[str]] = {}  # node id -> handles to drop once it started
        self._chunk_of: dict[str, str] = {}  # a node id of a chunk -> the chunk's first node id
        self._waiting: dict[str, list[list[Any]]] = {}
        self._on_outputs = on_outputs

    def expand(self, nodes: Iterable[Node], outputs: dict[str, Binding],
               on_outputs: Callable[[ExpandedGraph, dict[str, Binding]], None] | None = None, owner: str | None = None) -> None:
        """Start each node once the handles it reads exist; then hand over the outputs."""
        driver = self.driver
        nodes = tuple(nodes)
        if owner is not None:
            self.owners.update(dict.fromkeys((node.id for node in nodes), owner))
        output_sources = [s for b in outputs.values() for s in _sources(b)]
        self.consumed.update(output_sources)
        for node in nodes:
            self.consumed.update(node_sources(node))
        self._plan_release(nodes, output_sources)
        own = {node.id: node for node in nodes}
        groups = fuse_groups(nodes, output_sources) if driver.executor.fuses else []
        slots = 0 if driver.keep_going else driver.executor.batch_slots()
        # the node that starts each multi-node call -> (its nodes in running order, the ids it exports)
        calls: dict[str, tuple[list[TaskNode], tuple[str, ...]]] = {}
        for chunk in chunk_groups(nodes, groups, slots) if slots else ():
            members = [own[i] for unit in chunk for i in unit]
            exports = tuple(unit[-1] for unit in chunk)
            calls[chunk[-1][-1]] = ([n for n in members if isinstance(n, TaskNode)], exports)
            self._chunk_of.update(dict.fromkeys(exports, exports[0]))
        chunked = {n.id for call, _ in calls.values() for n in call}
        for ids in groups:
            if ids[-1] not in chunked:
                calls[ids[-1]] = ([n for n in (own[i] for i in ids) if isinstance(n, TaskNode)], ())
        inside_calls = {n.id for call, _ in calls.values() for n in call}
        for node in nodes:
            call = calls.get(node.id)
            if call is not None:
                inside = {n.id for n in call[0]}
                outside = [s for n in call[0] for s in node_sources(n) if s not in inside]
                self.when_ready(outside, functools.partial(driver.start_group, self, *call))
            elif node.id not in inside_calls:
                self.when_ready(node_sources(node), functools.partial(driver.start_node, self, node))
        done = on_outputs or self._on_outputs
        self.when_ready(output_sources, lambda: done(self, outputs))

    def _plan_release(self, nodes: tuple[Node, ...], output_sources: list[str]) -> None:
        """Drop the driver's handle of a node once its last reader has been submitted.

        Holding a Dask future keeps its value on the cluster; the calls already submitted hold
        what they need. Kept: what outputs read, what a ``conditional`` reads (its branch is
        expanded later), and handles from enclosing expansions (only this one's nodes are planned).
        """
        own = {node.id for node in nodes}
        kept = set(output_sources)
        last: dict[str, str] = {}
        for node in nodes:
            sources = node_sources(node)
            if isinstance(node, ConditionalNode):
                kept.update(sources)
            for source in sources:
                last[source] = node.id
        for source, reader in last.items():
            if source in own and source not in kept:
                self._release_after.setdefault(reader, []).append(source)

    def started(self, node_id: str) -> None:
        for source in self._release_after.pop(node_id, ()):
            self.handles.pop(source, None)

    def when_ready(self, ids: Iterable[str], action: Callable[[], None]) -> None:
        missing = {i for i in ids if i not in self.handles}
        if not missing:
            self.driver.later(action)
            return
        waiter = [len(missing), action]
        for i in missing:
            self._waiting.setdefault(i, []).append(waiter)

    def set_handle(self, node_id: str, handle: Handle) -> None:
        self.handles[node_id] = handle
        for waiter in self._waiting.pop(node_id, ()):
            waiter[0] -= 1
            if waiter[0] == 0:
                self.driver.later(waiter[1])

    def read_ids(self, bindings: Iterable[Binding], upstream: Iterable[str] = ()) -> tuple[str, ...]:
        """The ids a step reads (:func:`step_ids`), one per chunk: a chunk's handle stands for each
        of its nodes (the step picks them all out of its value), so it is passed once."""
        ids = step_ids(bindings, upstream)
        chunk_of = self._chunk_of
        if not chunk_of:
            return ids
        seen: set[str] = set()
        kept = []
        for i in ids:
            chunk = chunk_of.get(i)
            if chunk is None:
                kept.append(i)
            elif chunk not in seen:
                seen.add(chunk)
                kept.append(i)
        return tuple(kept)

    def args(self, ids: tuple[str, ...]) -> list[Any]:
        handles = self.handles
        return [handles[i] for i in ids]
