"""Generated plans of @dynamic bodies (flowgen/codegen/dynamic_plan.py, flowgen/runtime/generated/plans.py).

Every case runs four ways -- the interpreter, the generated module with its plan, and the same
module with the plan disabled (the interpreter's record path, as before plans), validation on
and off -- and compares results and errors: type, message, node, task and file:line:col. Each
case also says whether the plan must run or step aside (and nothing may have run when a
body fails while it is traced).
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from flowgen.errors import FlowgenError
from flowgen.runtime import generated as runtime

from .workspace import write_and_build

SOURCE = '''
import typing

from annotated_types import Ge

from flowgen import current_context, dynamic, task, workflow

RAN: typing.List[str] = []


@task
def inc(x: int) -> int:
    RAN.append("inc")
    return x + 1


@task
def grow(xs: typing.List[int], x: int) -> typing.List[int]:
    xs.append(x)
    return xs


@task
def total(xs: typing.List[int]) -> int:
    return sum(xs)


@task
def fragile(x: int) -> int:
    if x == 7:
        raise ValueError("seven")
    return x


@task
def sloppy(x: int) -> int:
    return "three" if x == 3 else x  # type: ignore[return-value]


@task
def join(a: str, b: str) -> str:
    return a + b


@task(cache=True, cache_version="1")
def cached(x: int) -> int:
    return x * 10


@task(retries=2)
def retried(x: int) -> int:
    return x - 1


@task
def three(a: int, b: int, c: int) -> int:
    return a * 100 + b * 10 + c


@task
def keyed(*, a: int, b: int) -> int:
    return a - b


@task
def noop(x: int) -> None:
    RAN.append("noop")


@dynamic
def shapes(n: int) -> int:
    noop(x=n)
    v = three(n, 2, c=keyed(a=n, b=1))
    return three(a=v, b=keyed(a=v, b=n), c=0)


@task
def bounded(k: typing.Annotated[int, Ge(0)]) -> int:
    return k


@dynamic
def constrained(n: int) -> int:
    return bounded(k=n - 1)  # an int constant, checked against Ge(0) when the node runs


@task
def contextual(x: int) -> int:
    return x + len(current_context().execution_id.name) * 0


@dynamic
def in_context(n: int) -> int:
    return contextual(x=inc(x=n))


@task
def half(x: float, y: float) -> float:
    return x / 2 + y


@dynamic
def convert(n: int) -> float:
    v = inc(x=n)
    return half(x=half(v, y=inc(x=v)), y=v)  # int results into float inputs: converted when run


@dynamic
def chain(n: int) -> int:
    xs = [0]
    for i in range(n):
        xs = grow(xs=xs, x=fragile(x=inc(x=i)))
    return total(xs=xs)


@dynamic
def outputs(n: int) -> int:
    v = 0
    for i in range(n):
        v = sloppy(x=inc(x=v))
    return v


@dynamic
def literal(n: int) -> int:
    v = inc(x=n)
    if n > 2:
        v = inc(x="a")
    return v


@dynamic
def raising(n: int) -> int:
    v = inc(x=n)
    w = inc(x=v)
    d = n // (n - n)
    return inc(x=d) if n else w


@dynamic
def as_value(n: int) -> int:
    v = inc(x=n)
    if v:
        return v
    return inc(x=0)


@dynamic
def outside(n: int) -> int:
    xs = []
    for i in range(n):
        xs.append(inc(x=i))
    return total(xs=xs)


@dynamic
def policies(n: int) -> int:
    return retried(x=cached(x=inc(x=n)))


@dynamic
def snapshot(n: int) -> int:
    xs = [n, 1]
    a = total(xs=xs)
    xs += [100]
    return total(xs=grow(xs, a))


@dynamic
def mixed(n: int) -> str:
    s = join("a", b=str(n))
    for k in range(n % 3):
        s = join(a=s, b=f"-{k}")
    return s


@dynamic
def reordered(n: int) -> str:
    return join(b=join(a="p", b=str(n)), a=join(a="x", b="y"))


@dynamic
def constant(n: int) -> int:
    inc(x=n)
    return n


@workflow
def wf_chain(n: int) -> int:
    return chain(n=n)


@workflow
def wf_outputs(n: int) -> int:
    return outputs(n=n)


@workflow
def wf_literal(n: int) -> int:
    return literal(n=n)


@workflow
def wf_raising(n: int) -> int:
    return raising(n=n)


@workflow
def wf_as_value(n: int) -> int:
    return as_value(n=n)


@workflow
def wf_outside(n: int) -> int:
    return outside(n=n)


@workflow
def wf_policies(n: int) -> int:
    return policies(n=n)


@workflow
def wf_snapshot(n: int) -> int:
    return snapshot(n=n)


@workflow
def wf_mixed(n: int) -> str:
    return mixed(n=n)


@workflow
def wf_reordered(n: int) -> str:
    return reordered(n=n)


@workflow
def wf_shapes(n: int) -> int:
    return shapes(n=n)


@workflow
def wf_constrained(n: int) -> int:
    return constrained(n=n)


@workflow
def wf_in_context(n: int) -> int:
    return in_context(n=n)


@workflow
def wf_convert(n: int) -> float:
    return convert(n=n)


@workflow
def wf_constant(n: int) -> int:
    return constant(n=n)
'''


def _outcome(user: Any, fn: Any, n: int) -> Any:
    user.RAN.clear()
    try:
        return ("ok", fn(n=n))
    except FlowgenError as exc:
        location = exc.location
        where = (os.path.basename(location.file), location.line, location.column) if location else None
        return ("error", type(exc).__name__, str(exc), exc.node, exc.task, where, len(user.RAN))


@pytest.fixture(scope="module")
def modules() -> tuple[Any, Any]:
    user, generated = write_and_build(SOURCE, "dynplan")
    user.RAN.clear()
    generated.wf_chain(n=2)
    assert user.RAN == ["inc", "inc"]  # the generated module runs the user module's tasks: RAN is shared
    return user, generated


def _runs(user: Any, generated: Any, workflow: str, n: int, plan: Any) -> tuple[Any, Any, Any, Any, Any]:
    interpreted = _outcome(user, getattr(user, workflow), n)
    checked = _outcome(user, getattr(generated, workflow), n)
    with runtime.validation(False):
        fast = _outcome(user, getattr(generated, workflow), n)
    if plan is not None:
        plan.enabled = False
    try:
        checked_records = _outcome(user, getattr(generated, workflow), n)
        with runtime.validation(False):
            fast_records = _outcome(user, getattr(generated, workflow), n)
    finally:
        if plan is not None:
            plan.enabled = True
    return interpreted, checked, fast, checked_records, fast_records


def _line(text: str) -> int:
    return SOURCE.splitlines().index(text) + 1


# (workflow, n, the plan runs (True) or steps aside (False))
CASES = [
    ("wf_chain", 0, True), ("wf_chain", 5, True), ("wf_chain", 9, True),
    ("wf_outputs", 2, True), ("wf_outputs", 5, True),
    ("wf_literal", 1, True), ("wf_literal", 4, False),
    ("wf_raising", 3, False),
    ("wf_as_value", 1, False),
    ("wf_policies", 2, False),
    ("wf_in_context", 2, False),  # a task reading its context: the interpreter's path
    ("wf_snapshot", 4, True),
    ("wf_mixed", 0, True), ("wf_mixed", 5, True),
    ("wf_constant", 2, False),
    ("wf_shapes", 3, True),  # three inputs, keyword-only inputs, a task without outputs
    ("wf_convert", 3, True),
    ("wf_constrained", 3, True), ("wf_constrained", 0, True),  # 0: the input check fails when the node runs
]


@pytest.mark.parametrize(("workflow", "n", "planned"), CASES)
def test_a_plan_gives_the_interpreters_results_and_errors(modules: tuple[Any, Any], workflow: str, n: int,
                                                          planned: bool) -> None:
    user, generated = modules
    plan = getattr(generated, "_P_" + workflow.removeprefix("wf_"))
    runs, fallbacks = plan.runs, plan.fallbacks
    interpreted, checked, fast, checked_records, fast_records = _runs(user, generated, workflow, n, plan)
    assert checked == interpreted == checked_records
    assert fast == fast_records
    if planned:
        assert (plan.runs, plan.fallbacks) == (runs + 2, fallbacks), plan.last_fallback
    else:
        assert (plan.runs, plan.fallbacks) == (runs, fallbacks + 2)


def test_a_constant_failing_its_constraint_is_the_interpreters_input_error(modules: tuple[Any, Any]) -> None:
    user, generated = modules
    interpreted, checked, _, _, _ = _runs(user, generated, "wf_constrained", 0, generated._P_constrained)
    assert checked == interpreted
    assert checked[1] == "InputValidationError" and checked[3] == "n0.n0"


def test_a_failing_task_is_named_as_the_interpreter_names_it(modules: tuple[Any, Any]) -> None:
    user, generated = modules
    interpreted, checked, fast, _, _ = _runs(user, generated, "wf_chain", 9, generated._P_chain)
    line = _line("        xs = grow(xs=xs, x=fragile(x=inc(x=i)))")
    column = "        xs = grow(xs=xs, x=fragile(x=inc(x=i)))".index("fragile")
    assert checked == interpreted
    # fragile(x=7): the 7th step, 3 nodes per step -> n0.n19
    assert checked[:2] == ("error", "TaskError") and checked[3:6] == ("n0.n19", f"{user.__name__}.fragile",
                                                                      (os.path.basename(user.__file__), line, column))
    assert "seven" in checked[2]
    assert fast[:2] == ("error", "TaskError") and fast[3:6] == checked[3:6]


def test_an_output_failing_validation_is_the_interpreters_error(modules: tuple[Any, Any]) -> None:
    user, generated = modules
    interpreted, checked, fast, _, _ = _runs(user, generated, "wf_outputs", 5, generated._P_outputs)
    assert checked == interpreted
    assert checked[1] == "OutputValidationError" and checked[3] == "n0.n5"  # sloppy(x=3): the third step
    assert checked[5][1] == _line("        v = sloppy(x=inc(x=v))")
    assert fast[0] == "error"  # validation off: the str reaches inc, whose body fails


@pytest.mark.parametrize("workflow", ["wf_literal", "wf_raising"])
def test_a_body_failing_while_traced_runs_nothing(modules: tuple[Any, Any], workflow: str) -> None:
    user, generated = modules
    interpreted, checked, fast, _, _ = _runs(user, generated, workflow, 4 if workflow == "wf_literal" else 3,
                                             getattr(generated, "_P_" + workflow[3:]))
    assert checked == interpreted == fast
    assert checked[0] == "error" and checked[-1] == 0  # no task ran
    expected = "a str as input 0" if workflow == "wf_literal" else "ZeroDivisionError"
    assert expected in (getattr(generated, "_P_" + workflow[3:]).last_fallback or "")


def test_a_body_outside_the_subset_has_no_plan_and_the_same_results(modules: tuple[Any, Any]) -> None:
    user, generated = modules
    assert not hasattr(generated, "_P_outside")
    # keyword arguments whose task calls would be recorded out of source order: no plan either
    assert not hasattr(generated, "_P_reordered")
    assert _outcome(user, generated.wf_reordered, 4) == _outcome(user, user.wf_reordered, 4) == ("ok", "xyp4")
    interpreted = _outcome(user, user.wf_outside, 4)
    assert interpreted == _outcome(user, generated.wf_outside, 4) == ("ok", 10)


def test_cached_and_retried_tasks_step_aside_before_anything_runs(modules: tuple[Any, Any], tmp_path: Any,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    user, generated = modules
    monkeypatch.setenv("FLOWGEN_CACHE_DIR", str(tmp_path))
    assert generated.wf_policies(n=2) == user.wf_policies(n=2) == 29
    assert "cache, retries or a timeout" in (generated._P_policies.last_fallback or "")
    assert generated.wf_in_context(n=2) == user.wf_in_context(n=2) == 3
    assert "task context" in (generated._P_in_context.last_fallback or "")


def test_a_list_constant_is_kept_as_it_was_at_the_call(modules: tuple[Any, Any]) -> None:
    user, generated = modules
    assert _outcome(user, generated.wf_snapshot, 4) == _outcome(user, user.wf_snapshot, 4) == ("ok", 110)


def test_a_task_rebound_in_the_users_module_sends_the_run_to_the_interpreter(modules: tuple[Any, Any],
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    user, generated = modules
    plan = generated._P_mixed
    monkeypatch.setattr(user, "join", user.join)  # the same object: still planned
    fallbacks = plan.fallbacks
    assert generated.wf_mixed(n=2) == "a2-0-1"
    assert plan.fallbacks == fallbacks
    monkeypatch.setattr(user, "str", lambda v: "S", raising=False)  # shadows a builtin the body calls
    assert generated.wf_mixed(n=2) == user.wf_mixed(n=2) == "aS-0-1"
    assert plan.fallbacks == fallbacks + 1 and "str" in (plan.last_fallback or "")


def test_an_input_of_a_subclass_of_a_builtin_steps_aside(modules: tuple[Any, Any]) -> None:
    """A str or int subclass may run user code in its methods while the body computes: no plan."""
    user, generated = modules

    class Loud(int):
        pass

    plan = generated._P_chain
    fallbacks = plan.fallbacks
    assert generated.wf_chain(n=Loud(3)) == user.wf_chain(n=Loud(3)) == 6
    assert plan.fallbacks == fallbacks + 1 and "subclass" in (plan.last_fallback or "")


_HEADER = '''
from flowgen import dynamic, task

N = 3


@task
def t(a: int, b: int = 1) -> int:
    return a + b


@task
def u(xs: list[int]) -> int:
    return len(xs)


'''


@pytest.mark.parametrize(("body", "reason"), [
    ("    return t(a=n, b=2)", None),
    ("    v = t(n, 2)\n    for i in range(n):\n        v = t(a=v, b=i)\n    return v", None),
    ("    xs = [n] * 3\n    xs += [1]\n    return u(xs=xs)", None),
    ("    return t(a=n)", "left to its default"),
    ("    return t(a=N, b=n)", "reads N"),
    ("    print(n)\n    return t(a=n, b=1)", "a call of 'print'"),
    ("    xs = [t(a=i, b=1) for i in range(n)]\n    return u(xs=xs)", "ListComp"),
    ("    xs = []\n    xs.append(n)\n    return u(xs=xs)", "a call of a Attribute"),
    ("    len = 3\n    return t(a=len(), b=n)", "shadow"),
    ("    v = t\n    return v(a=n, b=1)", "a call of 'v'"),
    ("    import os\n    return t(a=n, b=1)", "Import"),
    ("    try:\n        v = t(a=n, b=1)\n    except ValueError:\n        v = 0\n    return v", "Try"),
    ("    return t(b=t(a=1, b=2), a=t(a=n, b=1))", "out of parameter order"),
    ("    return t(a=t(a=1, b=2), b=t(a=n, b=1))", None),
])
def test_what_the_generator_proves_plannable(body: str, reason: str | None) -> None:
    import ast

    from flowgen.codegen.dynamic_plan import NotPlannable, plan_dynamic
    from flowgen.ir.model import Interface, Output, Param
    from flowgen.ir.types import primitive

    source = _HEADER + "@dynamic\ndef d(n: int) -> int:\n" + body + "\n"
    interface = Interface(inputs=(Param(name="n", type=primitive("int")),),
                          outputs=(Output(name="o0", type=primitive("int")),), output_form="single")
    if reason is None:
        code = plan_dynamic(ast.parse(source), "d", interface)
        assert code.sites and all(site.task in ("t", "u") for site in code.sites)
    else:
        with pytest.raises(NotPlannable, match=reason):
            plan_dynamic(ast.parse(source), "d", interface)


def test_a_list_input_forbids_in_place_updates() -> None:
    import ast

    from flowgen.codegen.dynamic_plan import NotPlannable, plan_dynamic
    from flowgen.ir.model import Interface, Output, Param
    from flowgen.ir.types import ListType, primitive

    source = _HEADER + "@dynamic\ndef d(xs: list[int]) -> int:\n    ys = xs\n    ys += [1]\n    return u(xs=ys)\n"
    interface = Interface(inputs=(Param(name="xs", type=ListType(item=primitive("int"))),),
                          outputs=(Output(name="o0", type=primitive("int")),), output_form="single")
    with pytest.raises(NotPlannable, match="in-place update"):
        plan_dynamic(ast.parse(source), "d", interface)
