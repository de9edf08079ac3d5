"""Run-time semantics: binding, value semantics, located errors, inputs rejected up front."""

from typing import NamedTuple

import multiple_outputs
import nested_dynamic
import pytest
import subworkflows

from flowgen import (
    DefinitionError,
    InputValidationError,
    OutputValidationError,
    TaskError,
    WiringError,
    dynamic,
    task,
    workflow,
)
from tests.core.markers import line_of

CALLS: list[str] = []


@task
def append_one(xs: list[int]) -> list[int]:
    xs.append(1)  # mutates its input
    return xs


@task
def length(xs: list[int]) -> int:
    return len(xs)


@task
def combine(a: int, b: int, c: int = 100) -> int:
    CALLS.append("combine")
    return a * 10 + b + c


@task
def boom(x: int) -> int:
    raise ZeroDivisionError("boom")


@task
def bad_output(x: int) -> int:
    return "not an int"  # type: ignore[return-value]


def test_value_semantics_a_mutating_task_does_not_change_what_others_see() -> None:
    @workflow
    def wf(xs: list[int]) -> tuple[list[int], int, int]:
        a = append_one(xs=xs)
        b = append_one(xs=xs)  # sees the workflow input, not a's mutation
        return a, length(xs=xs), length(xs=b)

    original = [0]
    assert wf(xs=original) == ([0, 1], 1, 2)
    assert original == [0]  # the caller's value is untouched too


def test_calls_by_keyword_position_and_defaults() -> None:
    @workflow
    def wf(x: int) -> tuple[int, int, int]:
        return combine(x, 2), combine(b=x, a=1), combine(1, b=2, c=x)

    assert wf(x=3) == (132, 113, 15)
    assert wf(3) == (132, 113, 15)


@pytest.mark.parametrize(
    ("call", "words"),
    [
        ("combine(a=x, b=x, d=1)", ("no input 'd'", "inputs: a, b, c")),
        ("combine(a=x)", ("missing input(s) 'b'",)),
        ("combine(x, a=x, b=x)", ("given twice",)),
        ("combine(x, x, x, x)", ("takes 3 input(s)",)),
        ("combine(a=x, b='text')", ("expected int", "'text'")),
    ],
)
def test_wiring_errors_at_compile_time(call: str, words: tuple[str, ...]) -> None:
    namespace = {"combine": combine}
    exec(compile(f"def wf(x: int) -> int:\n    return {call}\n", "<wf>", "exec"), namespace)
    with pytest.raises(WiringError) as info:
        workflow(namespace["wf"]).compile_program()
    for w in words:
        assert w in str(info.value)
    assert info.value.location is not None and info.value.location.line == 2


def test_type_mismatch_names_both_types_the_task_and_the_input() -> None:
    @task
    def text() -> str:
        return "x"

    def wf() -> int:
        return combine(a=text(), b=1)  # HERE

    with pytest.raises(WiringError) as info:
        workflow(wf).compile_program()
    err = info.value
    assert "expects int" in str(err) and "is str" in str(err) and "'a'" in str(err)
    assert err.input == "a" and err.task is not None and err.task.endswith("combine")
    assert err.location is not None and err.location.line == line_of(wf, "# HERE")


def test_a_failing_task_names_workflow_node_task_and_call_site() -> None:
    def wf(x: int) -> int:
        y = combine(a=x, b=x)
        return boom(x=y)  # FAILS

    compiled = workflow(wf)
    with pytest.raises(TaskError) as info:
        compiled(x=1)
    err = info.value
    assert isinstance(err.__cause__, ZeroDivisionError)
    assert err.node == "n1" and err.task is not None and err.task.endswith(".boom")
    assert err.workflow == compiled.name
    assert err.location is not None and err.location.line == line_of(wf, "# FAILS")
    for fact in ("n1", "boom", "ZeroDivisionError", str(line_of(wf, "# FAILS"))):
        assert fact in str(err)


