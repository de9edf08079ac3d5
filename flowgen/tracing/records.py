"""The lean record path of a ``@dynamic`` body: one small record per task call, no IR.

A @dynamic body is traced at run time and its sub-DAG run at once; the reference workload
makes 4n+1 calls in a Python loop, and building IR objects for each (node, bindings,
call-site span, planning) used to be most of the interpreter's cost. While a body runs
in-process, :class:`Recorder` stands on the builder stack instead of a
:class:`~flowgen.tracing.builder.GraphBuilder`. Each plain task call appends one
:class:`RecordPromise`, which is at the same time

* the **node record**: the task (its :class:`RecordInfo`, shared by every call of the
  task), the input values in parameter order -- an upstream record, an exact scalar
  constant, or a :class:`Bound` IR binding for anything else (list literals, ``p[0]``,
  Promises inside lists) -- and the call site as ``(code, offset)``, resolved to
  file:line:col only when an error, a report or the IR needs it
  (:func:`flowgen.tracing.callsite.site_span`); its node id is ``n<index>``;
* the **Promise** the call returns (a :class:`~flowgen.tracing.promise.Promise` subclass:
  every rule and message of Promises holds; its binding, type and origin are computed
  from the record when asked).

The common call -- every input by keyword, each an exact scalar or a record of the input's
very type -- is made by the task's *record maker*, straight-line code generated once per
task (:mod:`flowgen.tracing.record_calls`); any other call takes
:meth:`Recorder.add_call_general`, which makes the same record or the same error.

Trace order is already topological (a call can only read records made before it), so
there is no planning: the back end runs the records in order
(:mod:`flowgen.runtime.recorded`), and memory is released by reference counting as nodes
finish (a record lives while an unrun reader or the outputs hold it).

**Fallback.** Anything the record path does not model -- a call that is not a task
(workflow, @dynamic, launch plan, ``map_task``), a task with several outputs, an input
left to its default, ``conditional()``, ``>>``, ``create_node``, a Promise of another
graph, any other use of the builder -- *materializes* the records first: each becomes
the IR node the :class:`GraphBuilder` would have made for that call (same id, inputs,
call site, task table order), the builder replaces the recorder on the stack and the
trace continues on today's path. Tracing is two-phase, so this is decided before any node
runs, and :meth:`RecordedGraph.program` gives exactly the Program that ``trace_dynamic``
would have (tests/core/test_records.py compares them). Errors at a call (unknown or
missing input, a wrong literal or Promise type) come from the same builder code, at the
same moment, with the same location.

**Why two-phase, not streaming** (issue 16 item 2). Running nodes while the body is
still being traced would be observable: if the body raises after some calls, today
nothing has run (the trace fails with a CompileError before any task), while a
streaming run would already have run tasks with side effects, cached results and
reported progress. So nodes run only after the body returned and its outputs bound.
"""

from __future__ import annotations

from collections.abc import Callable
from sys import _getframe
from typing import Any

from flowgen.errors import WiringError
from flowgen.ir.compat import is_assignable
from flowgen.ir.construct import construct_exact
from flowgen.ir.model import Binding, NodeOutputRef, Program, TaskNode, TaskSpec, WorkflowSpec, binding_sources
from flowgen.ir.types import ListType, PrimitiveType, TypeSpec
from flowgen.tracing.builder import GraphBuilder, bind_arguments, push_builder, replace_builder, truncate_builders
from flowgen.tracing.callsite import Site, site_span, sites_of, user_frame_from
from flowgen.tracing.literals import literal_binding
from flowgen.tracing.promise import NodeHandle, Promise
from flowgen.tracing.record_calls import CALLER_DEPTH, record_maker

__all__ = ["Bound", "RecordInfo", "RecordPromise", "RecordedGraph", "Recorder"]

_SAME_IN_JSON: dict[str, type] = {"str": str, "int": int, "bool": bool}


