"""Regression tests from breaking the runtime side as a new user would: Promise misuse that used to
surface as a raw or misleading error, errors located at the wrong line, and `flowgen run` inputs
that were rejected or crashed. One test per bug."""

import json
from enum import Enum
from typing import Optional

import pytest
from click.testing import CliRunner

from flowgen import CompileError, PromiseError, WiringError, conditional, dynamic, task, workflow
from flowgen.cli.main import cli
from tests.core.markers import line_of


@task
def number() -> int:
    return 3


@task
def numbers() -> list[int]:
    return [1, 2, 3]


@task
def use(x: int) -> int:
    return x


def _compile_error(wf_fn, marker: str, error: type = PromiseError):
    with pytest.raises(error) as info:
        workflow(wf_fn).compile_program()
    err = info.value
    assert err.location is not None, str(err)
    assert err.location.file.endswith("test_qa_runtime.py"), str(err)
    assert err.location.line == line_of(wf_fn, marker), str(err)
    return err


# -- Promise misuse: each construct named, at the user's line ---------------------------------------


@pytest.mark.parametrize(
    ("statement", "words"),
    [
        ("xs[1:3]", ("slicing a Promise", "`xs[1:3]`", "`xs`")),
        ("xs.append(1)", ("`.append`", "method", "inside a task")),
        ("dict(xs)", ("converting a Promise to a dict",)),
        ("divmod(n, 2)", ("divmod()", "`n`")),
        ("xs[0] = 1", ("assigning an item of a Promise", "read-only")),
        ("del xs[0]", ("deleting an item",)),
        ("reversed(xs)", ("`reversed()`",)),
        ("print(xs)", ("`print(xs)`", "`xs`")),
        ("max(n, 3)", ("`max(n, 3)`", "comparison of Promises")),
        ("n in [1, 2]", ("`n in [1, 2]`", "==")),
        ("import math; math.floor(n)", ("math.floor()",)),
    ],
)
def test_misuse_names_the_construct_instead_of_a_raw_python_error(
    tmp_path, statement: str, words: tuple[str, ...]
) -> None:
    # Used to be: slices/methods/dict() -> "has no attribute"/"cannot index ... slice(1, 3, None)",
    # divmod/item assignment -> a CompileError wrapping TypeError, print -> "`str()`", max -> "bool()".
    source = tmp_path / "body.py"
    source.write_text(f"def wf() -> None:\n    xs = numbers()\n    n = number()\n    {statement}\n")
    namespace: dict = {"numbers": numbers, "number": number}
    exec(compile(source.read_text(), str(source), "exec"), namespace)
    with pytest.raises(PromiseError) as info:
        workflow(namespace["wf"]).compile_program()
    text = str(info.value)
    assert info.value.location is not None, text
    assert (info.value.location.file, info.value.location.line) == (str(source), 4), text
    for word in words:
        assert word in text, text


def test_assigning_an_attribute_of_a_promise_says_promises_are_read_only() -> None:
    def wf() -> None:
        n = number()
        n.value = 1  # MISUSE

    err = _compile_error(wf, "# MISUSE", CompileError)
    assert err.hint is not None and "read-only" in err.hint


def test_unpacking_a_single_output_says_so() -> None:
    def wf() -> int:
        a, b = number()  # MISUSE
        return use(x=a)

    err = _compile_error(wf, "# MISUSE")
    assert "unpacking a Promise into 2 names" in str(err) and "assign it to one name" in str(err)


def test_unpacking_into_the_wrong_number_of_names_gets_an_unpacking_hint() -> None:
    @task
    def pair() -> tuple[int, str]:
        return 1, "a"

    def wf() -> int:
        a, b, c = pair()  # MISUSE
        return use(x=a)

    err = _compile_error(wf, "# MISUSE", CompileError)
    assert err.hint is not None and "as many names as it has outputs" in err.hint


def test_unpacking_a_call_without_outputs_is_a_wiring_error() -> None:
    @task
    def nothing() -> None:
        pass

    def wf() -> None:
        a, b = nothing()  # MISUSE

    err = _compile_error(wf, "# MISUSE", WiringError)
    assert "declares no outputs" in str(err)


