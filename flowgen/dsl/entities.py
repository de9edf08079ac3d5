"""The objects ``@task``, ``@dynamic`` and ``@workflow`` make.

Each is callable in three situations, decided by whether a graph is being
traced (``current_builder()``):

===================  ==================================  ===================================
object               inside a workflow / dynamic body    anywhere else
===================  ==================================  ===================================
Task                 a node; returns Promises            runs the function, with validation
Dynamic              a node; body traced at run time     traces the body and runs its sub-DAG
Workflow             a sub-workflow node                 compiles (once) and runs the graph
===================  ==================================  ===================================
"""

from __future__ import annotations

import contextvars
import functools
import inspect
import os
import threading
from collections.abc import Callable
from typing import Any

from flowgen.dsl.options import Cache, cache_config, check_flyte_options, timeout_seconds
from flowgen.dsl.secrets import secret_requests
from flowgen.dsl.task_metadata import apply_metadata
from flowgen.errors import InputValidationError, SourceLocation
from flowgen.ir import refs
from flowgen.ir.annotations import interface_of
from flowgen.ir.model import Interface, Program, SourceSpan, TaskSpec
from flowgen.runtime.boundary import pack_outputs, prepare_inputs
from flowgen.runtime.gc_policy import run_scope
from flowgen.runtime.interpreter import Interpreter
from flowgen.runtime.plain import in_plain_mode
from flowgen.runtime.task_call import execute_task
from flowgen.tracing.builder import _local as _builders
from flowgen.tracing.builder import current_builder
from flowgen.tracing.callsite import user_location
from flowgen.tracing.compiler import compile_workflow, trace_dynamic
from flowgen.tracing.failure import failure_policy

__all__ = ["Dynamic", "Task", "Workflow"]

# The @eager run whose body is executing (flowgen.dsl.eager): task calls there are awaited nodes.
EAGER_RUN: contextvars.ContextVar[Any] = contextvars.ContextVar("flowgen_eager", default=None)


def _source(fn: Callable[..., Any]) -> SourceSpan | None:
    """Where the user wrote the function (through ``functools.wraps`` wrappers), first decorator line."""
    code = getattr(inspect.unwrap(fn), "__code__", None)
    if code is None:
        return None
    return SourceSpan.model_construct(file=os.path.abspath(code.co_filename), line=code.co_firstlineno, column=0)


def _location(span: SourceSpan | None) -> SourceLocation | None:
    return SourceLocation(span.file, span.line) if span else None


def describe_interface(kind: str, name: str, interface: Interface) -> str:
    """``workflow wf`` then its inputs (with defaults) and outputs, one per line."""
    from flowgen.ir.codec import from_json
    from flowgen.ir.types import render_type

    def default(p: Any) -> str:
        try:
            return f" = {from_json(p.default, p.type)!r}"
        except Exception:
            return f" = {p.default!r}"

    inputs = [f"{p.name}: {render_type(p.type)}{default(p) if p.has_default else ''}" for p in interface.inputs]
    outputs = [f"{o.name}: {render_type(o.type)}" for o in interface.outputs]
    return "\n".join([
        f"{kind} {name}",
        f"  inputs ({len(inputs)}): {', '.join(inputs) or '-'}",
        f"  outputs ({len(outputs)}): {', '.join(outputs) or '-'}",
    ])