class RecordInfo:
    """What every record of one task shares: its spec and the shape of its calls.

    ``params`` is ``(name, type, exact)`` per input: ``exact`` is the Python type whose instances
    the IR keeps as-is (a literal of an exact JSON scalar), else None. Types are interned by value
    (:func:`_canonical`), so a Promise's type usually *is* the input's type."""

    __slots__ = ("count", "names", "out_name", "out_type", "params", "single", "spec", "what")

    def __init__(self, spec: TaskSpec, kind: str) -> None:
        interface = spec.interface
        self.spec = spec
        self.params = tuple(
            (p.name, _canonical(p.type),
             _SAME_IN_JSON.get(p.type.name) if type(p.type) is PrimitiveType else None)  # type: ignore[union-attr]
            for p in interface.inputs)
        self.names = frozenset(p.name for p in interface.inputs)
        self.count = len(self.params)
        self.single = interface.output_form == "single"
        out = interface.outputs[0] if self.single else None
        self.out_name = out.name if out is not None else None
        self.out_type = _canonical(out.type) if out is not None else None
        self.what = f"{kind} {spec.name}"


_types: dict[TypeSpec, TypeSpec] = {}


def _canonical(spec: TypeSpec) -> TypeSpec:
    """One object per distinct type (equal types are interchangeable in every check and in the IR)."""
    try:
        return _types.setdefault(spec, spec)
    except TypeError:  # pragma: no cover - IR types are frozen, hence hashable
        return spec


def _info_of(callee: Any) -> RecordInfo | None:
    """The record info of a plain task (cached on it, with its record maker); None for what the
    record path does not model."""
    info = maker = None
    if callee.kind == "task" and getattr(callee, "extra_bindings", None) is None:
        spec = callee.spec()
        if spec.interface.output_form in ("single", "none") and spec.name == callee.name:
            info = RecordInfo(spec, callee.kind)
            maker = record_maker(info, RecordPromise, NodeHandle)
    callee._flowgen_record_info = info  # entities have a __dict__
    callee._flowgen_record_maker = maker
    return info


def _maker_of(callee: Any) -> Any:
    _info_of(callee)
    return callee._flowgen_record_maker


class Bound:
    """An input the record path keeps as IR: the binding the builder made, and the records it reads."""

    __slots__ = ("binding", "reads")

    def __init__(self, binding: Binding, reads: dict[str, RecordPromise]) -> None:
        self.binding = binding
        self.reads = reads


class RecordPromise(Promise):
    """One task call of a traced @dynamic body: the node record and the Promise of its output.

    Slots: ``_info`` (the task), ``_args`` (input values in parameter order: a record, a
    constant or a :class:`Bound`), ``_site`` (``(code, offset)`` of the call), ``_index``
    (node id ``n<index>``), ``_readers`` (how many inputs and outputs read it: the back end
    hands a value read once to its reader without a second copy), ``_value`` (set by the
    back end when the node has run). The
    Promise's binding, type, origin and node id are derived from them when asked.
    """

    __slots__ = ("_args", "_index", "_info", "_readers", "_site", "_value")

    def __init__(self, info: RecordInfo, args: list[Any], site: Site | None, index: int, scope: Any) -> None:
        self._info = info
        self._args = args
        self._site = site
        self._index = index
        self._scope = scope
        self._readers = 0

    @property  # type: ignore[override, misc]
    def _node(self) -> str:  # type: ignore[override]
        return f"n{self._index}"

    @property  # type: ignore[override, misc]
    def _type(self) -> TypeSpec:  # type: ignore[override]
        return self._info.out_type  # type: ignore[return-value]

    @property  # type: ignore[override, misc]
    def _binding(self) -> Binding:  # type: ignore[override]
        return construct_exact(NodeOutputRef, {"kind": "output", "node": f"n{self._index}",
                                               "output": self._info.out_name, "path": ()})

    def _call_site(self) -> Any:
        """The call's SourceSpan (what the IR node's ``call_site`` would be)."""
        return site_span(self._site)

    @property  # type: ignore[override, misc]
    def _origin_parts(self) -> tuple[str, ...]:  # type: ignore[override]
        return ("output '", self._info.out_name or "", "' of ", self._info.what, " (node ", f"n{self._index}", ")")


class _Hot:
    """The recorder's state on the hot path, in a plain slotted object (attribute reads on the
    recorder itself go through its ``__getattr__`` hook, which the interpreter cannot specialize).

    ``code`` and ``sites`` cache the call sites of the code object the last call came from
    (offset -> the shared ``(code, offset)`` site); ``frame`` is the user's frame that made
    the last calls, when known (one identity test instead of reading ``f_code``; held only
    while the recorder is on the stack); ``lean`` turns False when the trace falls back."""

    __slots__ = ("code", "frame", "lean", "sites")

    def __init__(self) -> None:
        self.code: Any = None
        self.frame: Any = None
        self.sites: dict[int, Site] = {}
        self.lean = True

    def site(self, frame: Any) -> Site | None:
        """The call site of a call from ``frame`` (walking out of flowgen's and the stdlib's frames)."""
        given = frame
        frame = user_frame_from(frame)
        self.frame = frame if frame is given else None
        if frame is None:
            return None
        code = frame.f_code
        self.code = code
        self.sites = sites = sites_of(code)
        offset = frame.f_lasti
        site = sites.get(offset)
        if site is None:
            site = sites[offset] = (code, offset)
        return site