def test_failures_inside_dynamics_carry_the_nested_node_path() -> None:
    @dynamic
    def dyn(n: int) -> int:
        last = combine(a=n, b=n)
        for _ in range(n):
            last = boom(x=last)
        return last

    @workflow
    def wf(n: int) -> int:
        return dyn(n=n)

    with pytest.raises(TaskError) as info:
        wf(n=2)
    assert info.value.node == "n0.n1"


def test_bad_workflow_inputs_are_rejected_before_any_task_runs() -> None:
    @workflow
    def wf(a: int, b: list[int]) -> int:
        return combine(a=a, b=length(xs=b))

    CALLS.clear()
    with pytest.raises(InputValidationError) as info:
        wf(a="3", b=[1, "x"])
    text = str(info.value)
    assert "input 'a': expected int, got str '3'" in text
    assert "input 'b': expected int at [1], got str 'x'" in text
    assert CALLS == []
    with pytest.raises(InputValidationError, match=r"'b' .* is missing"):
        wf(a=1)
    with pytest.raises(InputValidationError, match="unknown input 'c'"):
        wf(a=1, b=[], c=2)


def test_bad_task_output_is_an_output_validation_error() -> None:
    @workflow
    def wf(x: int) -> int:
        return bad_output(x=x)

    with pytest.raises(OutputValidationError, match="expected int, got str 'not an int'") as info:
        wf(x=1)
    assert info.value.node == "n0"


def test_task_called_outside_a_workflow_validates() -> None:
    assert combine(a=1, b=2) == 112
    with pytest.raises(InputValidationError):
        combine(a=1.5, b=2)
    with pytest.raises(OutputValidationError):
        bad_output(x=1)
    with pytest.raises(TaskError):
        boom(x=1)


def test_untyped_inputs_are_opaque_and_no_return_annotation_means_no_outputs() -> None:
    # As in Flyte: an untyped parameter takes any value; no return annotation declares no outputs.
    echo = task(lambda x: None)
    assert echo.interface.inputs[0].type.kind == "opaque"
    assert echo(x={"any": object}) is None

    @task
    def f(x: int):  # type: ignore[no-untyped-def]
        print(x)

    assert f.interface.outputs == ()
    assert f(x=1) is None
    with pytest.raises(DefinitionError, match="unsupported type"):
        @task
        def g(x: set[int]) -> int:
            return 1


def test_namedtuple_and_tuple_returns() -> None:
    out = multiple_outputs.fit_and_predict(xs=[0.0, 1.0, 2.0], ys=[1.0, 3.0, 5.0], x=10.0)
    assert type(out) is multiple_outputs.Fit and out == (2.0, 21.0)
    assert repr(out).startswith("Fit(")
    assert multiple_outputs.words(text="a bc", values=[5, 2]) == ("a", 2, 5)


class Stats(NamedTuple):
    lo: int
    hi: int


def test_wrong_number_of_returned_outputs() -> None:
    def wf(x: int) -> Stats:
        return combine(a=x, b=x)  # type: ignore[return-value]

    with pytest.raises(WiringError, match="declares 2 outputs but returns 1"):
        workflow(wf).compile_program()


def test_subworkflows_no_output_tasks_and_ordering() -> None:
    subworkflows.LOG.clear()
    assert subworkflows.pipeline(x=5) == 40
    assert subworkflows.LOG == ["start", "done"]


def test_nested_dynamics() -> None:
    assert nested_dynamic.nested(n=4) == 23
    assert nested_dynamic.nested() == 23  # default input
    assert nested_dynamic.nested(n=0) == 1


def test_workflow_return_type_is_checked() -> None:
    def wf(xs: list[int]) -> int:
        return xs  # type: ignore[return-value]

    with pytest.raises(WiringError, match=r"return value .* expects int, but workflow input 'xs' is list"):
        workflow(wf).compile_program()


def test_compile_errors_from_user_code_are_located() -> None:
    from flowgen import CompileError

    def wf(x: int) -> int:
        {}["missing"]  # RAISES
        return x

    with pytest.raises(CompileError) as info:
        workflow(wf).compile_program()
    assert isinstance(info.value.__cause__, KeyError)
    assert info.value.location is not None and info.value.location.line == line_of(wf, "# RAISES")
