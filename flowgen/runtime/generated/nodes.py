"""Node helpers of generated modules: what one line of a checked body calls.

A helper belongs to a node *shape*, not to a node: the task (or sub-workflow), the
workflow it is in and the call site. Every node of that shape shares it and names
itself at the call (``n5_inc: int = _n_fan_inc(_p, "n5", x=x)``), so a workflow of
20,000 nodes made by one loop has one helper, not 20,000. A run of such nodes with the
same inputs (a fan-out) is one line, ``_n_fan_inc.fan(_p, "n", 0, 20000, x=x)`` in a
checked body and :func:`fan` in a fast one.

=====================  ===========================================================
helper                 what it does (and what it shares with the interpreter)
=====================  ===========================================================
``TaskNode``           one task call at a node boundary (``execute_task``: input
                       validation/copy, cache, retries, timeout, output validation)
``WorkflowNode``       a sub-workflow call (``prepare_inputs`` + output check)
``DynamicNode``        the runtime compile hook of a ``@dynamic``
``MapNode``            ``map_task`` (``mapping.run_mapped``, as the interpreter)
``ConditionalNode``    comparisons (``conditions.compare``), ``fail``, output
                       checks (``check_outputs``) of a ``conditional`` (one per node)
``take``               ``value.attr`` / ``value[key]`` with the interpreter's error
``fan``                a fast body's fan-out: the task once per node of the run
=====================  ===========================================================
"""

from __future__ import annotations

import contextlib
import inspect
import itertools
import operator
from collections.abc import Callable
from typing import Any, NoReturn

from flowgen.errors import ConditionalFailure, FlowgenError, TaskError
from flowgen.ir.codec import from_json
from flowgen.ir.model import Interface, Output, TaskSpec
from flowgen.ir.types import PrimitiveType, TypeSpec
from flowgen.ir.values import TypeMismatch, checker, input_checker
from flowgen.runtime.boundary import check_outputs, prepare_inputs, split_outputs, take_path
from flowgen.runtime.conditions import compare
from flowgen.runtime.generated.data import Site
from flowgen.runtime.mapping import run_mapped
from flowgen.runtime.task_call import execute_task, task_failure
from flowgen.runtime.task_context import uses_context

__all__ = [
    "DYNAMIC_STRATEGY",
    "FAN_INDEX",
    "ConditionalNode",
    "DynamicNode",
    "MapNode",
    "TaskNode",
    "WorkflowNode",
    "fan",
    "node_facts",
    "take",
]


def _predates(helper: str, stale: tuple[Any, ...]) -> None:
    """A module generated before helpers were shared per node shape passes the node id first."""
    if stale:
        raise FlowgenError(
            f"this generated module predates shared node helpers: _fg.{helper} was given the node id at "
            "module level, which this flowgen passes at each call",
            hint="regenerate it with `flowgen build` (CI: `flowgen build --check`)",
        )


def node_facts(workflow: str, path: str, task: str, site: Site | None) -> dict[str, Any]:
    return {"workflow": workflow, "node": path, "task": task, "location": site.location if site else None}


def _packed(interface: Interface, outputs: dict[str, Any]) -> Any:
    """What a generated line binds: the value, a tuple of values (unpacked), or None."""
    if interface.output_form == "none":
        return None
    if interface.output_form == "single" or len(interface.outputs) == 1:  # a one-field NamedTuple too
        return outputs[interface.outputs[0].name]
    return tuple(outputs[o.name] for o in interface.outputs)


_EXACT: dict[str, type] = {"int": int, "float": float, "str": str, "bool": bool}


def _exact_type(spec: TypeSpec) -> type | None:
    """The type whose instances are already valid (and immutable) for ``spec``: no check, no copy."""
    return _EXACT.get(spec.name) if isinstance(spec, PrimitiveType) and not spec.constraints else None


def _positional(fn: Callable[..., Any], names: list[str]) -> bool:
    """Whether ``fn`` takes the interface's inputs by position, in order (cheaper than keywords)."""
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return False
    if len(params) < len(names):
        return False
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return all(p.name == n and p.kind in kinds for p, n in zip(params, names)) and all(
        p.default is not inspect.Parameter.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        for p in params[len(names):])


class _TaskHelper:
    """What every helper of a node that runs a task holds: the task, its function, where the nodes are."""

    __slots__ = ("fn", "site", "spec", "workflow")

    def __init__(self, spec: TaskSpec, fn: Callable[..., Any], workflow: str, site: Site | None,
                 *stale: Any) -> None:
        _predates(type(self).__name__, stale)
        self.spec = spec
        self.fn = fn
        self.workflow = workflow
        self.site = site

    @property
    def task(self) -> str:
        """The name a failure of one of these nodes gives as its task."""
        return self.spec.name


