"""create_node, flytekit's imperative Workflow, TaskMetadata and print(wf) (issue 12, items 4 and 7)."""

import typing
from types import ModuleType

import pytest

import flowgen
from flowgen import CompileError, DefinitionError, TaskMetadata, WiringError, Workflow, create_node, task, workflow
from tests.core.test_flyte_api_semantics import load_flyte_program

EXECUTORS = ["inprocess", "threads", "processes"]


@pytest.fixture(scope="module")
def program(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return load_flyte_program("imperative", str(tmp_path_factory.mktemp("programs")))


@pytest.mark.parametrize("executor", EXECUTORS)
def test_imperative_and_create_node_programs_on_every_executor(program: ModuleType, executor: str) -> None:
    for wf_name, inputs, expected in program.CASES:
        assert flowgen.run(getattr(program, wf_name), executor=executor, **inputs) == expected, wf_name


def test_an_imperative_workflow_is_a_workflow(program: ModuleType) -> None:
    wf = program.wf
    assert isinstance(wf, Workflow) and type(wf).__name__ == "ImperativeWorkflow"
    assert wf.ready()
    assert [p.name for p in wf.interface.inputs] == ["in1"]
    assert [o.name for o in wf.interface.outputs] == ["from_n0t1", "from_n2t3"]
    assert [n.id for n in wf.nodes] == ["n0", "n1", "n2"]
    assert program.sub(xs=[4, 1]) == 1  # one output: the value, as flytekit returns it


@task
def double(x: int) -> int:
    return 2 * x


@task
def add(a: int, b: int) -> int:
    return a + b


@workflow
def decorated(x: int) -> int:
    d = double(x=x)
    return add(a=d, b=x)


def test_imperative_compiles_to_the_same_ir_as_the_decorator() -> None:
    wf = Workflow(name="same.ir")
    x = wf.add_workflow_input("x", int)
    d = wf.add_entity(double, x=x)
    s = wf.add_entity(add, a=d.outputs["o0"], b=x)
    wf.add_workflow_output("o0", s.outputs["o0"])
    mine, theirs = wf.compile_program(), decorated.compile_program()
    strip = lambda nodes: [n.model_copy(update={"call_site": None}) for n in nodes]  # noqa: E731
    assert strip(mine.root.nodes) == strip(theirs.root.nodes)
    assert mine.root.outputs == theirs.root.outputs
    assert mine.root.interface == theirs.root.interface
    assert mine.tasks == theirs.tasks
    assert wf(x=3) == decorated(x=3) == 9


def test_definition_time_checks_name_the_line() -> None:
    wf = Workflow(name="checked")
    x = wf.add_workflow_input("x", str)
    with pytest.raises(WiringError, match="expects int") as info:
        wf.add_entity(double, x=x)  # a str Promise into an int input
    assert info.value.location is not None and info.value.location.file == __file__
    with pytest.raises(WiringError, match="has no input 'y'"):
        wf.add_entity(double, y=1)
    with pytest.raises(WiringError, match="missing input"):
        wf.add_entity(add, a=1)
    with pytest.raises(WiringError, match="already declared"):
        wf.add_workflow_input("x", int)
    with pytest.raises(CompileError, match="no nodes"):
        wf(x="a")
    wf.add_entity(double, x=2)
    with pytest.raises(WiringError, match=r"input\(s\) x are not used"):
        wf(x="a")
    with pytest.raises(WiringError, match="python_type"):
        wf.add_workflow_output("out", [x])


def test_create_node_outside_a_workflow_and_unknown_outputs() -> None:
    with pytest.raises(CompileError, match="inside a @workflow"):
        create_node(double, x=1)

    @workflow
    def wf(x: int) -> int:
        n = create_node(double, x=x)
        return n.nope  # type: ignore[no-any-return]

    with pytest.raises(WiringError, match="has no output 'nope'"):
        wf(x=1)


def test_task_metadata_is_read_as_flyte_reads_it(program: ModuleType) -> None:
    spec = program.with_metadata.spec()
    assert spec.retries == 2 and spec.timeout_seconds == 30 and spec.cache is not None and spec.cache.version == "1"
    with pytest.raises(DefinitionError, match="both directly and in metadata"):
        @task(retries=1, metadata=TaskMetadata(retries=2))
        def f(x: int) -> int:
            return x
    with pytest.raises(DefinitionError, match="must be a TaskMetadata"):
        @task(metadata={"retries": 2})
        def g(x: int) -> int:
            return x


def test_print_shows_name_inputs_and_outputs(program: ModuleType) -> None:
    text = str(program.wf)
    assert text.splitlines() == [
        "workflow my.imperative.workflow.example",
        "  inputs (1): in1: str",
        "  outputs (2): from_n0t1: str, from_n2t3: dict[str, int]",
    ]

    @workflow
    def defaults(a: int, b: typing.List[str] = ["x"]) -> None:
        pass

    assert str(defaults).splitlines()[1:] == ["  inputs (2): a: int, b: list[str] = ['x']", "  outputs (0): -"]
    assert str(double).startswith("task ") and "x: int" in str(double)
