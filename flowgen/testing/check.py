"""``check_workflow(wf)``: a property test of a workflow in one call.

For inputs drawn by :func:`flowgen.testing.inputs`, each example runs the workflow

* in the interpreter, in-process (the reference run);
* through the module ``flowgen build`` makes for it (``generated=True``), built into a
  temporary directory from the static front end, which never imports user code;
* on every other executor named (``executors=("threads", "processes")``), one executor
  made for the whole check, not one per example.

and asserts, for every example:

====================================  ============================================================
property                              broken when
====================================  ============================================================
the runs agree                        outputs differ, or one run fails where another does not,
                                      or fails with another error type or at another node
outputs fit their declared types      an output does not validate against its type (with its
                                      ``Annotated`` constraints)
the workflow does not fail            any error: a task raising, a bad task output, a map below
                                      its success ratio; except the error types in
                                      ``allowed_errors`` (default: ``ConditionalFailure``, a
                                      branch the workflow declares as failing), which must then
                                      happen alike in every run
nothing reaches a flowgen internal    an exception that is not a ``FlowgenError`` escapes a run
error
====================================  ============================================================

A broken property raises :class:`WorkflowCheckFailure` (an ``AssertionError``) for the
*shrunk* example, naming the workflow, node, task, the inputs and the ``flowgen run``
command line that reproduces it. The task cache is off while checking (a cached result
would hide a run). The runs of one example share one execution (``current_context()``'s
execution name and date), so a workflow that reports its execution id still compares equal.
"""

from __future__ import annotations

import contextlib
import functools
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from flowgen.errors import ConditionalFailure, FlowgenError
from flowgen.testing.reproduce import format_inputs, reproducer

__all__ = ["CheckResult", "WorkflowCheckFailure", "check_workflow"]


class WorkflowCheckFailure(AssertionError):
    """A workflow broke a property of :func:`check_workflow`; the message says how and how to reproduce it."""

    def __init__(self, message: str, *, workflow: str, inputs: dict[str, Any], command: str,
                 node: str | None = None, task: str | None = None) -> None:
        super().__init__(message)
        self.workflow = workflow
        self.inputs = inputs
        self.command = command
        self.node = node
        self.task = task


@dataclass
class CheckResult:
    """What a passing check did: the workflow, examples run, the runs compared per example."""

    workflow: str
    examples: int = 0
    runs: list[str] = field(default_factory=list)
    front_end: str | None = None


@dataclass(frozen=True)
class _Outcome:
    outputs: dict[str, Any] | None = None
    error: BaseException | None = None

    def describe(self) -> str:
        if self.error is None:
            return f"returned {self.outputs!r}"
        where = getattr(self.error, "node", None)
        at = f" at node {where}" if where else ""
        return f"raised {type(self.error).__name__}{at}: {_first_line(self.error)}"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else ""