class TaskNode(_TaskHelper):
    """Task nodes of one shape: what the interpreter's ``run_task`` does, precompiled.

    ``helper(prefix, node, **inputs)`` runs node ``node``. Tasks without cache, retries or
    timeout take a precompiled path: checkers are looked up once, values of exact primitive
    types pass without a call, and the function is called by position when its signature
    allows. Whenever that path meets anything else (a missing or unknown input, a type
    mismatch, a failing body, a bad return value), it hands over to the shared functions
    (``execute_task``, ``split_outputs``, ``task_failure``), which raise exactly the
    interpreter's errors. Tasks with a policy always go through ``execute_task``.
    """

    __slots__ = ("_run",)

    def __init__(self, spec: TaskSpec, fn: Callable[..., Any], workflow: str, site: Site | None,
                 *stale: Any) -> None:
        super().__init__(spec, fn, workflow, site, *stale)
        self._run: Callable[[str, dict[str, Any]], Any] = self._compile()

    def __call__(self, prefix: str, node: str, /, **kwargs: Any) -> Any:
        return self._run(prefix + node, kwargs)

    def fan(self, prefix: str, ids: str, first: int, count: int, /, **kwargs: Any) -> list[Any]:
        """Nodes ``{ids}{first}`` .. ``{ids}{first + count - 1}``, all on the same inputs, in order."""
        run = self._run
        return [run(f"{prefix}{ids}{k}", kwargs) for k in range(first, first + count)]

    def _what(self, path: str) -> str:
        return f"task {self.spec.name} (node {path} of {self.workflow})"

    def _facts(self, path: str) -> dict[str, Any]:
        return node_facts(self.workflow, path, self.spec.name, self.site)

    def _shared(self, path: str, kwargs: dict[str, Any]) -> Any:
        outputs = execute_task(self.spec, self.fn, kwargs, what=self._what(path), facts=self._facts(path)).outputs
        return _packed(self.spec.interface, outputs)

    def _failed(self, path: str, exc: Exception) -> TaskError:
        return task_failure(exc, 1, {"what": self._what(path), **self._facts(path)})

    def _bad_output(self, path: str, result: Any) -> Any:
        # the shared check raises the interpreter's OutputValidationError
        outputs = split_outputs(self.spec.interface, result, what=self._what(path), **self._facts(path))
        return _packed(self.spec.interface, outputs)

    def _compile(self) -> Callable[[str, dict[str, Any]], Any]:
        spec, fn = self.spec, self.fn
        shared, failed, bad_output = self._shared, self._failed, self._bad_output
        if spec.cache is not None or spec.retries or spec.timeout_seconds is not None or uses_context(fn):
            return shared
        interface = spec.interface
        params = tuple((p.name, _exact_type(p.type), input_checker(p.type)) for p in interface.inputs)
        count = len(params)
        names = tuple(p.name for p in interface.inputs)
        by_position = _positional(fn, list(names))
        form = interface.output_form
        out_checks = tuple(checker(o.type) for o in interface.outputs)
        out_exact = _exact_type(interface.outputs[0].type) if form == "single" else None
        out_check = out_checks[0] if form == "single" else None

        def run(path: str, kwargs: dict[str, Any]) -> Any:
            if len(kwargs) != count:  # defaults to fill, or unknown inputs: the shared path decides
                return shared(path, kwargs)
            values = []
            try:
                for name, exact, check in params:
                    value = kwargs[name]
                    values.append(value if type(value) is exact else check(value))
            except (KeyError, TypeMismatch):
                return shared(path, kwargs)  # raises the interpreter's InputValidationError
            try:
                result = fn(*values) if by_position else fn(**dict(zip(names, values)))
            except FlowgenError:
                raise
            except Exception as exc:
                raise failed(path, exc) from exc
            if out_check is not None:
                if type(result) is out_exact:
                    return result
                try:
                    return out_check(result)
                except TypeMismatch:
                    return bad_output(path, result)
            if form == "none":
                return None  # as in Flyte: whatever a task without outputs returned is dropped
            if isinstance(result, tuple) and len(result) == len(out_checks):
                try:
                    checked = tuple(check(value) for check, value in zip(out_checks, result))
                except TypeMismatch:
                    pass
                else:  # a one-field NamedTuple binds its field, as _packed does
                    return checked[0] if len(checked) == 1 else checked
            return bad_output(path, result)

        return run


# The attribute :func:`fan` sets on an exception: which node of the run raised it.
FAN_INDEX = "_flowgen_fan_index"


