"""The parallel driver: runs a graph on a parallel executor, a node as soon as its inputs exist.

The in-process interpreter walks a graph in order and calls each node. Here
the driver walks the same graph but only *submits*: a task node becomes one
executor call whose arguments are the handles (futures) of the nodes it reads,
so it is handed over as soon as those handles exist and the executor starts it
when their values do. Independent nodes and ``map_task`` items therefore run
concurrently, up to the executor's ``max_parallelism`` (and a map's own
``concurrency``), and data stays where the executor keeps it (on Dask: on the
workers). Results never depend on completion order: every value is addressed
by node id, never by arrival.

The driver only waits where a decision needs a value, and then only for the
small value it needs (each computed by a step on the executor, see
:mod:`flowgen.runtime.executors.units`):

=============  ==================================================================
node           how the driver expands it
=============  ==================================================================
task           one call, ``run_task(unit, *input handles)``
workflow       ``prepare`` its inputs (a call), then its graph is expanded in place
               with that handle as its inputs, then ``collect`` its outputs
dynamic        ``prepare`` its inputs; once they exist the body is traced *here*
               (tracing front end), and the sub-DAG is expanded like a workflow
map            ``map_count`` (a call) gives the item count; then one ``map_item``
               call per item (at most ``concurrency`` in flight), ``map_collect``
conditional    ``choose_branch`` (a call) gives the branch; its nodes are expanded
               in the enclosing graph's scope, then ``collect``
=============  ==================================================================

The driver is single-threaded: executors report completions by putting them on
a queue, and one loop handles them (observer events, throttled map items,
expansions), so no graph state is shared between threads. The first failure
stops the run: outstanding calls are cancelled and the error is raised.
Ctrl-C does the same with ``KeyboardInterrupt``; what finished stays finished
(cached results included).

When nothing observes the run on an executor that can say afterwards what finished (Dask's
few-callbacks mode: ``stopped_steps``), the driver notes which node each step it submits
begins or ends (a dict entry per call of a structural node; task calls the executor already
keeps), and a Ctrl-C asks the executor once, before cancelling, which of them finished and
what its workers were running: the tally the ``KeyboardInterrupt`` carries to the CLI's
summary (:mod:`flowgen.runtime.interrupts`).
"""

from __future__ import annotations

import functools
import itertools
import queue
import time
import uuid
from collections import deque
from collections.abc import Callable
from typing import Any, Protocol

from flowgen.errors import ConditionalFailure, FlowgenError, TaskError, WorkflowFailuresError
from flowgen.ir.model import (
    Binding,
    ConditionalNode,
    DynamicNode,
    MapNode,
    Node,
    Program,
    TaskNode,
    TaskSpec,
    WorkflowNode,
    WorkflowSpec,
)
from flowgen.runtime.bindings import facts as _facts
from flowgen.runtime.bindings import location as _loc
from flowgen.runtime.bindings import node_sources
from flowgen.runtime.bindings import task_function as _task_function
from flowgen.runtime.events import Observer, listen, observed, stamps_of, topic, unlisten
from flowgen.runtime.executors.base import Executor, Handle
from flowgen.runtime.executors.shipping import ShippedFunction
from flowgen.runtime.executors.units import (
    BranchUnit,
    CacheSettings,
    CollectUnit,
    MapUnit,
    PrepareUnit,
    TaskUnit,
    choose_branch,
    collect,
    map_collect,
    map_count,
    map_item,
    prepare,
    run_task,
)
from flowgen.runtime.expansion import ExpandedGraph as _Graph
from flowgen.runtime.expansion import condition_bindings as _condition_bindings
from flowgen.runtime.failures import combined_error, error_key, handle_failure, without_remote_traceback
from flowgen.runtime.gc_policy import building_graph
from flowgen.runtime.group_calls import call_group, call_item_chunks
from flowgen.runtime.group_calls import step_group as _group
from flowgen.runtime.interrupts import DeferredInterrupt, count_stopped_steps
from flowgen.runtime.relay import LAST_STEP, EventRelay, RemoteOutcome