def _same(a: Any, b: Any) -> bool:
    """Equality of results, with NaN equal to itself (a task may compute one)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    try:
        return bool(a == b)
    except Exception:
        return a is b


def _agree(ref: _Outcome, other: _Outcome) -> bool:
    if ref.error is None or other.error is None:
        return ref.error is None and other.error is None and _same(ref.outputs, other.outputs)
    return type(ref.error) is type(other.error) and getattr(ref.error, "node", None) == getattr(other.error, "node", None)


@contextlib.contextmanager
def _no_cache() -> Iterator[None]:
    from flowgen.runtime.cache import cache_enabled, set_cache_enabled

    before = cache_enabled()
    set_cache_enabled(False)
    try:
        yield
    finally:
        set_cache_enabled(before)


@contextlib.contextmanager
def _one_execution() -> Iterator[None]:
    """The runs of one example are one execution on several back ends: they share its name and
    date (``current_context().execution_id``), as the runs inside one ``flowgen run`` do."""
    from flowgen.runtime.task_context import begin_run, end_run

    begin_run()
    try:
        yield
    finally:
        end_run()


def _outcome(run: Callable[[], dict[str, Any]]) -> _Outcome:
    try:
        return _Outcome(outputs=run())
    except Exception as exc:
        return _Outcome(error=exc)


def _invalid_output(interface: Any, outputs: dict[str, Any]) -> str | None:
    from flowgen.ir.values import TypeMismatch, checker

    for out in interface.outputs:
        if out.name not in outputs:
            return f"output {out.name!r} is missing"
        try:
            checker(out.type)(outputs[out.name])
        except TypeMismatch as exc:
            return f"output {out.name!r}: {exc.describe()}"
    return None


def _entity(wf: Any) -> Any:
    from flowgen.dsl.entities import Workflow
    from flowgen.dsl.launch_plan import LaunchPlan

    if isinstance(wf, LaunchPlan):
        return wf
    if isinstance(wf, Workflow):
        return wf
    raise TypeError(f"check_workflow checks a @workflow or a launch plan, not {wf!r}")


def check_workflow(
    wf: Any,
    *,
    max_examples: int = 100,
    executors: Sequence[str] = ("inprocess",),
    generated: bool | Any = True,
    seed: int | None = None,
    deadline: float | None = None,
    database: Any = "default",
    allowed_errors: tuple[type[BaseException], ...] = (ConditionalFailure,),
    inputs: Any = None,
    progress: Callable[[int], None] | None = None,
) -> CheckResult:
    """Property-test ``wf`` on ``max_examples`` generated inputs; raise :class:`WorkflowCheckFailure`.

    ``generated`` is True (build the module in a temporary directory), False (skip it), or a
    generated workflow function to compare against. ``deadline`` is hypothesis's per-example
    limit in milliseconds (None: no limit). ``database`` is a hypothesis example database
    (``"default"``: hypothesis's own setting; None: none). ``inputs`` replaces the input
    strategy (e.g. ``flowgen.testing.inputs(wf, n=st.integers(0, 9))``); by default inputs are
    drawn from the workflow's registered domain (:func:`flowgen.testing.domain`) and types, and
    the runs see the domain's secrets. ``progress`` is called with the number of examples run so far.
    """
    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as hypothesis_seed

    from flowgen.dsl.launch_plan import LaunchPlan
    from flowgen.runtime.api import run_outputs
    from flowgen.runtime.executors import make_executor
    from flowgen.testing.domains import registered_domain
    from flowgen.testing.secret_env import secrets
    from flowgen.testing.strategies import inputs as inputs_of

    entity = _entity(wf)
    workflow = entity.workflow if isinstance(entity, LaunchPlan) else entity
    name = workflow.name
    result = CheckResult(workflow=name, runs=["interpreter"])
    strategy = inputs if inputs is not None else inputs_of(entity)

    gen_fn = None
    if generated is True:
        from flowgen.testing.generated import build_generated

        build = build_generated(workflow)
        gen_fn, result.front_end = build.function, build.front_end
    elif generated is not False:
        gen_fn = generated
    if gen_fn is not None:
        result.runs.append("generated")

    def full_inputs(values: dict[str, Any]) -> dict[str, Any]:
        if isinstance(entity, LaunchPlan):
            return {**entity.default_inputs, **values, **entity.fixed_inputs}
        return values

    with contextlib.ExitStack() as stack:
        stack.enter_context(_no_cache())
        registered = registered_domain(entity)
        if registered is not None and registered.secrets is not None:
            stack.enter_context(secrets(registered.secrets))
        others: list[tuple[str, Any]] = []
        for ex_name in dict.fromkeys(executors):
            if ex_name == "inprocess":
                continue
            others.append((ex_name, stack.enter_context(make_executor(ex_name))))
            result.runs.append(ex_name)

        def one_example(values: dict[str, Any]) -> None:
            with _one_execution():
                compare_runs(values)

        def compare_runs(values: dict[str, Any]) -> None:
            given_values = full_inputs(values)
            runs: list[tuple[str, _Outcome]] = [
                ("interpreter", _outcome(lambda: run_outputs(workflow, dict(given_values))))]
            if gen_fn is not None:
                runs.append(("generated module", _outcome(lambda: run_outputs(gen_fn, dict(given_values)))))
            for ex_name, ex in others:
                runs.append((f"executor {ex_name}", _outcome(functools.partial(
                    run_outputs, workflow, dict(given_values), executor=ex))))
            result.examples += 1
            if progress is not None:
                progress(result.examples)
            _judge(workflow, values, given_values, runs, allowed_errors)

        settings_kwargs: dict[str, Any] = {
            "max_examples": max_examples, "deadline": deadline, "print_blob": False,
            "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                      HealthCheck.differing_executors],
        }
        if database != "default":
            settings_kwargs["database"] = database

        @settings(**settings_kwargs)
        @given(strategy)
        def property_test(values: dict[str, Any]) -> None:
            one_example(values)

        property_test._hypothesis_internal_database_key = f"flowgen.check_workflow:{name}".encode()  # type: ignore[attr-defined]
        if seed is not None:
            property_test = hypothesis_seed(seed)(property_test)
        property_test()
    return result


def _judge(workflow: Any, values: dict[str, Any], all_values: dict[str, Any], runs: list[tuple[str, _Outcome]],
           allowed: tuple[type[BaseException], ...]) -> None:
    ref_name, ref = runs[0]

    def fail(problem: str, error: BaseException | None = None) -> None:
        node = getattr(error, "node", None)
        task = getattr(error, "task", None)
        command = reproducer(workflow, all_values)
        lines = [f"workflow {workflow.name}: {problem}"]
        if node or task:
            lines.append(f"  at node {node or '?'}" + (f", task {task}" if task else ""))
        lines.append(f"  inputs: {format_inputs(values)}")
        for run_name, outcome in runs:
            lines.append(f"  {run_name}: {outcome.describe()}")
        lines.append(f"  reproduce: {command}")
        raise WorkflowCheckFailure("\n".join(lines), workflow=workflow.name, inputs=values, command=command,
                                   node=node, task=task)

    for run_name, outcome in runs:
        if outcome.error is not None and not isinstance(outcome.error, FlowgenError):
            fail(f"the {run_name} reached a flowgen internal error ({type(outcome.error).__name__})", outcome.error)
    for run_name, outcome in runs[1:]:
        if not _agree(ref, outcome):
            fail(f"the {run_name} disagrees with the {ref_name}", outcome.error or ref.error)
    if ref.error is not None:
        if not isinstance(ref.error, allowed):
            fail(f"failed with {type(ref.error).__name__}: {_first_line(ref.error)}", ref.error)
        return
    assert ref.outputs is not None
    bad = _invalid_output(workflow.interface, ref.outputs)
    if bad is not None:
        fail(f"returned a value that does not fit its declared type: {bad}")