def fan(fn: Callable[..., Any], count: int, /, **kwargs: Any) -> list[Any]:
    """A fast body's fan-out: ``fn(**kwargs)`` ``count`` times, in order (no validation, no copies).

    The inputs are the same objects for every call, as the one-line-per-node form passes
    the same variables (the generator makes no run of nodes with a mutable literal input).
    When ``fn`` takes the inputs by position, the calls are one ``map`` over repeated
    arguments (a C loop: no slower than plain Python's own loop). An exception is re-raised
    marked with the index of the node that raised it, so that
    :func:`~flowgen.runtime.generated.failures.fast_failure` names that node.
    """
    if kwargs and _positional(fn, list(kwargs)):
        args = [itertools.repeat(value, count) for value in kwargs.values()]
        try:
            return list(map(fn, *args))
        except Exception as exc:
            _mark(exc, count - operator.length_hint(args[0]) - 1)
            raise
    out: list[Any] = []
    append = out.append
    try:
        for _ in itertools.repeat(None, count):
            append(fn(**kwargs))
    except Exception as exc:
        _mark(exc, len(out))
        raise
    return out


def _mark(exc: Exception, index: int) -> None:
    with contextlib.suppress(AttributeError):  # an exception type without a __dict__
        setattr(exc, FAN_INDEX, index)


class WorkflowNode:
    """Sub-workflow nodes of one shape: inputs validated, its body run with the node as prefix, outputs checked."""

    __slots__ = ("interface", "name", "site", "workflow")

    def __init__(self, interface: Interface, name: str, workflow: str, site: Site | None, *stale: Any) -> None:
        _predates("WorkflowNode", stale)
        self.interface = interface
        self.name = name
        self.workflow = workflow
        self.site = site

    @property
    def task(self) -> str:
        return self.name

    def __call__(self, prefix: str, node: str, body: Callable[..., dict[str, Any]], /, **kwargs: Any) -> Any:
        path = prefix + node
        facts = node_facts(self.workflow, path, self.name, self.site)
        inputs = prepare_inputs(self.interface, kwargs, what=f"workflow {self.name} (node {path})", **facts)
        outputs = body(path + ".", **inputs)
        return _packed(self.interface, check_outputs(self.interface, outputs, f"workflow {self.name}", facts))

    def fast(self, prefix: str, node: str, body: Callable[..., dict[str, Any]], /, **kwargs: Any) -> Any:
        """Validation off: defaults filled, the fast body called, nothing checked."""
        for param in self.interface.inputs:
            if param.name not in kwargs and param.has_default:
                kwargs[param.name] = from_json(param.default, param.type)
        return _packed(self.interface, body(prefix + node + ".", **kwargs))


# Which way a @dynamic's sub-DAG runs: "plan" when the generator emitted one and it applies
# (flowgen.runtime.generated.plans), else "records" (the interpreter's lean record path; the IR on
# the interpreter when the body uses what records do not model; see the package docstring).
DYNAMIC_STRATEGY = "plan"


class DynamicNode(_TaskHelper):
    """The runtime compile hook of ``@dynamic`` nodes (the interpreter's ``run_dynamic``).

    Called with a node's inputs, it validates them and runs the @dynamic's sub-DAG with node
    ids prefixed by the node's path, then checks its outputs. Two ways, decided before any
    node runs:

    * ``plan`` (a :class:`~flowgen.runtime.generated.plans.DynamicPlan`, when the generator
      could prove the body plannable): the body's generated plan records the task calls
      and the records run at once (``DYNAMIC_STRATEGY`` "plan"; see that module);
    * otherwise, or when the plan steps aside, the interpreter's own path: the body traced with
      the real values through the tracing front end's lean record path
      (:func:`flowgen.tracing.compiler.trace_dynamic_records`), plain task calls run straight
      from their records (:mod:`flowgen.runtime.recorded`), checked or -- validation off --
      without validate-and-copy; a body the records do not model runs its IR on the interpreter.
    """

    __slots__ = ("plan",)

    def __init__(self, spec: TaskSpec, fn: Callable[..., Any], workflow: str, site: Site | None,
                 *stale: Any, plan: Any = None) -> None:
        super().__init__(spec, fn, workflow, site, *stale)
        self.plan = plan

    def __call__(self, prefix: str, node: str, /, **kwargs: Any) -> Any:
        from flowgen.runtime.gc_policy import run_scope
        from flowgen.runtime.generated.switch import validating

        spec = self.spec
        path = prefix + node
        facts = node_facts(self.workflow, path, spec.name, self.site)
        inputs = prepare_inputs(spec.interface, kwargs, what=f"dynamic {spec.name} (node {path})", **facts)
        with run_scope():
            outputs = None if self.plan is None else self.plan.run(spec, path + ".", inputs, checked=validating())
            if outputs is None:  # no plan, or it stepped aside before any node ran
                outputs = self._interpreted(inputs, path + ".", validating())
        checked = check_outputs(spec.interface, outputs, f"dynamic {spec.name}", facts)
        return _packed(spec.interface, checked)

    def _interpreted(self, inputs: dict[str, Any], prefix: str, checked: bool) -> dict[str, Any]:
        """The interpreter's path: trace the body, run the records (or the IR)."""
        # The one place generated code calls a front end: a @dynamic decides its DAG at run time.
        from flowgen.ir.model import Program
        from flowgen.runtime.gc_policy import building_graph
        from flowgen.runtime.interpreter import Interpreter
        from flowgen.runtime.recorded import run_records
        from flowgen.tracing.compiler import trace_dynamic_records

        spec = self.spec
        with building_graph():
            traced = trace_dynamic_records(spec, self.fn, inputs)
        if isinstance(traced, Program):
            with building_graph():
                program = Program.model_construct(
                    ir_version=traced.ir_version, entry=traced.entry,
                    workflows=dict(traced.workflows), tasks={spec.name: spec, **traced.tasks},
                )
                interpreter = Interpreter(program)
                sub = program.workflows[program.entry]
                interpreter.plan(sub, program.tasks)
            return interpreter.run_graph(sub, program.tasks, {}, prefix)
        # the lean record path (flowgen.runtime.recorded); validation off skips its checks
        driver = Interpreter(Program.model_construct(ir_version=1, entry=spec.name, workflows={},
                                                     tasks={spec.name: spec}))
        return run_records(driver, traced, spec.name, prefix, checked=checked)


