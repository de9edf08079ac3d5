"""The functions executors run: one per kind of step the parallel driver submits.

Each is a module-level function ``step(unit, *deps)``: ``unit`` is plain,
picklable data (IR bindings, the task spec, a :class:`ShippedFunction`), and
``deps`` are the outputs of the nodes the step reads, in the order of
``unit.ids`` (:data:`INPUTS` stands for the graph's own inputs). Bindings are
resolved *where the step runs*, so on Dask a task's inputs move from worker to
worker and never through the client. The task itself runs through
:func:`~flowgen.runtime.task_call.execute_task`, the unit the in-process loop and
generated code run too (validation, cache, retries, timeout), which is why
results cannot depend on the executor. The driver's cache settings travel with
each task step and are applied in the worker process before it runs.

=====================  ==========================================================
step                   what it returns
=====================  ==========================================================
``run_task``           the task's named outputs
``prepare``            validated inputs of a sub-workflow or ``@dynamic``
``collect``            a graph's named outputs (checked against an interface)
``choose_branch``      the index of the ``conditional`` branch taken
``map_count``          the number of ``map_task`` items (lengths checked)
``map_item``           one item's outputs (or its failure, when some may fail)
``map_items``          consecutive items' results, as a :class:`MapChunk`
``map_collect``        the ``map_task`` node's outputs
``run_fused``          the last task's outputs, after running a fused group of
                       task nodes one after the other (:mod:`.fusion`); for a
                       *chunk* of independent nodes, a :class:`ChunkOutputs`
                       holding each exported node's outputs by node id
=====================  ==========================================================

A step reading nodes of a chunk gets the whole :class:`ChunkOutputs` once (the
chunk's one handle stands for each of its nodes, and the driver passes it once,
``ExpandedGraph.read_ids``) and finds each node's outputs in it (:func:`_scope`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import flowgen.data.store as store
from flowgen.errors import FlowgenError
from flowgen.ir.model import (
    Binding,
    Condition,
    InputRef,
    Interface,
    LiteralBinding,
    NodeOutputRef,
    SourceSpan,
    TaskSpec,
)
from flowgen.ir.types import PrimitiveType
from flowgen.runtime import cache, task_context
from flowgen.runtime.bindings import facts as _facts
from flowgen.runtime.bindings import resolver as _resolver
from flowgen.runtime.boundary import check_outputs, prepare_inputs
from flowgen.runtime.conditions import evaluate
from flowgen.runtime.events import observed
from flowgen.runtime.executors.in_flight import cache_hit, land, take_off
from flowgen.runtime.executors.shipping import ShippedFunction
from flowgen.runtime.mapping import collect_items, item_inputs, mapped_length
from flowgen.runtime.task_call import execute_task, process_died

__all__ = [
    "INPUTS",
    "BranchUnit",
    "CacheSettings",
    "ChunkOutputs",
    "CollectUnit",
    "ItemFailure",
    "MapChunk",
    "MapUnit",
    "PrepareUnit",
    "TaskOutputs",
    "TaskUnit",
    "choose_branch",
    "collect",
    "map_collect",
    "map_count",
    "map_item",
    "map_items",
    "member_step",
    "note_steps",
    "plan_inputs",
    "prepare",
    "process_died_error",
    "run_fused",
    "run_task",
    "task_of",
]

_JSON_NATIVE = frozenset({"str", "int", "bool", "none"})  # literals whose JSON is the value (as in bindings)

INPUTS = "<inputs>"
"""The id under which a step receives its graph's inputs."""

_note_step: Callable[[str], None] | None = None


def note_steps(note: Callable[[str], None] | None) -> None:
    """Have this process call ``note(path)`` as each task node or item starts, alone or inside a
    fused call or chunk (``""`` when the call ends): a local Dask worker notes it where the driver
    reads it should the process die, to name the very node that was running (executors/dask.py)."""
    global _note_step
    _note_step = note



