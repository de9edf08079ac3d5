"""The tracing front end: run a body once with Promises and record the graph.

* ``compile_workflow`` runs a ``@workflow`` body with Promise inputs (compile
  time, once per workflow; the caller caches the Program).
* ``trace_dynamic`` runs a ``@dynamic`` body with real inputs (run time); every
  call inside returns Promises, and the recorded graph is the sub-DAG to run.
* ``trace_dynamic_records`` does the same for a run in-process: plain task calls
  become lean records (:mod:`flowgen.tracing.records`), and the result is a
  ``RecordedGraph`` -- or, when the body used anything the records do not model,
  exactly ``trace_dynamic``'s Program.

Exceptions raised by user code while tracing are reported as CompileError at
the user's line, with the original chained; flowgen's own errors pass through.
"""

from __future__ import annotations

import dis
import inspect
import os
import site
import sysconfig
import threading
import traceback
from collections.abc import Callable
from typing import Any

from flowgen.errors import CompileError, FlowgenError, SourceLocation
from flowgen.ir.model import Interface, Program, SourceSpan, TaskSpec, WorkflowSpec
from flowgen.tracing.builder import GraphBuilder
from flowgen.tracing.callsite import _is_internal
from flowgen.tracing.failure import failure_fields
from flowgen.tracing.identity import run_checking_identity
from flowgen.tracing.promise import Promise
from flowgen.tracing.records import RecordedGraph, Recorder, recorded_workflow

__all__ = ["compile_workflow", "trace_dynamic", "trace_dynamic_records"]

_compiling = threading.local()


def compile_workflow(
    name: str, function: str, fn: Callable[..., Any], interface: Interface, source: SourceSpan | None,
    on_failure: Any = None, failure_policy: str = "fail_immediately",
) -> Program:
    """Trace a workflow body with Promise inputs into a Program (``on_failure``: the handler entity)."""
    active: set[str] = getattr(_compiling, "names", None) or set()
    _compiling.names = active
    if name in active:
        raise CompileError(f"workflow {name} calls itself; recursive workflows are not supported",
                           location=_loc(source), workflow=name, hint="use a @dynamic to recurse")
    active.add(name)
    try:
        tasks: dict[str, TaskSpec] = {}
        workflows: dict[str, WorkflowSpec] = {}
        builder = GraphBuilder("workflow", name, tasks, workflows)
        inputs = {p.name: builder.input_promise(p) for p in interface.inputs}
        with builder:
            returned = _run_body(fn, inputs, "workflow", name)
            outputs = builder.bind_outputs(returned, interface, f"workflow {name}",
                                           _return_site(fn, source, builder.call_frame))
            builder.call_frame = None
        builder.check_complete()
        builder.scope.builder = None
        failure = failure_fields(name, interface, on_failure, failure_policy, tasks, workflows, _loc(source))
        # Made without checks: every field is already an IR object the builder made.
        workflows[name] = WorkflowSpec.model_construct(
            name=name, function=function, interface=interface, nodes=tuple(builder.nodes), outputs=outputs,
            source=source, **failure,
        )
        return Program.model_construct(entry=name, workflows=workflows, tasks=tasks)
    finally:
        active.discard(name)


def trace_dynamic(spec: TaskSpec, fn: Callable[..., Any], inputs: dict[str, Any]) -> Program:
    """Run a @dynamic body with materialized inputs; the Program's entry is its sub-DAG."""
    tasks: dict[str, TaskSpec] = {}
    workflows: dict[str, WorkflowSpec] = {}
    builder = GraphBuilder("dynamic", spec.name, tasks, workflows)
    with builder:
        returned = _run_body(fn, inputs, "dynamic", spec.name)
        try:
            outputs = builder.bind_outputs(returned, spec.interface, f"dynamic {spec.name}",
                                           _return_site(fn, spec.source, builder.call_frame))
        finally:
            builder.call_frame = None  # the body's frame (and its locals) is not kept past the trace
    builder.check_complete()
    builder.scope.builder = None  # break the builder <-> scope cycle: the graph is plain data now
    return _dynamic_program(spec, builder, outputs)


def _dynamic_program(spec: TaskSpec, builder: GraphBuilder, outputs: dict[str, Any]) -> Program:
    workflows = builder.workflows
    workflows[spec.name] = recorded_workflow(spec, builder, outputs)
    return Program.model_construct(ir_version=1, entry=spec.name, workflows=workflows, tasks=builder.tasks)


