"""Flyte's semantics where flowgen used to differ (issue 12, item 1), on every executor.

* no return annotation: no outputs; whatever a task or @dynamic body returns is dropped (flytekit's
  ``dispatch_execute`` does the same); a @workflow returning a value without declaring it is an error,
  as flytekit's local execution raises;
* a one-field NamedTuple output returned bare is wrapped;
* functional ``NamedTuple("Name", [...])``; dict keys other than str, also inside dataclasses.
"""

import importlib.util
import os
import sys
import typing
from types import ModuleType

import pytest

import flowgen
from flowgen import WiringError, dynamic, task, workflow

HERE = os.path.join(os.path.dirname(__file__), "flyte_programs")


def load_flyte_program(name: str, directory: str) -> ModuleType:
    """A program of flyte_programs/ with only the import changed, importable by worker processes."""
    source = open(os.path.join(HERE, name + ".py")).read().replace("from flytekit import", "from flowgen import")
    module_name = f"flyte_api_{name}"
    path = os.path.join(directory, module_name + ".py")
    with open(path, "w") as f:
        f.write(source)
    if directory not in sys.path:
        sys.path.insert(0, directory)
    spec = importlib.util.spec_from_file_location(module_name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def unannotated(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return load_flyte_program("unannotated", str(tmp_path_factory.mktemp("programs")))


@pytest.mark.parametrize("executor", ["inprocess", "threads", "processes"])
def test_unannotated_programs_on_every_executor(unannotated: ModuleType, executor: str) -> None:
    for wf_name, inputs, expected in unannotated.CASES:
        assert flowgen.run(getattr(unannotated, wf_name), executor=executor, **inputs) == expected, wf_name


@pytest.mark.slow
def test_unannotated_programs_on_dask(unannotated: ModuleType) -> None:
    from flowgen.runtime.executors.dask import DaskExecutor

    with DaskExecutor(1) as ex:
        for wf_name, inputs, expected in unannotated.CASES:
            assert flowgen.run(getattr(unannotated, wf_name), executor=ex, **inputs) == expected, wf_name


def test_a_task_without_return_annotation_has_no_outputs_and_drops_its_value(unannotated: ModuleType) -> None:
    assert unannotated.say_hello.interface.output_form == "none"
    assert unannotated.say_hello(name="x") is None  # the value it returned is dropped, as in Flyte
    assert unannotated.fan_out.interface.outputs == ()
    assert unannotated.fan_out(n=2) is None


def test_a_workflow_returning_a_value_it_does_not_declare_is_an_error() -> None:
    @task
    def one() -> int:
        return 1

    @workflow
    def wf():  # type: ignore[no-untyped-def]
        return one()

    # flytekit: "Interface output should've been VoidPromise or None." when run
    with pytest.raises(WiringError, match="declares no outputs"):
        wf()


def test_one_field_namedtuple_returned_bare_or_whole(unannotated: ModuleType) -> None:
    Total = unannotated.Total
    assert unannotated.total(xs=[1, 2]) == Total(total=3)
    assert type(unannotated.total(xs=[1, 2])) is Total

    @task
    def whole(x: int) -> Total:
        return Total(total=x)

    @task
    def one_tuple(x: int) -> Total:
        return (x,)  # type: ignore[return-value]

    assert whole(x=4) == Total(4) and one_tuple(x=4) == Total(4)

    @task
    def bad(x: int) -> Total:
        return "no"  # type: ignore[return-value]

    with pytest.raises(flowgen.OutputValidationError, match="expected int"):
        bad(x=1)


def test_dict_with_int_keys_round_trips_through_the_ir(unannotated: ModuleType) -> None:
    from flowgen.ir.codec import from_json, to_json

    spec = unannotated.invert.interface.inputs[0].type
    data = to_json({1: "a", 2: "b"}, spec)
    assert from_json(data, spec) == {1: "a", 2: "b"}

    @workflow
    def literal() -> typing.Dict[str, int]:
        return unannotated.invert(d={3: "c"})

    assert literal() == {"c": 3}
    with pytest.raises(flowgen.InputValidationError):
        unannotated.invert(d={"3": "c"})


def test_a_dynamic_without_outputs_still_runs_its_nodes() -> None:
    seen: list[int] = []

    @task
    def note(i: int) -> None:
        seen.append(i)

    @dynamic
    def many(n: int):  # type: ignore[no-untyped-def]
        for i in range(n):
            note(i=i)
        return "dropped"

    @workflow
    def wf(n: int) -> None:
        many(n=n)

    wf(n=3)
    assert sorted(seen) == [0, 1, 2]


MYPY_PROGRAM = '''
import typing

from flowgen import dynamic, task, workflow

Total = typing.NamedTuple("Total", [("total", int)])


@task
def add(a: int, b: int) -> int:
    return a + b


@task
def shout(x: int):
    print(x)


@workflow
def totals(a: int) -> Total:
    s = add(a=a, b=1)
    shout(x=s)
    return add(a=s, b=s)


@dynamic
def dyn(a: int) -> Total:
    return add(a=a, b=a)


@workflow
def side(a: int):
    shout(x=a)


@task
def keys(d: typing.Dict[int, str]) -> typing.Dict[str, int]:
    return {v: k for k, v in d.items()}


@workflow
def keyed(d: typing.Dict[int, str]) -> typing.Dict[str, int]:
    return keys(d=d)


reveal_type(shout(x=1))
reveal_type(side(a=1))
reveal_type(totals(a=1))
'''


def test_mypy_plugin_agrees(tmp_path) -> None:
    from tests.mypy.harness import DEFAULT_CONFIG, run_mypy

    path = tmp_path / "semantics_prog.py"
    path.write_text(MYPY_PROGRAM)
    _, output = run_mypy([path], tmp_path / "cache", config=DEFAULT_CONFIG)
    lines = [line.split(": ", 1)[1] for line in output.splitlines() if ": " in line]
    assert [line for line in lines if line.startswith("error")] == [], output
    assert 'note: Revealed type is "None"' in lines[0] and 'note: Revealed type is "None"' in lines[1], output
    assert "Total" in lines[2], output
