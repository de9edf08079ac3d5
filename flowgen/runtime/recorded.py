"""Running a @dynamic sub-DAG kept as lean records, in trace order.

The tracing front end gives an in-process @dynamic run either a Program (IR) or, when
every call of the body was a plain task call, a *recorded graph*
(:class:`flowgen.tracing.records.RecordedGraph`). This module runs the latter. It reads
the records through a small protocol, never importing the front end:

==================  ================================================================
``graph``           ``records`` (trace order, which is topological), ``outputs`` (IR
                    bindings of the body's outputs), ``output_reads`` (node id ->
                    record), ``record_type`` and ``bound_type`` (the two classes an
                    input value can be besides a constant)
a record            ``_info`` (``spec``, ``params`` as (name, type, _), ``single``,
                    ``out_name``),
                    ``_args`` (input values in parameter order), ``_value`` (set here
                    once the node ran), ``_call_site()`` (its SourceSpan, made on demand)
a bound input       ``binding`` (IR) and ``reads`` (node id -> record)
==================  ================================================================

Node ``n<i>`` is ``records[i]``. Each node does exactly what the interpreter's loop does
for a task node (``Interpreter.run_graph``: the inlined path for a plain task -- check,
call, check -- and ``run_task`` for anything else: cache, retries, timeout, context, a
value to reject), with the same errors, facts and call sites; a plain task's nodes run
through a runner generated once per task (:mod:`flowgen.runtime.record_runners`), its
slow paths through this module (:class:`_Run`). There is no plan: trace
order is already topological, and memory is released by reference counting -- the
list's slot and the record's inputs are dropped as the node runs, so a value lives only
while an unrun reader (or the outputs) holds its record.

Ctrl-C counts the records that ran onto the tally the ``KeyboardInterrupt`` carries
(:mod:`flowgen.runtime.interrupts`): the loop pays nothing for it.

The interpreter takes this path only when nothing needs the node list up front: no
observer (events, progress, reports) and not the keep-going failure policy.

Copies. Every boundary validates and copies (value semantics), with one exception that
nothing can observe: a value *read once* -- by exactly one input of one later node, not
by the outputs -- produced by the inlined path (its output check made it: a fresh,
validated, unshared copy) and read as the very same type, is handed to its reader as it
is. Checking it again would validate an unchanged value against the same type, and
copying it would protect a value nobody else can ever see. The tracer counts readers
(``_readers``); a value served by the general path (a cache hit may be shared with the
store) is always copied.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from flowgen.ir.model import SourceSpan, TaskSpec
from flowgen.ir.values import checker, input_checker
from flowgen.runtime.bindings import binding_value, facts, resolver, task_function
from flowgen.runtime.boundary import split_outputs
from flowgen.runtime.interrupts import tally_of
from flowgen.runtime.record_runners import make_runner
from flowgen.runtime.task_call import task_failure
from flowgen.runtime.task_context import uses_context

__all__ = ["TaskDriver", "TaskRunner", "run_records"]


class TaskRunner:
    """What running one task's nodes needs, shared by all of them: function, checks, fast-path eligibility."""

    __slots__ = ("fast", "fn", "out", "params", "spec")

    def __init__(self, spec: TaskSpec) -> None:
        interface = spec.interface
        self.spec = spec
        self.fn = task_function(spec)
        # A plain task (no cache, retries or timeout; one or no output) takes the inlined path.
        self.fast = (spec.cache is None and not spec.retries and spec.timeout_seconds is None
                     and interface.output_form in ("single", "none") and not uses_context(self.fn))
        self.params = [(p.name, input_checker(p.type)) for p in interface.inputs]
        out = interface.outputs[0] if interface.output_form == "single" else None
        self.out = (out.name, checker(out.type)) if out is not None else None


class TaskDriver(Protocol):
    """The general path of one task node (``Interpreter.run_task``)."""

    def run_task(self, spec: TaskSpec, fn: Callable[..., Any], kwargs: dict[str, Any], workflow: str, path: str,
                 call_site: SourceSpan | None) -> dict[str, Any]: ...


def run_records(driver: TaskDriver, graph: Any, name: str, prefix: str, *, checked: bool = True) -> dict[str, Any]:
    """Run the records of ``graph`` (a @dynamic named ``name``; node paths ``prefix + "n<i>"``);
    returns the body's outputs by name.

    ``checked=False`` is a generated module's validation off: a plain task gets its input values
    as they are and its result is kept as it is (no validate-and-copy, as in a fast body);
    a failure is still a TaskError naming the node, and tasks with a cache, retries or a
    timeout still take the general, checked path."""
    records = graph.records
    ctx = _Run(driver, graph, name, prefix)
    runners: dict[Any, Callable[[Any, int, _Run], None]] = {}
    record = None
    try:
        for i in range(len(records)):
            record = records[i]
            records[i] = None  # from here on, the readers' references keep it alive
            info = record._info
            run = runners.get(info)
            if run is None:
                run = runners[info] = _plan(info).runner(checked, ctx)  # once per task and run: a dict lookup per node
            run(record, i, ctx)
    except KeyboardInterrupt as stop:
        _count_stopped(stop, record, prefix)
        raise
    values = {node: {record._info.out_name: record._value} for node, record in graph.output_reads.items()}
    return {out: resolver(binding, lambda out=out: f"output {out!r} of {name}")({}, values)  # type: ignore[misc]
            for out, binding in graph.outputs.items()}