class MapNode(_TaskHelper):
    """``map_task`` nodes of one shape: the task once per item of the zipped mapped lists (``run_map``)."""

    __slots__ = ("mapped", "min_success_ratio")

    def __init__(self, spec: TaskSpec, fn: Callable[..., Any], workflow: str, site: Site | None,
                 mapped: tuple[str, ...], min_success_ratio: float, *stale: Any) -> None:
        super().__init__(spec, fn, workflow, site, *stale)
        self.mapped = mapped
        self.min_success_ratio = min_success_ratio

    def __call__(self, prefix: str, node: str, /, **kwargs: Any) -> Any:
        spec = self.spec
        path = prefix + node
        out_name = spec.interface.outputs[0].name if spec.interface.outputs else None
        workflow, site = self.workflow, self.site

        def run_item(item_kwargs: dict[str, Any], item_path: str) -> Any:
            out = execute_task(spec, self.fn, item_kwargs, what=f"task {spec.name} (node {item_path} of {workflow})",
                               facts=node_facts(workflow, item_path, spec.name, site)).outputs
            return out[out_name] if out_name else None

        facts = node_facts(workflow, path, spec.name, site)
        results = run_mapped(spec.name, path, kwargs, self.mapped, self.min_success_ratio, facts, run_item)
        return results if out_name else None


class ConditionalNode:
    """What a ``conditional`` needs beyond ``if``/``elif``/``else``: located comparison errors,
    the ``fail`` branch, and the check of its outputs (the interpreter's ``run_conditional``)."""

    __slots__ = ("fail_messages", "name", "node", "outputs", "site", "workflow")

    def __init__(self, name: str, node: str, workflow: str, site: Site | None, outputs: tuple[Output, ...]) -> None:
        self.name = name
        self.node = node
        self.workflow = workflow
        self.site = site
        self.outputs = outputs

    def describe(self, prefix: str) -> str:
        return f"conditional {self.name!r} (node {prefix}{self.node} of {self.workflow})"

    def compare(self, prefix: str, left: Any, op: str, right: Any) -> bool:
        return compare(left, op, right, lambda: self.describe(prefix))

    def take(self, prefix: str, value: Any, *steps: tuple[str, Any]) -> Any:
        return take_path(value, steps, lambda: self.describe(prefix))

    def fail(self, prefix: str, message: str) -> NoReturn:
        raise ConditionalFailure(
            f"{self.describe(prefix)} took its fail branch: {message}",
            location=self.site.location if self.site else None,
            workflow=self.workflow,
            node=prefix + self.node,
        )

    def checked(self, prefix: str, /, **results: Any) -> Any:
        facts = {"workflow": self.workflow, "node": prefix + self.node}
        checked = check_outputs(self, results, self.describe(prefix), facts)
        if len(self.outputs) == 1:
            return checked[self.outputs[0].name]
        return tuple(checked[o.name] for o in self.outputs)


def take(value: Any, what: str, *steps: tuple[str, Any]) -> Any:
    """``value.a[0]``, failing like the interpreter: ``("attr", "a"), ("index", 0)``."""
    return take_path(value, steps, lambda: what)
