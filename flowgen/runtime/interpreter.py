"""The interpreter: runs a Program's IR.

The core is a short loop over a plan (DESIGN.md, STYLE.md): for each node in
topological order, *resolve* its inputs from the values already computed,
*call* it, and *release* values no later node needs. A plan is built once per
graph: each node gets its task's *runner* (function, input and output checkers,
shared by every node of that task) and the list of values to release after it.

Per-node cost is the product's headline number (a @dynamic can expand to tens of
thousands of nodes), so a plain task node — no cache, retries or timeout, every
input bound — takes an inlined path: resolve, check, call, check. Anything unusual
(a default to fill, a value to reject, a failure) falls back to the general path,
which does the same work through the shared boundary functions and reports the
exact error; results and errors are the same either way (tests/core pin them).

Structural nodes are expanded here, in the driver:

=============  ==================================================================
node           how it runs
=============  ==================================================================
task           inputs validated (copied) -> function -> outputs validated (copied)
workflow       its graph runs recursively; node ids get the parent id as prefix
dynamic        the body is traced with real inputs (tracing front end, at run
               time), and the sub-DAG it records runs like a sub-workflow; when
               no observer or keep-going policy needs the node list up front,
               plain task calls are kept as lean records, never built into IR,
               and run in trace order (:mod:`flowgen.runtime.recorded`)
map            the task runs once per item of the zipped list inputs
conditional    conditions evaluated in order; only the taken branch runs
=============  ==================================================================

Executors (threads, processes, Dask) plug in below the loop: they run task
calls; the driver stays the same (see :mod:`flowgen.runtime.executors`).

Ctrl-C with nothing observing: the loops count what finished as the ``KeyboardInterrupt``
unwinds them (each plan's steps up to the one it was at, a map's items, a recorded
@dynamic's records), onto the tally it carries (:mod:`flowgen.runtime.interrupts`), so the
CLI's summary has true counts off a terminal too, and the fast path pays nothing for it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from flowgen.errors import (
    ConditionalFailure,
    FlowgenError,
)
from flowgen.ir.model import (
    Condition,
    ConditionalNode,
    DynamicNode,
    MapNode,
    Node,
    Program,
    SourceSpan,
    TaskNode,
    TaskSpec,
    WorkflowNode,
    WorkflowSpec,
)
from flowgen.ir.values import TypeMismatch
from flowgen.runtime.bindings import binding_sources as _sources
from flowgen.runtime.bindings import binding_value as _value
from flowgen.runtime.bindings import facts as _facts
from flowgen.runtime.bindings import location as _loc
from flowgen.runtime.bindings import node_sources
from flowgen.runtime.bindings import resolver as _resolver
from flowgen.runtime.boundary import check_outputs, prepare_inputs, split_outputs
from flowgen.runtime.conditions import evaluate
from flowgen.runtime.data_reach import check_store_reach
from flowgen.runtime.events import Observer
from flowgen.runtime.failures import KEEP_GOING, combined_error, error_key, run_with_handler
from flowgen.runtime.gc_policy import building_graph, run_scope
from flowgen.runtime.interrupts import tally_of
from flowgen.runtime.mapping import run_mapped
from flowgen.runtime.recorded import TaskRunner as _Runner
from flowgen.runtime.recorded import run_records
from flowgen.runtime.task_call import execute_task, task_failure

__all__ = ["Interpreter", "run_program"]


class _Step:
    """One node of a plan: its task's runner and the values to release after it ran."""

    __slots__ = ("graph_name", "node", "release", "runner")

    def __init__(self, node: Node, graph_name: str, runner: _Runner | None) -> None:
        self.node = node
        self.graph_name = graph_name
        self.runner = runner
        self.release: list[str] = []

    def describe(self) -> str:
        return f"node {self.node.id} of {self.graph_name}"

    @property
    def spec(self) -> TaskSpec | None:
        return self.runner.spec if self.runner is not None else None

    @property
    def fn(self) -> Callable[..., Any] | None:
        return self.runner.fn if self.runner is not None else None