class Recorder:
    """Stands on the builder stack while a @dynamic body is traced (see the module docstring).

    ``builder`` is the GraphBuilder the trace falls back to; it also binds the body's outputs
    and makes every error. Any attribute the recorder does not have materializes the records
    and is read from the builder.

    ``add_call`` (what ``Task.__call__`` calls) is a closure made per recorder: the common call
    is made by the task's record maker (:mod:`flowgen.tracing.record_calls`), everything else by
    :meth:`add_call_general`.
    """

    def __init__(self, builder: GraphBuilder) -> None:
        self.builder = builder
        self.records: list[RecordPromise] = []
        self._hot = _Hot()
        self._scope = builder.scope
        self._scope.builder = self  # `a >> b` on a record reaches the recorder, which falls back
        self._depth = -1
        self.add_call = self._adder()

    @property
    def lean(self) -> bool:
        return self._hot.lean

    @property
    def call_frames(self) -> tuple[Any, ...]:
        """The user's frames of the latest recorded and built calls (the body's, usually), until the
        trace ends."""
        return self._hot.frame, self.builder.call_frame

    def __enter__(self) -> Recorder:
        self._depth = push_builder(self)
        return self

    def __exit__(self, *exc: Any) -> None:
        truncate_builders(self._depth)
        self._hot.frame = None  # the body's frame (and its locals) is not kept past the trace

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        self.materialize()
        return getattr(self.builder, name)

    # -- the hot path -------------------------------------------------------------------------
    def _adder(self) -> Callable[[Any, tuple[Any, ...], dict[str, Any]], Any]:
        hot, scope, records, general = self._hot, self._scope, self.records, self.add_call_general

        def add_call(callee: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
            """``callee(*args, **kwargs)`` in the body: one record (see the module docstring)."""
            try:
                maker = callee._flowgen_record_maker
            except AttributeError:
                maker = _maker_of(callee)
            if maker is not None and not args and hot.lean:
                made = maker(kwargs, scope, hot, records)
                if made is not None:
                    return made
            return general(callee, args, kwargs)

        return add_call

    def add_call_general(self, callee: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        """A call the task's record maker did not take: bound here, by the builder's rules."""
        try:
            info = callee._flowgen_record_info
        except AttributeError:
            info = _info_of(callee)
        hot = self._hot
        if info is None or not hot.lean:
            return self._fall_back(callee, args, kwargs)
        bound = kwargs
        if args or len(kwargs) != info.count:
            bound = bind_arguments(callee.interface, callee.kind, callee.name, args, kwargs)
            if len(bound) != info.count:  # an input left to its default: the IR path fills it
                return self._fall_back(callee, args, kwargs)
        scope = self._scope
        values = []
        for name, target, exact in info.params:
            try:
                value = bound[name]
            except KeyError:  # an unknown input beside a missing one: the builder's error
                bind_arguments(callee.interface, callee.kind, callee.name, args, kwargs)
                raise
            kind = type(value)
            if kind is exact:
                values.append(value)  # the literal the IR would hold as-is
                continue
            if kind is RecordPromise and value._scope is scope and (
                    value._info.out_type is target or is_assignable(value._info.out_type, target)):
                value._readers += 1
                values.append(value)  # a record of this graph
                continue
            kept = self._bind(value, target, info, name)
            if kept is None:
                return self._fall_back(callee, args, kwargs)
            values.append(kept)
        frame = _getframe(CALLER_DEPTH)  # the caller of the entity's __call__: the user's frame, usually
        if frame.f_code is hot.code:
            site = hot.sites.get(frame.f_lasti)
            if site is None:
                site = hot.site(frame)
        else:
            site = hot.site(frame)
        records = self.records
        record = RecordPromise(info, values, site, len(records), scope)
        records.append(record)
        if info.single:
            return record
        return NodeHandle(f"n{record._index}", scope)

    def _bind(self, value: Any, target: TypeSpec, info: RecordInfo, name: str) -> Any:
        """An input the hot path does not model, bound by the builder (its errors, its binding);
        None when it reads something that is not a record of this graph."""
        if isinstance(value, Promise) and value._scope is not self._scope:
            return None
        if type(value) is list and type(target) is ListType and not target.constraints:  # `[0] * 26`
            item = target.item  # type: ignore[attr-defined]
            exact = _SAME_IN_JSON.get(item.name) if type(item) is PrimitiveType and not item.constraints else None
            if exact is not None and all(type(x) is exact for x in value):
                return value.copy()  # the value its IR literal would give back; copied again per run
        callee = info.spec.name
        binding = self.builder.bind_value(value, target, f"input {name!r} of {info.what}", callee, name)
        reads: dict[str, RecordPromise] = {}
        for node in binding_sources(binding):
            index = int(node[1:]) if node[:1] == "n" and node[1:].isdigit() else -1
            if not 0 <= index < len(self.records):
                return None
            reads[node] = record = self.records[index]
            record._readers += 1
        return Bound(binding, reads)

    def _fall_back(self, callee: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        self.materialize()
        return self.builder.add_call(callee, args, kwargs)  # its call-site walk skips these frames too

    # -- falling back -------------------------------------------------------------------------
    def materialize(self) -> None:
        """Turn the records into the IR nodes the builder would have made, and hand over to it."""
        if not self._hot.lean:
            return
        self._hot.lean = False
        builder = self.builder
        for record in self.records:
            builder.tasks[record._info.spec.name] = record._info.spec
            builder.append(_node_of(record, builder.next_id()))
        replace_builder(self._depth, self, builder)
        if self._scope.builder is self:
            self._scope.builder = builder


def _node_of(record: RecordPromise, node_id: str) -> TaskNode:
    """The TaskNode ``GraphBuilder.add_call`` makes for this call."""
    info = record._info
    inputs: dict[str, Binding] = {}
    for (name, target, _), value in zip(info.params, record._args):
        kind = type(value)
        if kind is RecordPromise:
            inputs[name] = value._binding
        elif kind is Bound:
            inputs[name] = value.binding
        else:
            inputs[name] = literal_binding(value, target)
    fields = {"id": node_id, "call_site": site_span(record._site), "upstream": (), "kind": "task",
              "task": info.spec.name, "inputs": inputs}
    return construct_exact(TaskNode, fields)


class RecordedGraph:
    """A traced @dynamic body kept as records: what :mod:`flowgen.runtime.recorded` runs.

    ``records`` in trace (= topological) order; ``outputs`` the body's output bindings (IR);
    ``output_reads`` the records they read, by node id. :meth:`program` gives the full IR
    (exactly ``trace_dynamic``'s Program) for anyone who needs it, while the records are
    unrun (running releases them)."""

    __slots__ = ("_build", "bound_type", "output_reads", "outputs", "record_type", "records")

    def __init__(self, records: list[RecordPromise], outputs: dict[str, Binding], build: Any) -> None:
        self.records = records
        self.outputs = outputs
        self.record_type = RecordPromise
        self.bound_type = Bound
        reads = {}
        for binding in outputs.values():
            for node in binding_sources(binding):
                index = int(node[1:]) if node[:1] == "n" and node[1:].isdigit() else -1
                if not 0 <= index < len(records):  # pragma: no cover - outputs bind only records of this graph
                    raise WiringError(f"the outputs read node {node}, which is not in this graph")
                reads[node] = record = records[index]
                record._readers += 1
        self.output_reads = reads
        self._build = build

    def program(self) -> Program:
        """The IR of this sub-DAG (materialized from the records; before they run)."""
        if any(r is None or r._args is None for r in self.records):
            raise RuntimeError("the records of this graph have run; their IR is no longer available")
        return self._build()  # type: ignore[no-any-return]


def recorded_workflow(spec: TaskSpec, builder: GraphBuilder, outputs: dict[str, Binding]) -> Any:
    """``trace_dynamic``'s sub-workflow of a builder (shared by both paths)."""
    from flowgen.ir.model import Interface

    interface = spec.interface
    return WorkflowSpec.model_construct(
        name=spec.name, function=spec.function,
        interface=Interface(outputs=interface.outputs, output_form=interface.output_form,
                            output_ref=interface.output_ref),
        nodes=tuple(builder.nodes), outputs=outputs, source=spec.source,
    )