def test_hints_inside_a_dynamic_do_not_say_make_this_a_dynamic() -> None:
    @dynamic
    def body(k: int) -> int:
        n = number()
        return use(x=len(numbers()) + n)  # MISUSE

    @workflow
    def wf(k: int) -> int:
        return body(k=k)

    with pytest.raises(PromiseError) as info:
        wf(k=1)
    assert info.value.location is not None and info.value.location.line == line_of(body.fn, "# MISUSE")
    assert info.value.hint is not None
    assert "make this a @dynamic" not in info.value.hint and "nested @dynamic" in info.value.hint


def test_an_error_raised_inside_the_standard_library_is_located_at_the_users_line() -> None:
    def wf() -> None:
        json.dumps(numbers())  # RAISES

    err = _compile_error(wf, "# RAISES", CompileError)
    assert "not JSON serializable" in str(err)


def test_copy_of_a_promise_still_works() -> None:
    import copy

    def wf() -> int:
        n = number()
        return use(x=copy.copy(n))

    assert workflow(wf)() == 3


# -- return values: errors point at the return statement, not at the caller --------------------------


def test_a_bad_workflow_return_value_is_located_at_the_return_line() -> None:
    @task
    def text() -> str:
        return "a"

    def wf() -> int:
        s = text()
        return s  # RETURN

    err = _compile_error(wf, "# RETURN", WiringError)
    assert "expects int" in str(err)


def test_a_bad_dynamic_return_value_is_located_in_the_dynamic() -> None:
    @dynamic
    def body(n: int) -> list[int]:
        return [n, "x"]  # RETURN

    @workflow
    def wf(n: int) -> list[int]:
        return body(n=n)

    with pytest.raises(WiringError) as info:
        wf(n=1)
    assert info.value.location is not None
    assert info.value.location.line == line_of(body.fn, "# RETURN"), str(info.value)


@pytest.mark.parametrize("lean", [True, False], ids=["record-path", "ir-path"])
def test_with_several_returns_a_bad_dynamic_return_value_is_located_at_the_return_that_ran(lean: bool) -> None:
    @task
    def text(s: str) -> str:
        return s

    @dynamic
    def body(flag: bool) -> int:
        if flag:
            out = text(s="a")
            return out  # FIRST
        if lean:
            other = text(s="b")
            return other  # SECOND
        other = text("b")  # a positional argument: off the record path, onto the IR's builder
        return other  # THIRD

    @workflow
    def wf(flag: bool) -> int:
        return body(flag=flag)

    for flag, marker in ((True, "# FIRST"), (False, "# SECOND" if lean else "# THIRD")):
        with pytest.raises(WiringError) as info:
            wf(flag=flag)
        assert "expects int" in str(info.value)
        assert info.value.location is not None
        assert info.value.location.line == line_of(body.fn, marker), str(info.value)


def test_with_several_returns_a_bad_workflow_return_value_is_located_at_the_return_that_ran() -> None:
    @task
    def text() -> str:
        return "a"

    def wf() -> int:
        s = text()
        if True:
            return s  # RETURN
        return 1

    err = _compile_error(wf, "# RETURN", WiringError)
    assert "expects int" in str(err)


# -- conditions that can never hold are wiring errors at trace time ----------------------------------


def test_is_true_on_a_non_bool_is_a_wiring_error() -> None:
    # Used to compile and silently take the else branch (is_true is identity with True).
    def wf(x: int) -> int:
        return (conditional("c").if_(x.is_true()).then(use(x=x))  # CHECK
                .else_().then(use(x=0)))

    err = _compile_error(wf, "# CHECK", WiringError)
    assert "not bool" in str(err)


def test_comparing_across_unrelated_types_is_a_wiring_error() -> None:
    # Used to compile and fail at run time with an unlocated "cannot compare 2 > 'a'".
    def wf(x: int) -> int:
        return conditional("c").if_(x > "a").then(use(x=x)).else_().then(use(x=0))  # CHECK

    err = _compile_error(wf, "# CHECK", WiringError)
    assert "cannot compare a Promise of int with 'a'" in str(err)