@dataclass(frozen=True, slots=True)
class CacheSettings:
    """The driver's cache configuration and raw-data store, applied where a task step runs
    (so a worker stores files and tables where the driver and the other workers read them)."""

    directory: str | None
    enabled: bool
    raw_data_prefix: str | None = None
    raw_data_options: tuple[tuple[str, Any], ...] = ()
    execution: task_context.Execution | None = None  # the run's id and date, for current_context()
    secrets_env: tuple[tuple[str, str], ...] = field(default=(), repr=False)  # the driver's _FSEC_* variables

    @staticmethod
    def current() -> CacheSettings:
        prefix, options = store.store_settings()
        return CacheSettings(cache._configured, cache.cache_enabled(), prefix, tuple(sorted(options.items())),
                             task_context.current_execution(), task_context.secrets_environment())

    def apply(self) -> None:
        if cache._configured != self.directory:
            cache.set_cache_dir(self.directory)
        if cache.cache_enabled() != self.enabled:
            cache.set_cache_enabled(self.enabled)
        if self.raw_data_prefix is not None:
            store.apply_store_settings(self.raw_data_prefix, dict(self.raw_data_options))
        task_context.adopt_execution(self.execution, self.secrets_env)


class TaskOutputs(dict[str, Any]):
    """A task's named outputs; ``cached``: whether the cache served them; ``seconds``: the call's time;
    ``attempts``: how many calls it took (retries)."""

    cached = False
    seconds = 0.0
    attempts = 1
    fused: list[tuple[str, float, bool]] | None = None  # run_fused: (path, seconds, cached) of each member


class ChunkOutputs(dict[str, Any]):
    """The outputs of a chunk's exported nodes, by node id (``run_fused`` with ``exports``);
    ``fused``: (path, seconds, cached) of every node the chunk ran."""

    fused: list[tuple[str, float, bool]] | None = None


