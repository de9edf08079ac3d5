"""Calls that run several task nodes: fused groups and chunks (:mod:`flowgen.runtime.executors.fusion`).

The parallel driver (:mod:`flowgen.runtime.scheduler`) submits a *fused group* (a narrow chain
of task nodes) or a *chunk* (independent units ready at the same moment) as one executor call,
``run_fused(FusedUnit, *outside handles)``. The call's handle stands for the nodes whose
outputs leave it: a fused group's last node, or each unit's last node of a chunk (its value is
then a :class:`~flowgen.runtime.executors.units.ChunkOutputs` that readers pick their node
from). What the members share (task specs, shipped functions, cache settings) crosses to the
worker once per call, not once per node.

Each member is still a node of its own in the event stream: when an observer listens, each
member is stamped where it runs (``events.observed`` inside ``run_fused``), and on Dask each is
reported when its own end event arrives; a failure names the member that failed (the call
stops there, as a fail-fast run does). Without an observer, the call is watched like any node
(when a node of it is a sink, or when every node is watched).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Protocol

from flowgen.ir.model import MapNode, Node, TaskNode, TaskSpec
from flowgen.runtime.executors.base import Executor, Handle
from flowgen.runtime.executors.fusion import item_chunks
from flowgen.runtime.executors.units import CacheSettings, FusedUnit, MapUnit, map_items, plan_inputs, run_fused
from flowgen.runtime.expansion import ExpandedGraph

if TYPE_CHECKING:
    from flowgen.runtime.executors.shipping import ShippedFunction
    from flowgen.runtime.relay import EventRelay

__all__ = ["GroupDriver", "call_group", "call_item_chunks", "step_group"]


class _CachedNodes(Protocol):
    cached_nodes: list[str]


class GroupDriver(Protocol):
    """What a group call asks of the driver submitting it (flowgen.runtime.scheduler.ParallelDriver,
    which imports this module: read through this protocol, the runtime stays free of import cycles)."""

    executor: Executor
    keep_going: bool
    _cache: CacheSettings
    _relay: EventRelay | None
    _run: str
    _watch_all: bool

    @property
    def interpreter(self) -> _CachedNodes: ...

    @property
    def _serial(self) -> Iterator[int]: ...

    def watch(self, handle: Handle, on_done: Callable[[Handle], None], what: str | None = None,
              path: str | None = None, report: Callable[[Handle], None] | None = None) -> None: ...

    def _function(self, spec: TaskSpec) -> ShippedFunction: ...

    def _reported(self, g: ExpandedGraph, node: Node, started: float, ids: tuple[str, ...] | None = None
                  ) -> Callable[[Handle], None]: ...


def step_group(spec: TaskSpec) -> str:
    """The Dask key group of a task's calls: its name (what Dask's duration estimates go by)."""
    return spec.name.rsplit(".", 1)[-1].replace("-", "_") or "task"


def call_group(driver: GroupDriver, g: ExpandedGraph, nodes: list[TaskNode], exports: tuple[str, ...] = ()) -> None:
    """Submit ``nodes`` (in running order) as one call: a fused group, or with ``exports`` a chunk."""
    root = nodes[-1]
    path = g.prefix + root.id
    relay = driver._relay
    started = time.perf_counter()
    specs: dict[str, int] = {}
    members = []
    for node in nodes:
        index = specs.setdefault(node.task, len(specs))
        site = node.call_site
        members.append((node.id, g.prefix + node.id, index, plan_inputs(node.inputs),
                        (site.file, site.line, site.column) if site is not None else None))
        if relay is not None:
            relay.known(g.prefix + node.id, node, g.owners.get(node.id, g.owner))
    own = {node.id for node in nodes}
    ids = tuple(i for i in g.read_ids([b for n in nodes for b in n.inputs.values()],
                                      [u for n in nodes for u in n.upstream]) if i not in own)
    spec_list = tuple(g.tasks[name] for name in specs)
    unit = FusedUnit(spec_list, tuple(driver._function(spec) for spec in spec_list), tuple(members), g.spec.name,
                     driver._cache, ids, driver._run if relay is not None else None, exports)
    key = f"{step_group(g.tasks[root.task])}-{path}-{driver._run}-{next(driver._serial)}"
    handle = driver.executor.submit(key, run_fused, unit, *g.args(ids))  # its members stamp themselves
    for node_id in exports or (root.id,):
        g.set_handle(node_id, handle)
    what = f"node {path} of {g.spec.name}"
    if relay is not None and relay.remote:
        for node in nodes:  # each is reported when its own end event arrives
            report = driver._reported(g, node, started, ())
            relay.remote_end(g.prefix + node.id, functools.partial(report, handle))
        driver.watch(handle, _nothing, what, path)
    elif driver._watch_all or any(node_id not in g.consumed for node_id in exports or (root.id,)):
        reported = _reported_group(driver, g, nodes)
        driver.watch(handle, reported, what, path, report=reported)
    for node in nodes:
        g.started(node.id)


def call_item_chunks(driver: GroupDriver, node: MapNode, unit: MapUnit, count: int, args: list[Any],
                     path: str, what: str) -> list[Handle] | None:
    """Submit a ``map_task``'s ``count`` items as a few chunks (``map_items``), or return None when
    each item should be its own call (a ``concurrency`` limit, a run that keeps going, few items).
    Each item is still reported on its own: on Dask as its end event arrives, chunk done or not."""
    executor = driver.executor
    slots = 0 if driver.keep_going or node.concurrency else executor.batch_slots()
    spans = item_chunks(count, slots)
    if not spans:
        return None
    relay = driver._relay
    group = step_group(unit.task.spec)
    handles = []
    for start, stop in spans:
        key = f"{group}-{path}[{start}:{stop}]-{driver._run}-{next(driver._serial)}"
        handle = executor.submit(key, map_items, unit, start, stop, driver._run if relay is not None else None, *args)
        handles.append(handle)
        items = f"items {start} to {stop - 1} of {what}"
        if relay is not None and relay.remote:
            for index in range(start, stop):  # each item is reported when its own end event arrives
                relay.remote_end(f"{path}[{index}]", functools.partial(_item_ended, driver, handle, path, index))
            driver.watch(handle, _nothing, items, path)
        elif driver._watch_all:
            report = _reported_items(driver, path, start, stop)
            driver.watch(handle, report, items, path, report=report)
    return handles


def _item_ended(driver: GroupDriver, handle: Handle, path: str, index: int) -> None:
    """Item ``index`` of a chunk ended (its end event arrived); when the run stops and gives up on
    events still to come, only the items of a chunk that finished are reported."""
    relay = driver._relay
    assert relay is not None
    if relay.give_up and f"{path}[{index}]" not in relay.ends:
        done = getattr(handle, "done", None)
        if not (callable(done) and done() and driver.executor.error(handle) is None):
            return
    relay.item_done(path, index, None)


def _reported_items(driver: GroupDriver, path: str, start: int, stop: int) -> Callable[[Handle], None]:
    relay = driver._relay
    executor = driver.executor

    def report(handle: Handle) -> None:
        if relay is None:
            return
        chunk = executor.local_value(handle)
        for index in range(start, stop):
            relay.item_done(path, index, chunk[index - start] if chunk is not None else None)

    return report


def _reported_group(driver: GroupDriver, g: ExpandedGraph, nodes: list[TaskNode]) -> Callable[[Handle], None]:
    """Note each node of a group finished (and which the cache served, where that is known)."""
    executor = driver.executor
    interpreter = driver.interpreter

    def report(handle: Handle) -> None:
        now = time.perf_counter()
        fused = getattr(executor.local_value(handle), "fused", None) or ()
        for node in nodes:
            g.finished[node.id] = now
        interpreter.cached_nodes.extend(path for path, _, cached, *_ in fused if cached)

    return report


def _nothing(_: Handle) -> None:
    return None