def _count_stopped(stop: KeyboardInterrupt, record: Any, prefix: str) -> None:
    """Add to Ctrl-C's tally (:mod:`flowgen.runtime.interrupts`) the records that ran: every one
    before ``record`` (the last one the loop took; node ``n<record._index>``), and ``record`` if
    its value is set (counted running if not)."""
    if record is None:
        return
    tally = tally_of(stop)
    tally.done += record._index
    if hasattr(record, "_value"):
        tally.done += 1
    else:
        tally.stopped(f"{prefix}n{record._index}")


class _Run:
    """What a node's runner needs of its run, on its slow paths: names for errors, the general path."""

    __slots__ = ("bound_type", "driver", "name", "prefix", "record_type")

    def __init__(self, driver: TaskDriver, graph: Any, name: str, prefix: str) -> None:
        self.driver = driver
        self.name = name
        self.prefix = prefix
        self.record_type = graph.record_type
        self.bound_type = graph.bound_type

    def bound(self, value: Any, i: int) -> Any:
        """The value of a bound input (IR) of node ``n<i>``."""
        return _bound_value(value, i, self.name)

    def general(self, record: Any, args: Any, i: int) -> None:
        """Node ``n<i>`` as ``Interpreter.run_graph`` runs any task node (``run_task``: cache, retries,
        timeout, context, a value to reject)."""
        info = record._info
        record_type, bound_type = self.record_type, self.bound_type
        given = {}
        for (param, _, _), value in zip(info.params, args):
            kind = type(value)
            given[param] = (value._value if kind is record_type
                            else self.bound(value, i) if kind is bound_type else value)
        runner = _plan(info).task
        outputs = self.driver.run_task(runner.spec, runner.fn, given, self.name, f"{self.prefix}n{i}",
                                       record._call_site())
        record._value = outputs[info.out_name] if info.single else None
        record._readers = -1  # possibly shared (a cache hit): its readers copy it

    def failed(self, exc: Exception, i: int, record: Any) -> BaseException:
        """The TaskError of plain task node ``n<i>`` raising ``exc``."""
        return _failed(exc, record._info.spec, f"{self.prefix}n{i}", self.name, record)

    def outputs(self, result: Any, i: int, record: Any) -> Any:
        """The output of node ``n<i>`` whose result failed its check (split_outputs reports it)."""
        path, spec = f"{self.prefix}n{i}", record._info.spec
        outputs = split_outputs(spec.interface, result, what=f"task {spec.name} (node {path} of {self.name})",
                                **facts(self.name, path, spec.name, record._call_site()))
        return outputs[record._info.out_name] if record._info.single else None


def _failed(exc: Exception, spec: TaskSpec, path: str, name: str, record: Any) -> BaseException:
    """The TaskError of plain task ``spec`` raising ``exc`` as node ``path`` of @dynamic ``name``."""
    what = {"what": f"task {spec.name} (node {path} of {name})", **facts(name, path, spec.name, record._call_site())}
    return task_failure(exc, 1, what)


class _Plan:
    """A task's runner (checked and unchecked, made when first needed) and what its general path needs."""

    __slots__ = ("_runners", "info", "inputs", "task")

    def __init__(self, info: Any) -> None:
        self.info = info
        self.task = task = TaskRunner(info.spec)
        # Per input: name, checker, type, and whether a value read once may skip the checker (it
        # validates and copies exactly as the output check did: nothing to read from a store).
        self.inputs = tuple((name, check, target, check is checker(param.type))
                            for (name, check), (_, target, _), param in zip(task.params, info.params,
                                                                             info.spec.interface.inputs))
        self._runners: dict[bool, Callable[[Any, int, _Run], None]] = {}

    def runner(self, checked: bool, ctx: _Run) -> Callable[[Any, int, _Run], None]:
        """The runner of this task's nodes (``ctx`` gives the two classes an input can be besides a constant)."""
        run = self._runners.get(checked)
        if run is None:
            task, info = self.task, self.info
            if task.fast:
                out_check = task.out[1] if task.out is not None else None
                run = make_runner(info.spec.name, self.inputs, task.fn, out_check, info.out_type, info.single, checked,
                                  ctx.record_type, ctx.bound_type)
            else:
                run = _general
            self._runners[checked] = run
        return run


def _general(record: Any, i: int, ctx: _Run) -> None:
    args = record._args
    record._args = None  # release the inputs
    ctx.general(record, args, i)


_plans: dict[int, tuple[Any, _Plan]] = {}


def _plan(info: Any) -> _Plan:
    """A task's plan, kept per task (its record info) across runs: a @dynamic traced on every run reuses it."""
    hit = _plans.get(id(info))
    if hit is not None and hit[0] is info:
        return hit[1]
    plan = _Plan(info)
    if len(_plans) < 10_000:
        _plans[id(info)] = (info, plan)
    return plan


def _bound_value(bound: Any, i: int, name: str) -> Any:
    values = {node: {record._info.out_name: record._value} for node, record in bound.reads.items()}
    return binding_value(bound.binding, {}, values, lambda: f"node n{i} of {name}")