def _scope(ids: tuple[str, ...], deps: tuple[Any, ...]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    values: dict[str, Any] = {}
    for i, dep in zip(ids, deps):
        if type(dep) is ChunkOutputs:  # a chunk's value, passed once, stands for each of its nodes
            values.update(dep)
        else:
            values[i] = dep
    return values.get(INPUTS, {}), values


def _resolve_all(bindings: dict[str, Binding], ids: tuple[str, ...], deps: tuple[Any, ...],
                 describe: Callable[[], str]) -> dict[str, Any]:
    inputs, values = _scope(ids, deps)
    return {name: _resolver(b, describe)(inputs, values) for name, b in bindings.items()}


@dataclass(frozen=True, slots=True)
class TaskUnit:
    spec: TaskSpec
    function: ShippedFunction
    bindings: dict[str, Binding]
    ids: tuple[str, ...]
    workflow: str
    path: str
    call_site: SourceSpan | None
    cache: CacheSettings

    def describe(self) -> str:
        return f"node {self.path} of {self.workflow}"

    def execute(self, kwargs: dict[str, Any], path: str) -> TaskOutputs:
        self.cache.apply()
        spec = self.spec
        started = time.perf_counter()
        outcome = execute_task(spec, self.function.fn, kwargs, what=f"task {spec.name} (node {path} of {self.workflow})",
                               facts=_facts(self.workflow, path, spec.name, self.call_site))
        outputs = TaskOutputs(outcome.outputs)
        outputs.seconds = time.perf_counter() - started
        if outcome.cached:
            outputs.cached = True
            cache_hit(self.cache.execution, path)
        if outcome.attempts > 1:
            outputs.attempts = outcome.attempts
        return outputs


def run_task(unit: TaskUnit, *deps: Any) -> TaskOutputs:
    note = _note_step
    token = take_off(unit.cache.execution, "task", unit.path)
    if note is None:
        try:
            return unit.execute(_resolve_all(unit.bindings, unit.ids, deps, unit.describe), unit.path)
        finally:
            land(token)
    note(unit.path)
    try:
        return unit.execute(_resolve_all(unit.bindings, unit.ids, deps, unit.describe), unit.path)
    finally:
        note("")
        land(token)


@dataclass(frozen=True, slots=True)
class FusedUnit:
    """Task nodes that run in one call, in this order (the last one's outputs are the call's).

    Compact, because it crosses to a worker for every group: what the members share (their task
    specs and functions, the workflow, the cache settings) is held once, and each member is
    ``(node id, path, spec index, plan of its inputs, call site)``, its inputs planned by
    :func:`plan_inputs` rather than pickled as IR objects. ``ids`` are what the group reads from
    outside, as for a single task.
    """

    specs: tuple[TaskSpec, ...]
    functions: tuple[ShippedFunction, ...]
    members: tuple[tuple[str, str, int, tuple[tuple[Any, ...], ...], tuple[str, int, int] | None], ...]
    workflow: str
    cache: CacheSettings
    ids: tuple[str, ...]
    run: str | None = None  # when an event stream listens: each member's steps are stamped (events.observed)
    exports: tuple[str, ...] = ()  # a chunk: the node ids whose outputs the call returns (ChunkOutputs)


def plan_inputs(bindings: dict[str, Binding]) -> tuple[tuple[Any, ...], ...]:
    """A task node's bindings as plain tuples: ``(name, "o", node, output)`` for a node's output,
    ``(name, "i", input)`` for a graph input, ``(name, "c", value)`` for a literal JSON already
    holds, and ``(name, "b", binding)`` (resolved as anywhere else) for the rest."""
    plan: list[tuple[Any, ...]] = []
    for name, b in bindings.items():
        if type(b) is NodeOutputRef and not b.path:
            plan.append((name, "o", b.node, b.output))
        elif type(b) is InputRef and not b.path:
            plan.append((name, "i", b.name))
        elif type(b) is LiteralBinding and isinstance(b.type, PrimitiveType) and b.type.name in _JSON_NATIVE:
            plan.append((name, "c", b.value))
        else:
            plan.append((name, "b", b))
    return tuple(plan)


def _member_unit(unit: FusedUnit, member: tuple[Any, ...]) -> TaskUnit:
    _, path, index, _, site = member
    call_site = SourceSpan.model_construct(file=site[0], line=site[1], column=site[2]) if site else None
    return TaskUnit(unit.specs[index], unit.functions[index], {}, (), unit.workflow, path, call_site, unit.cache)


def run_fused(unit: FusedUnit, *deps: Any) -> TaskOutputs | ChunkOutputs:
    """Each member as ``run_task`` would run it, its inputs read from the group's own results too.
    The result (the last member's outputs, or a chunk's :class:`ChunkOutputs`) carries ``fused``:
    each member's path, time and whether the cache served it. The first failure ends the call."""
    note = _note_step
    done: list[tuple[str, float, bool]] = []
    token = take_off(unit.cache.execution, "fused", unit.members, done)
    try:
        return _run_members(unit, deps, note, done)
    finally:
        land(token)
        if note is not None:
            note("")


def _run_members(unit: FusedUnit, deps: tuple[Any, ...], note: Callable[[str], None] | None,
                 done: list[tuple[str, float, bool]]) -> TaskOutputs | ChunkOutputs:
    inputs, values = _scope(unit.ids, deps)
    outputs = TaskOutputs()
    for member in unit.members:
        node_id, path, _, plan, _ = member
        if note is not None:
            note(path)
        task = _member_unit(unit, member)
        kwargs: dict[str, Any] = {}
        for step in plan:
            kind = step[1]
            if kind == "o":
                kwargs[step[0]] = values[step[2]][step[3]]
            elif kind == "c":
                kwargs[step[0]] = step[2]
            elif kind == "i":
                kwargs[step[0]] = inputs[step[2]]
            else:
                kwargs[step[0]] = _resolver(step[2], task.describe)(inputs, values)
        if unit.run is not None:
            outputs = observed(unit.run, path, task.execute, kwargs, path)
        else:
            outputs = task.execute(kwargs, path)
        values[node_id] = outputs
        done.append((path, outputs.seconds, outputs.cached))
    if unit.exports:
        chunk = ChunkOutputs((node_id, values[node_id]) for node_id in unit.exports)
        chunk.fused = done
        return chunk
    outputs.fused = done
    return outputs


@dataclass(frozen=True, slots=True)
class PrepareUnit:
    interface: Interface
    bindings: dict[str, Binding]
    ids: tuple[str, ...]
    what: str
    facts: dict[str, Any]


def prepare(unit: PrepareUnit, *deps: Any) -> dict[str, Any]:
    kwargs = _resolve_all(unit.bindings, unit.ids, deps, lambda: unit.what)
    return prepare_inputs(unit.interface, kwargs, what=unit.what, **unit.facts)


@dataclass(frozen=True, slots=True)
class CollectUnit:
    bindings: dict[str, Binding]
    ids: tuple[str, ...]
    what: str
    check: Interface | None = None
    facts: dict[str, Any] | None = None


def collect(unit: CollectUnit, *deps: Any) -> dict[str, Any]:
    outputs = _resolve_all(unit.bindings, unit.ids, deps, lambda: unit.what)
    if unit.check is None:
        return outputs
    return check_outputs(unit.check, outputs, unit.what, unit.facts or {})


@dataclass(frozen=True, slots=True)
class BranchUnit:
    conditions: tuple[Condition, ...]
    ids: tuple[str, ...]
    what: str


def choose_branch(unit: BranchUnit, *deps: Any) -> int:
    """The index of the first case whose condition holds; ``len(conditions)`` for ``else``."""
    inputs, values = _scope(unit.ids, deps)

    def describe() -> str:
        return unit.what

    def value(binding: Binding) -> Any:
        return _resolver(binding, describe)(inputs, values)

    for i, condition in enumerate(unit.conditions):
        if evaluate(condition, value, describe):
            return i
    return len(unit.conditions)


@dataclass(frozen=True, slots=True)
class MapUnit:
    task: TaskUnit
    mapped: tuple[str, ...]
    min_success_ratio: float


@dataclass(frozen=True, slots=True)
class ItemFailure:
    """A failed item of a ``map_task`` allowed to have failures (``min_success_ratio < 1``)."""

    error: FlowgenError


def map_count(unit: MapUnit, *deps: Any) -> int:
    task = unit.task
    kwargs = _resolve_all(task.bindings, task.ids, deps, task.describe)
    return mapped_length(task.spec.name, task.path, kwargs, unit.mapped,
                         _facts(task.workflow, task.path, task.spec.name, task.call_site))


def map_item(unit: MapUnit, index: int, *deps: Any) -> Any:
    task = unit.task
    note = _note_step
    if note is not None:
        note(f"{task.path}[{index}]")
    token = take_off(task.cache.execution, "items", task.path, index, index + 1, ())
    try:
        return _map_one(unit, _resolve_all(task.bindings, task.ids, deps, task.describe), index)
    finally:
        land(token)
        if note is not None:
            note("")


def _map_one(unit: MapUnit, kwargs: dict[str, Any], index: int) -> Any:
    task = unit.task
    try:
        return task.execute(item_inputs(kwargs, unit.mapped, index), f"{task.path}[{index}]")
    except FlowgenError as exc:
        if unit.min_success_ratio >= 1.0:
            raise
        return ItemFailure(exc)


class MapChunk(list[Any]):
    """The results of consecutive items of a map, run as one call (``map_items``)."""


def map_items(unit: MapUnit, start: int, stop: int, run: str | None, *deps: Any) -> MapChunk:
    """Items ``start`` to ``stop - 1``, one after the other, each as ``map_item`` runs it (its
    inputs resolved once); with ``run``, each is stamped for the event stream as its own step."""
    task = unit.task
    kwargs = _resolve_all(task.bindings, task.ids, deps, task.describe)
    chunk = MapChunk()
    note = _note_step
    token = take_off(task.cache.execution, "items", task.path, start, stop, chunk)
    try:
        for index in range(start, stop):
            if note is not None:
                note(f"{task.path}[{index}]")
            if run is None:
                chunk.append(_map_one(unit, kwargs, index))
            else:
                chunk.append(observed(run, f"{task.path}[{index}]", _map_one, unit, kwargs, index))
    finally:
        land(token)
        if note is not None:
            note("")
    return chunk


def map_collect(unit: MapUnit, *items: Any) -> dict[str, Any]:
    task = unit.task
    spec = task.spec
    out_name = spec.interface.outputs[0].name if spec.interface.outputs else None
    results: list[Any] = []
    errors: dict[int, FlowgenError] = {}
    if any(type(item) is MapChunk for item in items):
        items = tuple(one for item in items for one in (item if type(item) is MapChunk else (item,)))
    for i, item in enumerate(items):
        if isinstance(item, ItemFailure):
            errors[i] = item.error
            results.append(None)
        else:
            results.append(item[out_name] if out_name else None)
    facts = _facts(task.workflow, task.path, spec.name, task.call_site)
    return {"o0": collect_items(spec.name, task.path, results, errors, unit.min_success_ratio, facts)}


def task_of(fn: Callable[..., Any], args: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """The task unit and node path a step runs (``run_task``, a ``map_item``), or None for other steps.
    Executors keep this much of a call (never its inputs) to name it if its process dies."""
    if fn is observed:  # stamped for the event stream: observed(run, key, step, *args)
        return task_of(args[2], args[3:])
    if fn is run_task:
        return args[0], args[0].path
    if fn is map_item:
        return args[0].task, f"{args[0].task.path}[{args[1]}]"
    if fn is map_items:  # which item was running is not known: the chunk's last stands for it
        path = args[0].task.path
        return args[0].task, f"{path}[{args[2] - 1}]", tuple(f"{path}[{i}]" for i in range(args[1], args[2] - 1)), True
    if fn is run_fused:  # which member was running is not known: the group's last task stands for it
        unit: FusedUnit = args[0]
        last = _member_unit(unit, unit.members[-1])
        return last, last.path, tuple(m[1] for m in unit.members[:-1]), bool(unit.exports)
    return None


_NAMED = 8  # the other nodes of a fused or batched call a worker-death error names


def member_step(fn: Callable[..., Any], args: tuple[Any, ...], path: str) -> tuple[Any, ...] | None:
    """The task unit and path of node or item ``path`` inside a fused call or chunk, as
    :func:`task_of` gives them for a call of its own; None if it is not one of them."""
    if fn is observed:
        return member_step(args[2], args[3:], path)
    if fn is run_fused:
        member = next((m for m in args[0].members if m[1] == path), None)
        return (_member_unit(args[0], member), path) if member is not None else None
    if fn is map_items and path.startswith(args[0].task.path + "["):
        return args[0].task, path
    return None


def process_died_error(step: tuple[Any, ...] | None, how: str) -> FlowgenError:
    """The error of a step whose worker process died running it: the task and node (when the step
    runs one) and ``how`` (``the process running it exited with code 3``)."""
    if step is None:
        return FlowgenError(f"a flowgen step failed: {how}")
    unit, path = step[0], step[1]
    if len(step) > 2:
        others = step[2] if len(step[2]) <= _NAMED else (*step[2][:_NAMED], f"... ({len(step[2]) - _NAMED} more)")
        how += (f" (it ran in one call with node(s) {', '.join(others)}, "
                f"{'batched' if len(step) > 3 and step[3] else 'fused'}: any of them may have ended it)")
    spec = unit.spec
    facts = _facts(unit.workflow, path, spec.name, unit.call_site)
    return process_died(how, 1, {"what": f"task {spec.name} (node {path} of {unit.workflow})", **facts})