def trace_dynamic_records(spec: TaskSpec, fn: Callable[..., Any], inputs: dict[str, Any]) -> RecordedGraph | Program:
    """:func:`trace_dynamic` through the lean record path: a RecordedGraph when every call was a
    plain task call, else (the trace fell back) the very Program ``trace_dynamic`` returns."""
    builder = GraphBuilder("dynamic", spec.name, {}, {})
    recorder = Recorder(builder)
    with recorder:
        returned = _run_body(fn, inputs, "dynamic", spec.name)
        try:
            outputs = builder.bind_outputs(returned, spec.interface, f"dynamic {spec.name}",
                                           _return_site(fn, spec.source, *recorder.call_frames))
        finally:
            builder.call_frame = None
    builder.check_complete()
    builder.scope.builder = None
    if not recorder.lean:
        return _dynamic_program(spec, builder, outputs)

    def build() -> Program:
        recorder.materialize()
        return _dynamic_program(spec, builder, outputs)

    return RecordedGraph(recorder.records, outputs, build)


def _run_body(fn: Callable[..., Any], inputs: dict[str, Any], kind: str, name: str) -> Any:
    try:
        if kind == "workflow":  # `p is None` on a Promise raises too (flowgen.tracing.identity)
            code = getattr(inspect.unwrap(fn), "__code__", None)
            return run_checking_identity(fn, code, _is_promise, inputs)
        return fn(**inputs)
    except FlowgenError:
        raise
    except Exception as exc:
        hint = ("a workflow body runs once at compile time with Promises; "
                "computation on values belongs in tasks" if kind == "workflow" else None)
        if isinstance(exc, ValueError) and "values to unpack" in str(exc):
            # `a, b, c = t()` where t has two outputs: the outputs are a real tuple of Promises.
            hint = "unpack a call into exactly as many names as it has outputs (its NamedTuple fields or tuple items)"
        elif isinstance(exc, AttributeError) and str(exc).startswith("'Promise' object has no attribute"):
            # `p.x = 1`: Promise has slots and no __setattr__ (one would slow every Promise down).
            hint = "a Promise is read-only: build the new value in a task"
        raise CompileError(
            f"@{kind} {name} raised {type(exc).__name__} while it was being compiled: {exc}",
            location=_raise_site(exc),
            workflow=name,
            hint=hint,
        ) from exc


def _is_promise(value: Any) -> bool:
    return isinstance(value, Promise)


def _raise_site(exc: BaseException) -> SourceLocation | None:
    """The innermost line of the user's own code: not flowgen's, the standard library's or an installed package's
    (``json.dumps(p)`` in a body is reported where the body calls it, not inside ``json``)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if not _is_internal(os.path.abspath(f.filename))]
    if not frames:
        return None
    own = [f for f in frames if not _is_library(os.path.abspath(f.filename))]
    last = (own or frames)[-1]
    return SourceLocation(os.path.abspath(last.filename), last.lineno or 0)


def _library_dirs() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    dirs = {paths[key] for key in ("stdlib", "platstdlib", "purelib", "platlib") if key in paths}
    dirs.update(site.getsitepackages() if hasattr(site, "getsitepackages") else [])
    return tuple(os.path.abspath(d) + os.sep for d in dirs)


_LIBRARY_DIRS = _library_dirs()


def _is_library(filename: str) -> bool:
    return filename.startswith(_LIBRARY_DIRS) or filename.startswith("<")


_return_lines: dict[int, tuple[Any, int | None]] = {}


def _return_site(fn: Callable[..., Any], source: SourceSpan | None, *frames: Any) -> SourceLocation | None:
    """Where a body's return value comes from, for errors about it: the line of its only
    ``return`` statement; with several, the one that ran, read from the body's finished frame when
    one of ``frames`` (the frames task calls were made from) is the body's; else the ``def`` line.
    The lines are found once per code object (a @dynamic is traced on every run)."""
    code = getattr(inspect.unwrap(fn), "__code__", None)
    if code is not None:
        for frame in frames:
            if frame is not None and frame.f_code is code and frame.f_lineno:  # returned: at its return
                return SourceLocation(os.path.abspath(code.co_filename), frame.f_lineno)
        hit = _return_lines.get(id(code))
        if hit is None or hit[0] is not code:
            lines = {
                i.positions.lineno for i in dis.get_instructions(code)
                if i.opname in ("RETURN_VALUE", "RETURN_CONST") and i.positions is not None and i.positions.lineno
            }
            hit = (code, lines.pop() if len(lines) == 1 else None)
            if len(_return_lines) < 10_000:
                _return_lines[id(code)] = hit
        if hit[1] is not None:
            return SourceLocation(os.path.abspath(code.co_filename), hit[1])
    return _loc(source)


def _loc(span: SourceSpan | None) -> SourceLocation | None:
    return SourceLocation(span.file, span.line) if span else None
