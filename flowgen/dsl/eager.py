"""``@eager``: flytekit's async workflows, whose body ``await``s tasks and gets real values.

An eager workflow is an ``async def``. Its body runs in the driver, on an asyncio event
loop, with real inputs; every task it awaits becomes a node of the run, numbered in call
order (``n0``, ``n1``, ...; a nested eager's with its node as prefix), and runs through
:func:`~flowgen.runtime.task_call.execute_task` like any other node: inputs and outputs
validated, cache, retries, timeout, secrets, the node's place in progress and report.
So ordinary Python control flow on results is allowed, which is the other way Flyte
answers "the DAG depends on run-time values" (``@dynamic`` being the first).

Where the awaited tasks run:

============================  ============================================================
executor                      awaited task calls
============================  ============================================================
in-process                    inline, one at a time (``asyncio.gather`` included)
threads, processes, Dask      submitted to the executor as they are awaited, so calls
                              gathered with ``asyncio.gather`` run in parallel
============================  ============================================================

``wf(**inputs)`` runs in-process; ``flowgen.run(wf, executor=...)`` on any executor. An
eager workflow can await another (same run, nested node ids); it is not a node of a
``@workflow`` body (flytekit neither allows that).
"""

from __future__ import annotations

import contextvars
import inspect
import threading
import time
from collections.abc import Callable, Coroutine
from typing import Any

from flowgen.dsl.entities import EAGER_RUN, _bind_top_level, _Entity, _location
from flowgen.errors import CompileError, DefinitionError, FlowgenError, TaskError
from flowgen.ir.construct import construct
from flowgen.ir.model import InputRef, SourceSpan, TaskNode
from flowgen.runtime.boundary import pack_outputs, prepare_inputs, split_outputs
from flowgen.runtime.gc_policy import run_scope
from flowgen.runtime.task_call import execute_task
from flowgen.tracing.builder import bind_arguments, current_builder
from flowgen.tracing.callsite import user_location, user_span

__all__ = ["Eager", "current_eager", "eager"]

_current = EAGER_RUN


def current_eager() -> _EagerRun | None:
    """The eager run whose body is executing on this task of the event loop, if any."""
    return _current.get()


class Eager(_Entity):
    """An ``@eager`` workflow (see the module docstring)."""

    kind = "eager"

    def __init__(self, fn: Callable[..., Any], *, name: str | None = None, **flyte_options: Any) -> None:
        if not inspect.iscoroutinefunction(fn):
            raise DefinitionError(f"@eager decorates an async def, not {getattr(fn, '__qualname__', fn)!r}",
                                  location=user_location(3), hint="write it as `async def` and `await` its tasks")
        super().__init__(fn, name)
        flyte_options.pop("remote", None)
        flyte_options.pop("client_secret_group", None)
        flyte_options.pop("client_secret_key", None)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if current_builder() is not None:
            raise CompileError(f"@eager {self.name} is called inside a @workflow or @dynamic body",
                               location=user_location(2),
                               hint="call it at top level, or await it inside another @eager")
        active = current_eager()
        if active is not None:  # awaited inside another eager: the same run
            bound = bind_arguments(self.interface, "eager", self.name, args, kwargs)
            return active.nested(self, bound)
        values = _bind_top_level(self.interface, f"eager {self.name}", args, kwargs)
        return pack_outputs(self.interface, self.run_eager(values))

    def run_eager(self, inputs: dict[str, Any], *, executor: Any = "inprocess", max_parallelism: int | None = None,
                  dask_address: str | None = None, observer: Any = None) -> dict[str, Any]:
        """Run the body with ``inputs`` on ``executor`` (a name or an Executor); the named outputs."""
        from flowgen.runtime.executors import Executor, make_executor

        values = prepare_inputs(self.interface, inputs, what=f"eager {self.name}", workflow=self.name)
        with run_scope():
            if isinstance(executor, Executor):
                return _EagerRun(executor, observer).run_root(self, values)
            with make_executor(executor, max_parallelism=max_parallelism, dask_address=dask_address) as made:
                return _EagerRun(made, observer).run_root(self, values)

    def compile_program(self) -> Any:
        raise CompileError(f"@eager {self.name} has no static graph: its nodes are decided as it runs",
                           location=_location(self.source))


def eager(_fn: Callable[..., Any] | None = None, **options: Any) -> Any:
    """Make an ``async def`` an eager workflow (flytekit's ``@eager``)."""
    if _fn is not None:
        return Eager(_fn, **options)
    return lambda f: Eager(f, **options)