def _bind_top_level(interface: Interface, what: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    params = interface.inputs
    if len(args) > len(params):
        raise InputValidationError(
            f"{what} takes {len(params)} input(s) but {len(args)} positional argument(s) were given",
            location=user_location(3),
        )
    bound = {p.name: a for p, a in zip(params, args)}
    for key in kwargs:
        if key in bound:
            raise InputValidationError(f"{what}: input {key!r} given twice", location=user_location(3), input=key)
    bound.update(kwargs)
    return bound


class _PlainHandle:
    """In plain-Python mode, what a task without outputs returns: ``>>`` still reads."""

    def __rshift__(self, other: Any) -> Any:
        return other


class _Entity:
    kind = "task"
    extra_bindings = None  # a launch plan binds fixed and default inputs itself
    launch_plan_name = None

    def __init__(
        self, fn: Callable[..., Any], name: str | None, interface: Interface | None = None, function: str | None = None
    ) -> None:
        if not callable(fn):
            raise TypeError(f"@{self.kind} decorates a function, not {fn!r}")
        functools.update_wrapper(self, fn)  # type: ignore[arg-type]
        self.fn = fn
        self.function = function or refs.ref_of(fn)
        module, _, qualname = self.function.partition(":")
        self.name = name or f"{module}.{qualname}"
        self.source = _source(fn)
        self.interface = interface or interface_of(fn, self.kind)
        if function is None:
            refs.register(self.function, self)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"

    def __str__(self) -> str:
        """``print(wf)``: the name, inputs and outputs (what Flyte's printout shows)."""
        return describe_interface(self.kind, self.name, self.interface)

    # Flyte compatibility: ``PythonFunctionTask.task_function``.
    @property
    def task_function(self) -> Callable[..., Any]:
        return self.fn


class Task(_Entity):
    """A ``@task``: a fully annotated Python function, the unit of work."""

    kind = "task"

    def __init__(
        self,
        fn: Callable[..., Any],
        *,
        name: str | None = None,
        cache: bool | Cache = False,
        cache_version: str = "",
        cache_ignore_input_vars: tuple[str, ...] = (),
        retries: int = 0,
        timeout: Any = None,
        interface: Interface | None = None,
        function: str | None = None,
        **flyte_options: Any,
    ) -> None:
        super().__init__(fn, name, interface, function)
        where = _location(self.source)
        what = f"@{self.kind} {self.name}"
        if "metadata" in flyte_options:  # flytekit's TaskMetadata(retries=..., cache=..., timeout=...)
            explicit = {k for k, v in (("cache", cache), ("cache_version", cache_version),
                                       ("cache_ignore_input_vars", cache_ignore_input_vars), ("retries", retries),
                                       ("timeout", timeout)) if v not in (False, "", (), 0, None)}
            meta = apply_metadata(flyte_options.pop("metadata"), dict.fromkeys(explicit), what, where)
            cache, cache_version = meta.get("cache", cache), meta.get("cache_version", cache_version)
            cache_ignore_input_vars = meta.get("cache_ignore_input_vars", cache_ignore_input_vars)
            retries, timeout = meta.get("retries", retries), meta.get("timeout", timeout)
        self.secret_requests = secret_requests(flyte_options.pop("secret_requests", None), what, where)
        self.enable_deck = bool(flyte_options.pop("enable_deck", False))
        if self.secret_requests or self.enable_deck:  # the runtime reads these from the function
            fn.__flowgen_secret_requests__ = self.secret_requests  # type: ignore[attr-defined]
            fn.__flowgen_context__ = True  # type: ignore[attr-defined]
        check_flyte_options(flyte_options, what, where)
        if not isinstance(retries, int) or isinstance(retries, bool) or retries < 0:
            from flowgen.errors import DefinitionError

            raise DefinitionError(f"{what}: retries must be a non-negative int, not {retries!r}", location=where)
        self._spec = TaskSpec.model_construct(  # flowgen's own values: no validator built per decoration
            name=self.name,
            kind=self.kind,  # type: ignore[arg-type]
            function=self.function,
            interface=self.interface,
            cache=cache_config(cache, cache_version, cache_ignore_input_vars,
                               (p.name for p in self.interface.inputs), what, where),
            retries=retries,
            timeout_seconds=timeout_seconds(timeout, what, where),
            source=self.source,
        )

    def spec(self) -> TaskSpec:
        return self._spec

    def compile_program(self) -> Program:  # pragma: no cover - tasks are not graphs
        raise TypeError("a task has no graph")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        builder = getattr(_builders, "top", None)  # current_builder(), inlined: the hot path of a traced body
        if builder is not None:
            return builder.add_call(self, args, kwargs)
        eager_run = EAGER_RUN.get()
        if eager_run is not None:  # inside an @eager body: a coroutine of the node's result
            return eager_run.call(self, args, kwargs)
        if in_plain_mode():
            result = self.fn(*args, **kwargs)
            return _PlainHandle() if result is None and self.interface.output_form == "none" else result
        return self.run_local(_bind_top_level(self.interface, f"task {self.name}", args, kwargs))

    def run_local(self, values: dict[str, Any]) -> Any:
        spec = self._spec
        facts: dict[str, Any] = {"task": spec.name, "location": user_location(3)}
        outcome = execute_task(spec, self.fn, values, what=f"task {spec.name}", facts=facts)
        return pack_outputs(spec.interface, outcome.outputs)


class Dynamic(Task):
    """A ``@dynamic``: a task whose body builds a sub-DAG from real inputs at run time."""

    kind = "dynamic"

    def run_local(self, values: dict[str, Any]) -> Any:
        spec = self._spec
        program = Program(entry=spec.name, workflows={}, tasks={spec.name: spec})
        with run_scope():
            outputs = Interpreter(program).run_dynamic(spec, self.fn, values, spec.name, "n0", None)
        return pack_outputs(spec.interface, outputs)

    def trace(self, inputs: dict[str, Any]) -> Program:
        return trace_dynamic(self._spec, self.fn, inputs)


class Workflow(_Entity):
    """A ``@workflow``: its body runs once, at compile time, with Promise inputs.

    ``Workflow(name="...")`` without a function is flytekit's imperative workflow
    (:class:`flowgen.dsl.imperative.ImperativeWorkflow`)."""

    kind = "workflow"
    # The imperative workflow class; flowgen.dsl.imperative registers it when imported (the package
    # flowgen.dsl imports it), so this module does not import its own subclass's module.
    imperative: type[Workflow] | None = None

    def __new__(cls, fn: Any = None, *args: Any, **kwargs: Any) -> Any:
        if cls is Workflow and (fn is None or isinstance(fn, str)):
            assert Workflow.imperative is not None, "flowgen.dsl.imperative registers it on import"
            return super().__new__(Workflow.imperative)
        return super().__new__(cls)

    def __init__(self, fn: Callable[..., Any], *, name: str | None = None, **flyte_options: Any) -> None:
        super().__init__(fn, name)
        where = _location(self.source)
        # Failure handling runs locally too (flowgen.runtime.failures); the rest configures a cluster.
        self.on_failure = flyte_options.pop("on_failure", None)
        self.failure_policy = failure_policy(flyte_options.pop("failure_policy", None), f"@workflow {self.name}",
                                             where)
        check_flyte_options(flyte_options, f"@workflow {self.name}", where)
        self._program: Program | None = None
        self._lock = threading.RLock()

    def compile_program(self) -> Program:
        """The IR of this workflow (traced once, then cached)."""
        program = self._program
        if program is None:
            with self._lock:
                if self._program is None:
                    self._program = compile_workflow(self.name, self.function, self.fn, self.interface, self.source,
                                                     self.on_failure, self.failure_policy)
                program = self._program
        return program

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        builder = current_builder()
        if builder is not None:
            return builder.add_call(self, args, kwargs)
        if in_plain_mode():
            return self.fn(*args, **kwargs)
        return self.run(_bind_top_level(self.interface, f"workflow {self.name}", args, kwargs))

    def run(self, values: dict[str, Any], observer: Any = None) -> Any:
        program = self.compile_program()
        inputs = prepare_inputs(self.interface, values, what=f"workflow {self.name}", deliver=False,
                                workflow=self.name)
        outputs = Interpreter(program, observer).run_workflow(program.entry, inputs)
        return pack_outputs(self.interface, outputs)