class Interpreter:
    """Runs the graphs of one Program; ``observer`` hears about every node."""

    def __init__(self, program: Program, observer: Observer | None = None, executor: Any = None) -> None:
        self.program = program
        self.observer = observer
        self.executor = executor  # a parallel one hands the run to flowgen.runtime.scheduler
        if executor is not None:
            check_store_reach(program, executor)
        self._plans: dict[int, list[_Step]] = {}
        # Workflows by name: the program's, plus those @dynamic bodies bring at run time. A copy,
        # so running never changes the (cached, shared) Program.
        self.workflows: dict[str, WorkflowSpec] = dict(program.workflows)
        self.cached_nodes: list[str] = []  # node paths served from the cache, in completion order
        self.attempts: dict[str, int] = {}  # node paths that needed retries -> attempts
        self.keep_going = False  # the run's failure policy is FAIL_AFTER_EXECUTABLE_NODES_COMPLETE
        # @dynamic bodies take the lean record path when nothing needs their node list up front
        # (runtime/recorded.py); False forces the IR path (tests compare the two).
        self.use_records = True
        # Nodes (and map items, and items that failed) of the graphs, @dynamic records and maps that
        # completed: one addition per graph, never per node. With the steps the loops still on the
        # stack count as a Ctrl-C unwinds them, they are what the run finished (_count_stopped).
        self.completed = [0, 0, 0]

    # -- plans --------------------------------------------------------------------------------
    def plan(self, graph: WorkflowSpec | Any, tasks: dict[str, TaskSpec]) -> list[_Step]:
        key = id(graph)
        cached = self._plans.get(key)
        if cached is not None:
            return cached
        steps: list[_Step] = []
        last_use: dict[str, int] = {}
        runners: dict[str, _Runner] = {}
        graph_name = graph.name
        for i, node in enumerate(graph.nodes):
            runner = None
            task = getattr(node, "task", None)  # task, map and dynamic nodes
            if task is not None:
                runner = runners.get(task)
                if runner is None:
                    runner = runners[task] = _Runner(tasks[task])
            steps.append(_Step(node, graph_name, runner))
            for source in node_sources(node):
                last_use[source] = i
        outputs_read = {s for b in graph.outputs.values() for s in _sources(b)}
        for source, i in last_use.items():
            if source not in outputs_read:
                steps[i].release.append(source)
        self._plans[key] = steps
        return steps

    # -- running ------------------------------------------------------------------------------
    def run_workflow(self, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        """Run a workflow of the program; its failure policy holds for the whole run, and its
        ``on_failure`` handler runs after a failure (:mod:`flowgen.runtime.failures`)."""
        graph = self.workflows[name]
        self.keep_going = graph.failure_policy == KEEP_GOING
        heard = getattr(self.observer, "run_inputs", None)  # optional: reports show the values used
        if heard is not None:
            heard(inputs)
        try:
            with run_scope():
                return run_with_handler(graph, inputs, lambda: self._run_root(graph, inputs), self._run_root)
        except KeyboardInterrupt as stop:
            if self.executor is None or not self.executor.parallel:  # a parallel driver counts its own run
                tally = tally_of(stop)
                done, items, failed = self.completed
                tally.done += done
                tally.items_done += items
                tally.failed += failed
                tally.cached += sum(1 for path in self.cached_nodes if path not in tally.running_paths)
                tally.counted = True
            raise

    def _run_root(self, graph: WorkflowSpec, inputs: dict[str, Any]) -> dict[str, Any]:
        if self.executor is not None and self.executor.parallel:
            from flowgen.runtime.scheduler import ParallelDriver

            return ParallelDriver(self, self.executor).run(graph, inputs)
        return self.run_graph(graph, self.program.tasks, inputs, prefix="")

    def run_graph(
        self, graph: WorkflowSpec, tasks: dict[str, TaskSpec], inputs: dict[str, Any], prefix: str
    ) -> dict[str, Any]:
        if self.keep_going:
            return self._run_graph_keep_going(graph, tasks, inputs, prefix)
        values: dict[str, dict[str, Any]] = {}
        fast_ok = self.observer is None
        plan = self.plan(graph, tasks)
        step = None
        try:
            for step in plan:
                node = step.node
                runner = step.runner
                if fast_ok and runner is not None and runner.fast and type(node) is TaskNode:
                    outputs = self._run_fast(step, runner, graph, inputs, values, prefix)
                    if outputs is not None:
                        values[node.id] = outputs
                        for released in step.release:
                            values.pop(released, None)
                        continue
                if isinstance(node, ConditionalNode):
                    kwargs = {}
                else:
                    describe = step.describe
                    kwargs = {name: _value(b, inputs, values, describe) for name, b in node.inputs.items()}
                values[node.id] = self.run_node(step, graph, tasks, kwargs, inputs, values, prefix)
                for released in step.release:
                    values.pop(released, None)
        except KeyboardInterrupt as stop:
            _count_stopped(stop, plan, step, prefix, values)
            raise
        self.completed[0] += len(plan)
        return self._outputs(graph, inputs, values)

    def _outputs(self, graph: WorkflowSpec, inputs: dict[str, Any], values: dict[str, dict[str, Any]]
                 ) -> dict[str, Any]:
        out = {}
        for name, binding in graph.outputs.items():
            out[name] = _resolver(binding, lambda name=name: f"output {name!r} of {graph.name}")(inputs, values)
        return out

    def _run_graph_keep_going(
        self, graph: WorkflowSpec, tasks: dict[str, TaskSpec], inputs: dict[str, Any], prefix: str
    ) -> dict[str, Any]:
        """``FAIL_AFTER_EXECUTABLE_NODES_COMPLETE``: a node that reads a failed (or skipped) node is
        skipped; every other node runs; then the run fails with every node's own error."""
        values: dict[str, dict[str, Any]] = {}
        failed: dict[str, BaseException] = {}
        skipped: set[str] = set()
        plan = self.plan(graph, tasks)
        step = None
        try:
            for step in plan:
                node = step.node
                if any(s in failed or s in skipped for s in node_sources(node)):
                    skipped.add(node.id)
                    continue
                try:
                    kwargs = {} if isinstance(node, ConditionalNode) else {
                        name: _value(b, inputs, values, step.describe) for name, b in node.inputs.items()}
                    values[node.id] = self.run_node(step, graph, tasks, kwargs, inputs, values, prefix)
                except FlowgenError as exc:
                    failed[node.id] = exc
        except KeyboardInterrupt as stop:
            _count_stopped(stop, plan, step, prefix, values, failed, skipped)
            raise
        self.completed[0] += len(plan)  # a failure raises below: a graph that completes skipped nothing
        if failed:
            raise combined_error(((error_key(e, prefix + i), e) for i, e in failed.items()), graph.name)
        return self._outputs(graph, inputs, values)

    def _run_fast(
        self,
        step: _Step,
        runner: _Runner,
        graph: WorkflowSpec,
        inputs: dict[str, Any],
        values: dict[str, dict[str, Any]],
        prefix: str,
    ) -> dict[str, Any] | None:
        """A plain task node, inlined: the same checks as ``run_task``, without its generality.

        Returns None to fall back to the general path (defaults to fill, a value to reject),
        which then does the same work and reports the exact error.
        """
        bindings = step.node.inputs  # type: ignore[union-attr]
        params = runner.params
        if len(bindings) != len(params):
            return None
        describe = step.describe
        try:
            kwargs = {name: check(_value(bindings[name], inputs, values, describe)) for name, check in params}
        except TypeMismatch:
            return None
        try:
            result = runner.fn(**kwargs)
        except FlowgenError:
            raise
        except Exception as exc:
            path, spec = prefix + step.node.id, runner.spec
            facts = _facts(graph.name, path, spec.name, step.node.call_site)
            raise task_failure(exc, 1, {"what": f"task {spec.name} (node {path} of {graph.name})", **facts}) from exc
        out = runner.out
        try:
            if out is not None:
                return {out[0]: out[1](result)}
            if result is None:
                return {}
        except TypeMismatch:
            pass
        path, spec = prefix + step.node.id, runner.spec
        facts = _facts(graph.name, path, spec.name, step.node.call_site)
        return split_outputs(spec.interface, result, what=f"task {spec.name} (node {path} of {graph.name})", **facts)

    def run_node(
        self,
        step: _Step,
        graph: WorkflowSpec,
        tasks: dict[str, TaskSpec],
        kwargs: dict[str, Any],
        inputs: dict[str, Any],
        values: dict[str, dict[str, Any]],
        prefix: str,
    ) -> dict[str, Any]:
        node = step.node
        path = prefix + node.id
        observer = self.observer
        if observer is not None:
            observer.node_started(path, node)
        started = time.perf_counter()
        try:
            if isinstance(node, TaskNode):
                result = self.run_task(step.spec, step.fn, kwargs, graph.name, path, node.call_site)  # type: ignore[arg-type]
            elif isinstance(node, WorkflowNode):
                sub = self.workflows[node.workflow]
                facts = _facts(graph.name, path, node.workflow, node.call_site)
                sub_inputs = prepare_inputs(sub.interface, kwargs, what=f"workflow {node.workflow} (node {path})", **facts)
                result = run_with_handler(
                    sub, sub_inputs, lambda: self.run_graph(sub, tasks, sub_inputs, path + "."),
                    lambda handler, values: self.run_graph(handler, tasks, values, path + "."), prefix=path + ".")
                result = check_outputs(sub.interface, result, f"workflow {node.workflow}", facts)
            elif isinstance(node, DynamicNode):
                result = self.run_dynamic(step.spec, step.fn, kwargs, graph.name, path, node.call_site)  # type: ignore[arg-type]
            elif isinstance(node, MapNode):
                result = self.run_map(node, step.spec, step.fn, kwargs, graph.name, path)  # type: ignore[arg-type]
            elif isinstance(node, ConditionalNode):
                result = self.run_conditional(node, graph, tasks, inputs, values, prefix)
            else:  # pragma: no cover - the IR union is closed
                raise TypeError(f"unknown node {node!r}")
        except FlowgenError as exc:
            if observer is not None:
                observer.node_finished(path, node, "failed", time.perf_counter() - started, error=exc)
            raise
        if observer is not None:
            described = getattr(observer, "node_outputs", None)  # optional: run reports describe data
            if described is not None:
                described(path, node, result)
            cached = bool(self.cached_nodes) and self.cached_nodes[-1] == path
            observer.node_finished(path, node, "cached" if cached else "succeeded", time.perf_counter() - started,
                                   cached=cached, attempts=self.attempts.get(path, 1))
        return result

    def run_task(
        self,
        spec: TaskSpec,
        fn: Callable[..., Any],
        kwargs: dict[str, Any],
        workflow: str,
        path: str,
        call_site: SourceSpan | None,
    ) -> dict[str, Any]:
        facts = _facts(workflow, path, spec.name, call_site)
        outcome = execute_task(spec, fn, kwargs, what=f"task {spec.name} (node {path} of {workflow})", facts=facts)
        if outcome.cached:
            self.cached_nodes.append(path)
        if outcome.attempts > 1:
            self.attempts[path] = outcome.attempts
        return outcome.outputs

    def run_dynamic(
        self,
        spec: TaskSpec,
        fn: Callable[..., Any],
        kwargs: dict[str, Any],
        workflow: str,
        path: str,
        call_site: SourceSpan | None,
    ) -> dict[str, Any]:
        # The one place a back end calls a front end: a @dynamic decides its DAG at run time.
        from flowgen.tracing.compiler import trace_dynamic, trace_dynamic_records

        facts = _facts(workflow, path, spec.name, call_site)
        kwargs = prepare_inputs(spec.interface, kwargs, what=f"dynamic {spec.name} (node {path})", **facts)
        if self.use_records and self.observer is None and not self.keep_going:
            # Nothing needs the node list up front: lean records, run in trace order (runtime/recorded.py).
            with building_graph():
                traced = trace_dynamic_records(spec, fn, kwargs)
            if not isinstance(traced, Program):
                result = run_records(self, traced, spec.name, path + ".")
                self.completed[0] += len(traced.records)
                return check_outputs(spec.interface, result, f"dynamic {spec.name}", facts)
        else:
            traced = None
        with building_graph():
            sub_program = traced if traced is not None else trace_dynamic(spec, fn, kwargs)
            tasks = {**self.program.tasks, **sub_program.tasks}
            for name, wf in sub_program.workflows.items():
                if name != sub_program.entry:
                    self.workflows.setdefault(name, wf)
            sub = sub_program.workflows[sub_program.entry]
            self.plan(sub, tasks)
        if self.observer is not None:
            self.observer.nodes_added(path, len(sub.nodes))
        result = self.run_graph(sub, tasks, {}, path + ".")
        self._plans.pop(id(sub), None)
        return check_outputs(spec.interface, result, f"dynamic {spec.name}", facts)

    def run_map(
        self, node: MapNode, spec: TaskSpec, fn: Callable[..., Any], kwargs: dict[str, Any], workflow: str, path: str
    ) -> dict[str, Any]:
        out_name = spec.interface.outputs[0].name if spec.interface.outputs else None
        observer = self.observer
        started, finished = (getattr(observer, "item_started", None), getattr(observer, "item_finished", None))
        if observer is not None and (started is not None or finished is not None):
            announce = getattr(observer, "items_added", None)
            lengths = {len(v) for v in (kwargs.get(m) for m in node.mapped) if isinstance(v, (list, tuple))}
            if announce is not None and len(lengths) <= 1:  # mismatched lengths fail in run_mapped
                announce(path, next(iter(lengths), 0))

        ran: list[Any] = [0, 0, ""]  # items finished, of which failed; the item running (a Ctrl-C's tally)

        def run_item(item_kwargs: dict[str, Any], item_path: str) -> Any:
            if started is None and finished is None:
                ran[2] = item_path
                try:
                    out = self.run_task(spec, fn, item_kwargs, workflow, item_path, node.call_site)
                except FlowgenError:
                    ran[0] += 1
                    ran[1] += 1
                    ran[2] = ""
                    raise
                ran[0] += 1
                ran[2] = ""
                return out[out_name] if out_name else None
            index = int(item_path[len(path) + 1:-1])
            began = time.time()
            if started is not None:
                started(path, index, at=began)
            try:
                out = self.run_task(spec, fn, item_kwargs, workflow, item_path, node.call_site)
            except FlowgenError as exc:
                if finished is not None:
                    end = time.time()
                    finished(path, index, "failed", end - began, at=end, error=exc)
                raise
            if finished is not None:
                end = time.time()
                status = "cached" if self.cached_nodes and self.cached_nodes[-1] == item_path else "succeeded"
                finished(path, index, status, end - began, at=end)
            return out[out_name] if out_name else None

        facts = _facts(workflow, path, spec.name, node.call_site)
        try:
            result = {"o0": run_mapped(spec.name, path, kwargs, node.mapped, node.min_success_ratio, facts, run_item)}
        except KeyboardInterrupt as stop:
            _count_items(stop, ran)
            raise
        completed = self.completed
        completed[0] += ran[0]
        completed[1] += ran[0]
        completed[2] += ran[1]
        return result

    def run_conditional(
        self,
        node: ConditionalNode,
        graph: WorkflowSpec,
        tasks: dict[str, TaskSpec],
        inputs: dict[str, Any],
        values: dict[str, dict[str, Any]],
        prefix: str,
    ) -> dict[str, Any]:
        describe = lambda: f"conditional {node.name!r} (node {prefix}{node.id} of {graph.name})"  # noqa: E731
        for case in node.cases:
            if _evaluate(case.condition, inputs, values, describe):
                branch = case.branch
                break
        else:
            branch = node.else_branch
        if branch.fail_message is not None:
            raise ConditionalFailure(
                f"{describe()} took its fail branch: {branch.fail_message}",
                location=_loc(node.call_site),
                workflow=graph.name,
                node=prefix + node.id,
            )
        # Branch nodes read the enclosing graph's values; give them their own scope on top.
        scope = dict(values)
        sub = WorkflowSpec.model_construct(name=graph.name, function=graph.function, interface=graph.interface,
                                           nodes=branch.nodes, outputs=branch.outputs, source=graph.source)
        plan = self.plan(sub, tasks)
        step = None
        try:
            for step in plan:
                inner = step.node
                kwargs = {} if isinstance(inner, ConditionalNode) else {
                    name: _value(b, inputs, scope, step.describe) for name, b in inner.inputs.items()
                }
                scope[inner.id] = self.run_node(step, sub, tasks, kwargs, inputs, scope, prefix)
        except KeyboardInterrupt as stop:
            _count_stopped(stop, plan, step, prefix, scope)
            raise
        self.completed[0] += len(plan)
        self._plans.pop(id(sub), None)
        results = {name: _resolver(b, describe)(inputs, scope) for name, b in branch.outputs.items()}
        return check_outputs(node, results, describe(), {"workflow": graph.name, "node": prefix + node.id})


def _evaluate(condition: Condition, inputs: dict[str, Any], values: dict[str, dict[str, Any]],
              describe: Callable[[], str]) -> bool:
    return evaluate(condition, lambda binding: _resolver(binding, describe)(inputs, values), describe)


def _count_stopped(stop: KeyboardInterrupt, plan: list[_Step], step: _Step | None, prefix: str,
                   values: dict[str, Any], failed: dict[str, BaseException] | None = None,
                   skipped: set[str] | None = None) -> None:
    """Add to Ctrl-C's tally the nodes of ``plan`` that finished before ``step`` (the one the loop
    was at) and ``step`` itself if its value is in; it is counted running if not. Steps before it
    all finished (a fail-fast loop stops at a failure), whether or not their values were since
    released; a loop that keeps going also skipped some and counted others failed."""
    if step is None:
        return
    tally = tally_of(stop)
    for earlier in plan[:plan.index(step) + 1]:
        node_id = earlier.node.id
        if failed is not None and node_id in failed:
            tally.done += 1
            tally.failed += 1
        elif node_id in values or (earlier is not step and failed is None):
            tally.done += 1
        elif earlier is step and (skipped is None or node_id not in skipped):
            tally.stopped(prefix + node_id)


def _count_items(stop: KeyboardInterrupt, ran: list[Any]) -> None:
    """Add a ``map_task``'s finished items (``ran``: finished, failed, the one running) to Ctrl-C's tally."""
    tally = tally_of(stop)
    tally.done += ran[0]
    tally.items_done += ran[0]
    tally.failed += ran[1]
    if ran[2]:
        tally.stopped(ran[2])


def run_program(program: Program, inputs: dict[str, Any], observer: Observer | None = None) -> dict[str, Any]:
    """Run the entry workflow of ``program`` on already validated inputs; returns named outputs."""
    return Interpreter(program, observer).run_workflow(program.entry, inputs)