class _EagerRun:
    """One run of an eager workflow: numbers its nodes, runs them on the executor, tells the observer."""

    def __init__(self, executor: Any, observer: Any) -> None:
        self.executor = executor
        self.observer = observer
        self.parallel = bool(getattr(executor, "parallel", False))
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()
        self._root = ""
        self._prefix: contextvars.ContextVar[str] = contextvars.ContextVar("flowgen_eager_prefix", default="")
        self._cache_settings: Any = None
        self._functions: dict[str, Any] = {}

    # -- running the body ---------------------------------------------------------------------
    def run_root(self, entity: Eager, values: dict[str, Any]) -> dict[str, Any]:
        self._root = entity.name
        result = _run_coroutine(self._body(entity, values, ""))
        return split_outputs(entity.interface, result, what=f"eager {entity.name}", workflow=entity.name)

    async def _body(self, entity: Eager, values: dict[str, Any], prefix: str) -> Any:
        token = _current.set(self)
        prefix_token = self._prefix.set(prefix)
        try:
            return await entity.fn(**values)
        finally:
            self._prefix.reset(prefix_token)
            _current.reset(token)

    def _next_id(self) -> str:
        prefix = self._prefix.get()
        with self._lock:
            n = self._counts.get(prefix, 0)
            self._counts[prefix] = n + 1
        return f"{prefix}n{n}"

    def nested(self, entity: Eager, bound: dict[str, Any]) -> Coroutine[Any, Any, Any]:
        path = self._next_id()
        values = prepare_inputs(entity.interface, bound, what=f"eager {entity.name} (node {path})",
                                workflow=self._root, node=path)

        async def go() -> Any:
            result = await self._body(entity, values, path + ".")
            outputs = split_outputs(entity.interface, result, what=f"eager {entity.name} (node {path})",
                                    workflow=self._root, node=path)
            return pack_outputs(entity.interface, outputs)

        return go()

    # -- one awaited task ---------------------------------------------------------------------
    def call(self, task: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Coroutine[Any, Any, Any]:
        """What calling a task inside an eager body returns: a coroutine of its result."""
        bound = bind_arguments(task.interface, task.kind, task.name, args, kwargs)
        path = self._next_id()
        call_site = user_span(2)
        spec = task.spec()

        async def go() -> Any:
            node = construct(TaskNode, id=path.rpartition(".")[2], call_site=call_site, upstream=(), task=spec.name,
                             inputs={})
            observer = self.observer
            if observer is not None:
                observer.nodes_added(path.rpartition(".")[0], 1)
                observer.node_started(path, node)
            started = time.perf_counter()
            try:
                outputs, cached, attempts = await self._execute(spec, task.fn, bound, path, call_site)
            except FlowgenError as exc:
                if observer is not None:
                    observer.node_finished(path, node, "failed", time.perf_counter() - started, error=exc)
                raise
            if observer is not None:
                observer.node_finished(path, node, "cached" if cached else "succeeded", time.perf_counter() - started,
                                       cached=cached, attempts=attempts)
            return pack_outputs(spec.interface, outputs)

        return go()

    async def _execute(self, spec: Any, fn: Callable[..., Any], bound: dict[str, Any], path: str,
                       call_site: SourceSpan | None) -> tuple[dict[str, Any], bool, int]:
        facts = {"workflow": self._root, "node": path, "task": spec.name, "location": _loc(call_site)}
        what = f"task {spec.name} (node {path} of {self._root})"
        if not self.parallel:
            token = _current.set(None)  # the task body is plain code, not part of the eager body
            try:
                outcome = execute_task(spec, fn, bound, what=what, facts=facts)
            finally:
                _current.reset(token)
            return outcome.outputs, outcome.cached, outcome.attempts
        from flowgen.runtime.executors.shipping import ShippedFunction
        from flowgen.runtime.executors.units import INPUTS, CacheSettings, TaskUnit, run_task

        if self._cache_settings is None:
            self._cache_settings = CacheSettings.current()
        shipped = self._functions.get(spec.function)
        if shipped is None:
            shipped = self._functions[spec.function] = ShippedFunction(spec.function, fn)
        unit = TaskUnit(spec, shipped, {name: InputRef(name=name) for name in bound}, (INPUTS,), self._root, path,
                        call_site, self._cache_settings)
        import asyncio  # here, not at import: `flowgen run` of a plain workflow never needs asyncio

        loop = asyncio.get_running_loop()
        done = loop.create_future()
        handle = self.executor.submit(f"eager-{path}", run_task, unit, bound)

        def finished(_: Any) -> None:
            loop.call_soon_threadsafe(lambda: done.done() or done.set_result(None))

        self.executor.add_done_callback(handle, finished)
        await done
        error = self.executor.error(handle)
        if error is not None:
            if isinstance(error, FlowgenError):
                raise error
            raise TaskError(f"{what} failed: {type(error).__name__}: {error}", **facts) from error
        value = self.executor.local_value(handle)
        if value is None:
            value = self.executor.gather([handle])[0]
        return dict(value), bool(getattr(value, "cached", False)), 1


def _loc(span: SourceSpan | None) -> Any:
    return _location(span)


def _run_coroutine(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """``asyncio.run``, on a thread of its own when this thread already runs an event loop."""
    import asyncio  # here, not at import (start-up of `flowgen run`)

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["result"] = asyncio.run(coroutine)
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=target, name="flowgen-eager")
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["result"]