class Interpreter(Protocol):
    """What the driver reads and records of the interpreter handing it a run
    (flowgen.runtime.interpreter, which imports this module when a run goes parallel)."""

    program: Program
    observer: Observer | None
    keep_going: bool
    workflows: dict[str, WorkflowSpec]
    cached_nodes: list[str]

__all__ = ["ParallelDriver"]


class ParallelDriver:
    """Runs one workflow of an interpreter's program on a parallel executor."""

    def __init__(self, interpreter: Interpreter, executor: Executor) -> None:
        self.interpreter = interpreter
        self.program = interpreter.program
        self.executor = executor
        self.observer = interpreter.observer
        self._events: queue.SimpleQueue[tuple[Callable[[Handle], None] | None, Any, str | None]] = queue.SimpleQueue()
        self._ready: deque[Callable[[], None]] = deque()
        self._watched: dict[int, Handle] = {}
        self._functions: dict[str, ShippedFunction] = {}
        self._cache = CacheSettings.current()
        # Every node's completion is heard where that is cheap, or when an observer listens; otherwise
        # only what nothing else reads (a failure reaches those through its dependents) and decisions.
        # FAIL_AFTER_EXECUTABLE_NODES_COMPLETE (flowgen.runtime.failures): failures are collected, not
        # raised, and every node is watched so each node's own failure is heard.
        self.keep_going = interpreter.keep_going
        self.errors: list[tuple[str, BaseException]] = []
        self._handled: list[tuple[str, WorkflowSpec, Handle, dict[str, TaskSpec]]] = []  # sub-workflows' handlers
        self._watch_all = executor.callbacks_are_cheap or interpreter.observer is not None or self.keep_going
        # The event stream (flowgen.runtime.events): steps are stamped where they run when someone listens.
        self._relay = EventRelay(interpreter.observer) if interpreter.observer is not None else None
        self._paths: dict[int, str] = {}  # watched handle -> the node path it belongs to
        self._reporters: dict[int, Callable[[Handle], None]] = {}  # watched handle -> its report-only callback
        self._run = uuid.uuid4().hex[:10]
        self._interrupt = DeferredInterrupt(lambda: self._events.put((_wake, None, None)))
        # Unobserved, on an executor that can count a stopped run: the step that begins or ends each
        # structural node, by key -> (node path, whether it ends it), for the tally after Ctrl-C.
        self._marks: dict[str, tuple[str, bool]] | None = (
            {} if self._relay is None and hasattr(executor, "stopped_steps") else None)
        self.graphs: list[_Graph] = []
        self._serial = itertools.count()

    # -- the loop -----------------------------------------------------------------------------
    def run(self, graph: WorkflowSpec, inputs: dict[str, Any], prefix: str = "",
            tasks: dict[str, TaskSpec] | None = None) -> dict[str, Any]:
        executor = self.executor
        executor.start()
        result: list[Handle] = []

        def finish(g: _Graph, outputs: dict[str, Binding]) -> None:
            ids = g.read_ids(outputs.values())
            handle = self.submit("flowgen_outputs", "root", collect,
                                 CollectUnit(outputs, ids, f"outputs of {graph.name}"), *g.args(ids))
            self.watch(handle, lambda h: result.append(h))

        client = None
        if self._relay is not None:
            listen(self._run, lambda key, at: self._events.put((None, {"key": key, "start": at}, None)))
            client = getattr(executor, "client", None) if executor.name == "dask" else None
            if client is not None:  # Dask workers send their steps' stamps as events
                self._relay.remote = True
                client.subscribe_topic(topic(self._run), lambda event: self._events.put((None, event[1], None)))
        root = _Graph(self, graph, tasks or self.program.tasks, prefix, executor.put(inputs), finish)
        root.expand(graph.nodes, graph.outputs)
        try:
            with self._interrupt:  # a Ctrl-C lands between events (flowgen.runtime.interrupts)
                self._loop()
            if self.errors:
                raise combined_error(self.errors, graph.name)
            return executor.gather(result)[0]  # type: ignore[no-any-return]
        except FlowgenError as error:
            self.executor.cancel(list(self._watched.values()))
            self._run_sub_handlers(error)
            raise
        except BaseException as stop:
            if isinstance(stop, KeyboardInterrupt) and self._marks is not None:  # nothing observed the run
                count_stopped_steps(stop, self.executor, self._run, self._cache.execution, self._marks)
            self._drain()
            self.executor.cancel(list(self._watched.values()))
            raise
        finally:
            unlisten(self._run)
            if client is not None:
                client.unsubscribe_topic(topic(self._run))
            # Let go of every handle now (on Dask, of the cluster's memory), not at the next collection.
            for g in self.graphs:
                g.handles.clear()
                g._waiting.clear()
            self.graphs.clear()
            self._watched.clear()
            self._paths.clear()
            self._reporters.clear()
            self._ready.clear()
            result.clear()

    def _loop(self) -> None:
        events = self._events
        ready = self._ready
        grace: float | None = None
        while True:
            self._interrupt.check()
            while ready:
                self._step(ready.popleft())
                self._interrupt.check()
            if not self._watched:
                relay = self._relay
                if relay is None or not relay.pending:
                    return
                if grace is None:  # remote stamps may still be on their way: wait a little for them
                    grace = time.monotonic() + 2.0
                elif time.monotonic() > grace:
                    relay.flush()
                    return
            try:
                on_done, handle, what = events.get(timeout=0.25 if self._watched else 0.05)
            except queue.Empty:
                continue
            if on_done is None:  # a step's stamps (heard live, or a Dask event)
                self._relay.heard(handle)  # type: ignore[union-attr]
                continue
            if on_done is _wake:  # a Ctrl-C, raised at the top of the loop
                continue
            del self._watched[id(handle)]
            self._reporters.pop(id(handle), None)
            path = self._paths.pop(id(handle), None)
            error = self.executor.error(handle)
            if error is None:
                self._step(on_done, handle)
                continue
            error = self._located(without_remote_traceback(error), what)
            if self._relay is not None:
                self._drain(stopping=not self.keep_going)
                self._relay.fail(error, path)
            if self.keep_going:  # a dependent of a failed node fails with the same error: one entry
                self.errors.append((error_key(error, f"{what}#{id(error)}"), error))
            else:
                raise error

    def _step(self, action: Callable[..., None], *args: Any) -> None:
        if not self.keep_going:
            action(*args)
            return
        try:
            action(*args)
        except FlowgenError as error:  # a fail branch, a @dynamic body that failed to compile, ...
            self.errors.append((error_key(error, f"#{id(error)}"), error))

    def _run_sub_handlers(self, error: FlowgenError) -> None:
        """Run the ``on_failure`` handler of each sub-workflow a failure came from, innermost first
        (flowgen.runtime.failures); the handler of the workflow being run is the interpreter's."""
        failures = list(error.errors) if isinstance(error, WorkflowFailuresError) else [error]
        for prefix, spec, inputs, tasks in reversed(self._handled):
            failed = next((e for e in failures if (getattr(e, "node", None) or "").startswith(prefix)), None)
            if failed is None or not inputs.done() or self.executor.error(inputs) is not None:
                continue
            driver = ParallelDriver(self.interpreter, self.executor)
            driver.keep_going = False
            handle_failure(spec, self.executor.gather([inputs])[0], failed,
                           functools.partial(driver.run, prefix=prefix, tasks=tasks), prefix)

    def _drain(self, stopping: bool = True) -> None:
        """Report what already happened before the run stops (a failure, Ctrl-C): starts heard and
        steps that ended well, without starting anything new. Dask stamps of steps known done that
        are still on their way are waited for (a second at most); then they are reported anyway."""
        relay = self._relay
        if relay is None:
            return
        settle = getattr(self.executor, "settle_starts", None)  # starts a process pool's workers sent
        if settle is not None:
            settle()
        # Dask events already sent (a start, an end) are heard within moments: listen until quiet.
        self._take_events(relay, 1.0 if stopping else 0.0, quiet=0.2 if relay.remote and stopping else 0.0)
        # A Ctrl-C can land between taking an event off the queue and handling it: ask the handles.
        for key, report in list(self._reporters.items()):
            handle = self._watched.get(key)
            if handle is not None and _succeeded(self.executor, handle):
                del self._reporters[key]
                report(handle)
        if stopping and relay.pending:
            self._take_events(relay, 1.0)
            relay.flush()

    def _take_events(self, relay: EventRelay, seconds: float, quiet: float = 0.0) -> None:
        """Handle the queued stamps and ends (reports only), waiting up to ``seconds`` for pending
        stamps, or for ``quiet`` seconds without any event."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                wait = min(deadline - time.monotonic(), 1e9 if relay.pending else quiet)
                on_done, handle, _ = self._events.get(timeout=max(wait, 0.0))
            except queue.Empty:
                return
            if on_done is None:
                relay.heard(handle)
                continue
            report = self._reporters.pop(id(handle), None)
            if report is not None and self.executor.error(handle) is None:
                self._watched.pop(id(handle), None)
                report(handle)

    def later(self, action: Callable[[], None]) -> None:
        self._ready.append(action)

    def submit(self, group: str, path: str, fn: Callable[..., Any], *args: Any, last: bool = False) -> Handle:
        """Submit ``fn(*args)``. Keys read ``group-path-run-serial``: Dask groups calls by ``group``
        (the task's name), which is what its duration estimates and work stealing go by; a key per
        node there would make every call look new and unknown. When someone listens, the step is
        stamped where it runs (:func:`flowgen.runtime.events.observed`)."""
        key = f"{group}-{path}-{self._run}-{next(self._serial)}"
        if self._marks is not None and path != "root" and fn is not run_task and fn is not map_item:
            self._marks[key] = (path, last)  # a structural node's first step begins it, its last ends it
        if self._relay is not None and path != "root":
            step = path + LAST_STEP if last else path  # a node's last step ends it (remote stamps)
            return self.executor.submit(key, observed, self._run, step, fn, *args)
        return self.executor.submit(key, fn, *args)

    def watch_node(self, g: _Graph, node: Node, handle: Handle, on_done: Callable[[Handle], None],
                   what: str) -> None:
        """Watch a node's handle if every node is watched or if nothing reads it (a sink)."""
        if self._watch_all or node.id not in g.consumed:
            self.watch(handle, on_done, what, g.prefix + node.id, report=on_done)

    def watch(self, handle: Handle, on_done: Callable[[Handle], None], what: str | None = None,
              path: str | None = None, report: Callable[[Handle], None] | None = None) -> None:
        """Call ``on_done(handle)`` in the loop once the handle succeeded; its failure ends the run.
        ``path``: the node it belongs to (named failed if it fails); ``report``: the part of
        ``on_done`` that only reports, run even when the run stops before the loop hears it."""
        self._watched[id(handle)] = handle
        if path is not None:
            self._paths[id(handle)] = path
        if report is not None:
            self._reporters[id(handle)] = report
        self.executor.add_done_callback(handle, lambda h: self._events.put((on_done, h, what)))

    def _located(self, error: BaseException, what: str | None) -> BaseException:
        if isinstance(error, FlowgenError) or what is None or not isinstance(error, Exception):
            return error
        wrapped = TaskError(f"{what} failed on the {self.executor.name} executor: {type(error).__name__}: {error}")
        wrapped.__cause__ = error
        return wrapped

    # -- nodes --------------------------------------------------------------------------------
    def _function(self, spec: TaskSpec) -> ShippedFunction:
        shipped = self._functions.get(spec.function)
        if shipped is None:
            shipped = self._functions[spec.function] = ShippedFunction(spec.function, _task_function(spec))
        return shipped

    def start_node(self, g: _Graph, node: Node) -> None:
        path = g.prefix + node.id
        if self._relay is not None:  # started when its first step starts where it runs
            self._relay.known(path, node, g.owners.get(node.id, g.owner))
        started = time.perf_counter()
        what = f"node {path} of {g.spec.name}"
        try:
            if isinstance(node, TaskNode):
                spec = g.tasks[node.task]
                ids = g.read_ids(node.inputs.values(), node.upstream)
                unit = TaskUnit(spec, self._function(spec), node.inputs, ids, g.spec.name, path, node.call_site,
                                self._cache)
                handle = self.submit(_group(spec), path, run_task, unit, *g.args(ids))
                g.set_handle(node.id, handle)
                self.watch_node(g, node, handle, self._reported(g, node, started, ids), what)
            elif isinstance(node, WorkflowNode):
                self._start_workflow(g, node, path, started)
            elif isinstance(node, DynamicNode):
                self._start_dynamic(g, node, path, started)
            elif isinstance(node, MapNode):
                self._start_map(g, node, path, started)
            elif isinstance(node, ConditionalNode):
                self._start_conditional(g, node, path, started)
            else:  # pragma: no cover - the IR union is closed
                raise TypeError(f"unknown node {node!r}")
            g.started(node.id)
        except FlowgenError as exc:
            if self._relay is not None:
                self._relay.fail(exc, path)
            raise

    def start_group(self, g: _Graph, nodes: list[TaskNode], exports: tuple[str, ...] = ()) -> None:
        """Task nodes fused into one call, or a chunk of them (runtime/group_calls.py)."""
        call_group(self, g, nodes, exports)

    def _reported(self, g: _Graph, node: Node, started: float, ids: tuple[str, ...] | None = None
                  ) -> Callable[[Handle], None]:
        """Report a node finished, at the end stamp of its last step where that is known (the
        event stream, :mod:`flowgen.runtime.relay`)."""
        observer = self.observer
        relay = self._relay
        path = g.prefix + node.id
        executor = self.executor
        interpreter = self.interpreter

        def report(handle: Handle) -> None:
            g.finished[node.id] = time.perf_counter()
            if relay is None and ids is None:
                return
            value = executor.local_value(handle)
            stamps = stamps_of(value)
            if relay is not None and relay.remote and value is None:
                step = path if ids is not None else path + LAST_STEP
                end = relay.remote_end(step, lambda: report(handle))  # its stamps come as an event
                if end is None and (not relay.give_up or not _succeeded(executor, handle)):
                    return  # stamps to come; or the run stopped before a fused call it is in ended
                if end is not None:
                    stamps = (end["start"], end["end"])
                    value = RemoteOutcome(end)
            cached = ids is not None and bool(getattr(value, "cached", False))
            if cached:
                interpreter.cached_nodes.append(path)
            if relay is None:
                return
            relay.start(path, stamps[0] if stamps is not None else None)
            if value is not None and ids is not None and not isinstance(value, RemoteOutcome):
                described = getattr(observer, "node_outputs", None)  # optional: run reports describe data
                if described is not None:
                    described(path, node, value)
            relay.finish(path, "cached" if cached else "succeeded", stamps, cached=cached,
                         attempts=max(int(getattr(value, "attempts", 1) or 1), 1))

        return report

    def _first_step(self, path: str) -> Callable[[Handle], None]:
        """Start node ``path`` when its first step is heard done, at that step's stamped start (a
        process pool's steps are heard only with their results)."""
        relay = self._relay

        def started(handle: Handle) -> None:
            if relay is not None:
                stamps = stamps_of(self.executor.local_value(handle))
                if stamps is None and relay.remote:
                    return  # its worker's start event says when (the driver's time is late under load)
                relay.start(path, stamps[0] if stamps is not None else None)

        return started

    def _sub_graph(self, g: _Graph, node: Node, spec: WorkflowSpec, tasks: dict[str, TaskSpec], path: str,
                   inputs: Any, check: Any, what: str, facts: dict[str, Any], started: float) -> None:
        """Expand ``spec`` under ``path``; the node's handle is its checked outputs."""

        def finish(sub: _Graph, outputs: dict[str, Binding]) -> None:
            ids = sub.read_ids(outputs.values())
            handle = self.submit("flowgen_outputs", path, collect, CollectUnit(outputs, ids, what, check, facts),
                                 *sub.args(ids), last=True)
            g.set_handle(node.id, handle)
            self.watch_node(g, node, handle, self._reported(g, node, started), f"node {path} of {g.spec.name}")

        sub = _Graph(self, spec, tasks, path + ".", inputs, finish, owner=path)
        sub.expand(spec.nodes, spec.outputs)

    def _start_workflow(self, g: _Graph, node: WorkflowNode, path: str, started: float) -> None:
        spec = self.interpreter.workflows[node.workflow]
        facts = _facts(g.spec.name, path, node.workflow, node.call_site)
        what = f"workflow {node.workflow} (node {path})"
        ids = g.read_ids(node.inputs.values(), node.upstream)
        inputs = self.submit("flowgen_inputs", path, prepare, PrepareUnit(spec.interface, node.inputs, ids, what, facts),
                             *g.args(ids))
        if self._watch_all:
            self.watch(inputs, self._first_step(path), what, path)
        if spec.on_failure is not None:
            self._handled.append((path + ".", spec, inputs, g.tasks))
        self._sub_graph(g, node, spec, g.tasks, path, inputs, spec.interface, f"workflow {node.workflow}",
                        facts, started)

    def _start_dynamic(self, g: _Graph, node: DynamicNode, path: str, started: float) -> None:
        spec = g.tasks[node.task]
        facts = _facts(g.spec.name, path, spec.name, node.call_site)
        what = f"dynamic {spec.name} (node {path})"
        ids = g.read_ids(node.inputs.values(), node.upstream)
        inputs = self.submit("flowgen_inputs", path, prepare, PrepareUnit(spec.interface, node.inputs, ids, what, facts),
                             *g.args(ids))

        def compile_and_expand(handle: Handle) -> None:
            # The one place a back end calls a front end: a @dynamic decides its DAG at run time.
            from flowgen.tracing.compiler import trace_dynamic

            self._first_step(path)(handle)
            kwargs = self.executor.gather([handle])[0]
            try:
                with building_graph():
                    sub_program = trace_dynamic(spec, _task_function(spec), kwargs)
            except FlowgenError as exc:
                if self._relay is not None:
                    self._relay.fail(exc, path)
                raise
            tasks = {**g.tasks, **sub_program.tasks}
            for name, wf in sub_program.workflows.items():
                if name != sub_program.entry:
                    self.interpreter.workflows.setdefault(name, wf)
            sub = sub_program.workflows[sub_program.entry]
            if self.observer is not None:
                self.observer.nodes_added(path, len(sub.nodes))
            self._sub_graph(g, node, sub, tasks, path, {}, spec.interface, f"dynamic {spec.name}", facts, started)

        self.watch(inputs, compile_and_expand, what, path)

    def _start_map(self, g: _Graph, node: MapNode, path: str, started: float) -> None:
        spec = g.tasks[node.task]
        ids = g.read_ids(node.inputs.values(), node.upstream)
        unit = MapUnit(TaskUnit(spec, self._function(spec), node.inputs, ids, g.spec.name, path, node.call_site,
                                self._cache), node.mapped, node.min_success_ratio)
        args = g.args(ids)
        what = f"node {path} of {g.spec.name}"
        counted = self.submit("flowgen_map_count", path, map_count, unit, *args)

        relay = self._relay

        def submit_items(handle: Handle) -> None:
            count: int = self.executor.gather([handle])[0]
            limit = min(count, node.concurrency or count)
            items: list[Handle] = []
            if relay is not None:
                relay.items_added(path, count)

            def item_report(index: int) -> Callable[[Handle], None]:
                def report(item: Handle) -> None:
                    if relay is not None:
                        relay.item_done(path, index, self.executor.local_value(item))
                return report

            def submit_next(_: Handle | None = None) -> None:
                index = len(items)
                if index >= count:
                    return
                item = self.submit(_group(spec), f"{path}[{index}]", map_item, unit, index, *args)
                items.append(item)
                if len(items) == count:
                    done = self.submit("flowgen_map_collect", path, map_collect, unit, *items, last=True)
                    g.set_handle(node.id, done)
                    self.watch_node(g, node, done, self._reported(g, node, started), what)
                if limit < count or self._watch_all:
                    report = item_report(index)

                    def item_done(h: Handle, report: Callable[[Handle], None] = report) -> None:
                        report(h)
                        if limit < count:
                            submit_next(h)

                    self.watch(item, item_done, f"item {index} of {what}", path, report=report)

            chunks = call_item_chunks(self, node, unit, count, args, path, what)
            if chunks is not None:  # a few calls of many items each (runtime/group_calls.py)
                done = self.submit("flowgen_map_collect", path, map_collect, unit, *chunks, last=True)
                g.set_handle(node.id, done)
                self.watch_node(g, node, done, self._reported(g, node, started), what)
                return
            if count == 0:
                done = self.submit("flowgen_map_collect", path, map_collect, unit, last=True)
                g.set_handle(node.id, done)
                self.watch_node(g, node, done, self._reported(g, node, started), what)
            for _ in range(limit):
                submit_next()

        self.watch(counted, submit_items, what, path)

    def _start_conditional(self, g: _Graph, node: ConditionalNode, path: str, started: float) -> None:
        conditions = tuple(case.condition for case in node.cases)
        what = f"conditional {node.name!r} (node {path} of {g.spec.name})"
        # The choice waits for every value the conditional reads (as in-process), so a failure among
        # them reaches it even when only the branch not taken would have read the failed value.
        ids = g.read_ids([b for c in conditions for b in _condition_bindings(c)], node_sources(node))
        chosen = self.submit("flowgen_branch", path, choose_branch, BranchUnit(conditions, ids, what), *g.args(ids))

        def expand_branch(handle: Handle) -> None:
            self._first_step(path)(handle)
            index: int = self.executor.gather([handle])[0]
            branch = node.cases[index].branch if index < len(node.cases) else node.else_branch
            if branch.fail_message is not None:
                error = ConditionalFailure(f"{what} took its fail branch: {branch.fail_message}",
                                           location=_loc(node.call_site), workflow=g.spec.name, node=path)
                if self._relay is not None:
                    self._relay.fail(error, path)
                raise error

            def finish(scope: _Graph, outputs: dict[str, Binding]) -> None:
                out_ids = scope.read_ids(outputs.values())
                done = self.submit("flowgen_outputs", path, collect, CollectUnit(outputs, out_ids, what),
                                   *scope.args(out_ids), last=True)
                scope.set_handle(node.id, done)
                self.watch_node(g, node, done, self._reported(g, node, started), what)

            g.expand(branch.nodes, branch.outputs, finish, owner=path)

        self.watch(chosen, expand_branch, what, path)


def _succeeded(executor: Executor, handle: Handle) -> bool:
    done = getattr(handle, "done", None)
    return callable(done) and bool(done()) and executor.error(handle) is None


def _wake(_: Handle) -> None:
    return None