def test_comparing_numbers_and_optionals_still_works() -> None:
    @task
    def maybe(x: int) -> Optional[int]:
        return x if x > 0 else None

    @workflow
    def wf(x: int, f: float) -> int:
        m = maybe(x=x)
        return (conditional("c").if_((x > 2.5) & (f < x) & (m == 3)).then(use(x=1))
                .elif_(m.is_none()).then(use(x=2)).else_().then(use(x=3)))

    assert wf(x=3, f=1.0) == 1
    assert wf(x=-1, f=1.0) == 2


def test_an_object_built_from_promises_gets_a_hint() -> None:
    from dataclasses import dataclass

    @dataclass
    class Point:
        x: int

    @task
    def px(p: Point) -> int:
        return p.x

    def wf(a: int) -> int:
        return px(p=Point(x=a))  # BUILD

    err = _compile_error(wf, "# BUILD", WiringError)
    assert err.hint is not None and "build it in a task" in err.hint


# -- flowgen run ------------------------------------------------------------------------------------

WORKFLOW_FILE = '''
import enum
from typing import Optional
from flowgen import task, workflow

class Color(enum.Enum):
    RED = "red"

@task
def show(o: Optional[int], c: Color) -> str:
    return f"{o} {c.name}"

@workflow
def wf(o: Optional[int], c: Color = Color.RED) -> str:
    return show(o=o, c=c)
'''


def _run(tmp_path, *args: str):
    return CliRunner().invoke(cli, ["run", *args], catch_exceptions=False)


@pytest.fixture
def wf_file(tmp_path, request):
    path = tmp_path / f"qa_cli_{request.node.name.replace('[', '_').replace(']', '_').replace('-', '_')}.py"
    path.write_text(WORKFLOW_FILE)
    return str(path)


def test_run_passes_null_to_a_required_optional_input(tmp_path, wf_file) -> None:
    # Used to drop the None and report "input 'o' (int | None) is missing".
    result = _run(tmp_path, f"{wf_file}:wf", "--o", "null")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "None RED"


def test_run_accepts_options_before_the_target(tmp_path, wf_file) -> None:
    # Used to be: Error: '--no-progress' is not a target.
    result = _run(tmp_path, "--no-progress", "--executor", "threads", f"{wf_file}:wf", "--o", "4")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "4 RED"


def test_run_reports_an_inputs_file_that_is_not_utf8(tmp_path, wf_file) -> None:
    # Used to be a UnicodeDecodeError traceback from inside flowgen.
    bad = tmp_path / "inputs.json"
    bad.write_bytes(b"\xff\xfe{}")
    result = _run(tmp_path, f"{wf_file}:wf", "--inputs", str(bad))
    assert result.exit_code == 2
    assert "not UTF-8" in result.output and "Traceback" not in result.output


def test_run_reports_a_syntax_error_in_the_target_file(tmp_path) -> None:
    # Used to be "internal error in flowgen: SyntaxError".
    path = tmp_path / "qa_broken_syntax.py"
    path.write_text("x = 1\ndef f(:\n    pass\n")
    result = _run(tmp_path, f"{path}:wf")
    assert result.exit_code == 2
    assert f"{path}:2:7: SyntaxError: invalid syntax" in result.output
    assert "internal error" not in result.output


def test_run_says_a_task_target_is_a_task(tmp_path, wf_file) -> None:
    result = _run(tmp_path, f"{wf_file}:show")
    assert result.exit_code == 2
    assert "'show' is a task, not a workflow" in result.output


class _Shade(Enum):
    DARK = 1


def test_a_class_mismatch_with_the_same_name_is_explained() -> None:
    from flowgen.ir.annotations import type_spec
    from flowgen.ir.values import TypeMismatch, checker

    class _Shade(Enum):  # another class object with the module-level one's name
        DARK = 1

    with pytest.raises(TypeMismatch) as info:
        checker(type_spec(globals()["_Shade"]))(_Shade.DARK)
    assert "another class object named _Shade" in str(info.value)
