"""Failure handling as Flyte has it (issue 18, item 5): ``@workflow(on_failure=handler)``,
``WorkflowFailurePolicy.FAIL_AFTER_EXECUTABLE_NODES_COMPLETE`` and ``FlyteError``, on every
executor, in generated modules and in ``flowgen check``.

Tasks record what ran as files in a folder given as an input, so runs on worker processes show too.
"""

from __future__ import annotations

import json
import os
import typing
from pathlib import Path

import pytest

import flowgen
from flowgen.errors import DefinitionError, TaskError, WorkflowFailuresError
from flowgen.ir.annotations import type_spec
from flowgen.ir.failure_handlers import FLYTE_ERROR_TYPE
from flowgen.runtime import generated as fg
from flowgen.static.engine import check_paths
from flowgen.types.error import FlyteError

from ..codegen.workspace import write_and_build

SOURCE = '''
import json, os, typing
from flowgen import task, workflow, WorkflowFailurePolicy, FlyteError


def mark(d: str, name: str, text: str = "") -> None:
    with open(os.path.join(d, name), "w") as f:
        f.write(text)


@task
def create_cluster(d: str) -> None:
    mark(d, "created")


@task
def fail(d: str, what: str) -> None:
    raise ValueError(f"{what} failed")


@task
def step(d: str, n: int) -> int:
    mark(d, f"step{n}")
    return n + 1


@task
def clean_up(d: str, err: typing.Optional[FlyteError] = None) -> None:
    mark(d, "cleaned", json.dumps(None if err is None else [err.message, err.failed_node_id]))


@task
def broken_clean_up(d: str) -> None:
    raise RuntimeError("could not clean up")


@workflow(on_failure=clean_up)
def handled(d: str) -> None:
    c = create_cluster(d=d)
    f = fail(d=d, what="t1")
    c >> f


@workflow(on_failure=clean_up)
def fine(d: str) -> int:
    return step(d=d, n=1)


@workflow(on_failure=broken_clean_up)
def handler_breaks(d: str) -> None:
    fail(d=d, what="t1")


@workflow(on_failure=clean_up, failure_policy=WorkflowFailurePolicy.FAIL_AFTER_EXECUTABLE_NODES_COMPLETE)
def keep_going(d: str) -> int:
    a = step(d=d, n=1)
    f1 = fail(d=d, what="first")
    b = step(d=d, n=2)
    f2 = fail(d=d, what="second")
    after = step(d=d, n=3)
    f1 >> after
    return step(d=d, n=b)


@workflow(failure_policy=WorkflowFailurePolicy.FAIL_AFTER_EXECUTABLE_NODES_COMPLETE)
def keep_going_one(d: str) -> int:
    fail(d=d, what="only")
    return step(d=d, n=7)


@workflow(on_failure=clean_up)
def inner(d: str) -> None:
    fail(d=d, what="inner")


@workflow
def outer(d: str) -> None:
    inner(d=d)
'''

EXECUTORS = ["inprocess", "threads", "processes"]


@pytest.fixture(scope="module")
def modules() -> tuple[typing.Any, typing.Any]:
    return write_and_build(SOURCE, "failure_handling")


def _files(d: Path) -> set[str]:
    return {p.name for p in d.iterdir()}


def _cleaned(d: Path) -> typing.Any:
    return json.loads((d / "cleaned").read_text())


@pytest.mark.parametrize("executor", EXECUTORS)
def test_the_handler_runs_after_a_failure_with_the_inputs_and_the_error(modules, tmp_path, executor):
    user, _ = modules
    with pytest.raises(ValueError, match="t1 failed") as caught:  # the original error, as flytekit raises
        flowgen.run(user.handled, executor=executor, d=str(tmp_path))
    assert isinstance(caught.value, TaskError) and caught.value.node == "n1"
    assert caught.value.handler_error is None
    message, node = _cleaned(tmp_path)
    assert "t1 failed" in message and node == "n1"
    assert "created" in _files(tmp_path)


@pytest.mark.parametrize("executor", EXECUTORS)
def test_the_handler_does_not_run_when_nothing_fails(modules, tmp_path, executor):
    user, _ = modules
    assert flowgen.run(user.fine, executor=executor, d=str(tmp_path)) == 2
    assert _files(tmp_path) == {"step1"}


@pytest.mark.parametrize("executor", EXECUTORS)
def test_a_failing_handler_is_reported_beside_the_original_error(modules, tmp_path, executor):
    user, _ = modules
    with pytest.raises(ValueError) as caught:
        flowgen.run(user.handler_breaks, executor=executor, d=str(tmp_path))
    assert "t1 failed" in str(caught.value)
    assert "the failure handler failed too" in str(caught.value) and "could not clean up" in str(caught.value)
    assert isinstance(caught.value.handler_error, RuntimeError)


@pytest.mark.parametrize("executor", EXECUTORS)
def test_keep_going_runs_every_node_not_downstream_of_a_failure_and_lists_every_error(modules, tmp_path, executor):
    user, _ = modules
    with pytest.raises(WorkflowFailuresError) as caught:
        flowgen.run(user.keep_going, executor=executor, d=str(tmp_path))
    error = caught.value
    assert [e.node for e in error.errors] == ["n1", "n3"]  # node order, whatever finished first
    assert "first failed" in str(error) and "second failed" in str(error) and "2 nodes failed" in str(error)
    # independent nodes ran (n5 reads n2's output); n4 waits on the failed n1 with `>>`, so it never ran
    assert {"step1", "step2", "step3"} <= _files(tmp_path)
    assert "step3" in _files(tmp_path)
    message, node = _cleaned(tmp_path)
    assert node == "n1" and "first failed" in message and "second failed" in message


@pytest.mark.parametrize("executor", EXECUTORS)
def test_keep_going_with_one_failure_raises_that_failure(modules, tmp_path, executor):
    user, _ = modules
    with pytest.raises(ValueError, match="only failed") as caught:
        flowgen.run(user.keep_going_one, executor=executor, d=str(tmp_path))
    assert not isinstance(caught.value, WorkflowFailuresError)
    assert "step7" in _files(tmp_path)


@flowgen.task
def boom(x: int) -> int:
    raise KeyError("boom")


@flowgen.task
def touch(x: int, d: str) -> int:
    Path(d, f"touched{x}").write_text("")
    return x


def test_keep_going_skips_the_nodes_that_read_a_failed_node(tmp_path):
    @flowgen.workflow(failure_policy=flowgen.WorkflowFailurePolicy.FAIL_AFTER_EXECUTABLE_NODES_COMPLETE)
    def wf(d: str) -> int:
        b = boom(x=1)
        touch(x=b, d=d)  # reads the failed node: skipped
        return touch(x=2, d=d)

    with pytest.raises(KeyError):
        wf(d=str(tmp_path))
    assert _files(tmp_path) == {"touched2"}


@pytest.mark.parametrize("executor", EXECUTORS)
def test_a_sub_workflows_handler_runs_when_it_fails(modules, tmp_path, executor):
    user, _ = modules
    with pytest.raises(ValueError, match="inner failed"):
        flowgen.run(user.outer, executor=executor, d=str(tmp_path))
    message, node = _cleaned(tmp_path)
    assert node == "n0" and "inner failed" in message  # its id within the sub-workflow


def test_handler_and_policy_on_dask(modules, tmp_path):
    pytest.importorskip("distributed")
    user, _ = modules
    (tmp_path / "a").mkdir()
    with pytest.raises(ValueError, match="t1 failed"):
        flowgen.run(user.handled, executor="dask", d=str(tmp_path / "a"), max_parallelism=2)
    assert _cleaned(tmp_path / "a")[1] == "n1"
    (tmp_path / "b").mkdir()
    with pytest.raises(WorkflowFailuresError) as caught:
        flowgen.run(user.keep_going, executor="dask", d=str(tmp_path / "b"), max_parallelism=2)
    assert [e.node for e in caught.value.errors] == ["n1", "n3"]
    assert {"step1", "step2", "step3", "cleaned"} <= _files(tmp_path / "b")


@pytest.mark.parametrize("validate", [True, False])
def test_generated_modules_run_the_handler_and_keep_going(modules, tmp_path, validate):
    _, gen = modules
    (tmp_path / "a").mkdir()
    with pytest.raises(ValueError, match="t1 failed"):
        fg.run(gen.handled, validate=validate, d=str(tmp_path / "a"))
    assert _cleaned(tmp_path / "a")[1] == "n1"
    (tmp_path / "b").mkdir()
    with pytest.raises(WorkflowFailuresError) as caught:
        fg.run(gen.keep_going, validate=validate, d=str(tmp_path / "b"))
    assert [e.node for e in caught.value.errors] == ["n1", "n3"]
    (tmp_path / "c").mkdir()
    with pytest.raises(ValueError) as broke:
        fg.run(gen.handler_breaks, validate=validate, d=str(tmp_path / "c"))
    assert isinstance(broke.value.handler_error, RuntimeError)


def test_generated_ir_carries_the_handler_and_the_policy(modules):
    user, gen = modules
    traced = user.keep_going.compile_program().root
    embedded = gen.keep_going.__flowgen_generated__.ir().root
    assert traced.on_failure == embedded.on_failure and traced.on_failure is not None
    assert traced.on_failure.error_input == "err"
    assert traced.failure_policy == embedded.failure_policy == "fail_after_executable_nodes_complete"
    plain = user.outer.compile_program().root
    assert "on_failure" not in plain.model_dump_json() and "failure_policy" not in plain.model_dump_json()


def test_flyte_error_is_the_same_type_statically_and_at_run_time():
    assert type_spec(FlyteError) == FLYTE_ERROR_TYPE
    assert FlyteError(message="m", failed_node_id="n1").failed_node_id == "n1"
    assert flowgen.FlyteError is FlyteError


BAD = '''
from flowgen import task, workflow

@task
def t(a: int) -> int:
    return a

@task
def wrong_type(a: str) -> None: ...

@task
def missing(b: int) -> None: ...

@task
def bad_err(a: int, err: int = 0) -> None: ...

@workflow(on_failure=wrong_type)
def w1(a: int) -> int:
    return t(a=a)

@workflow(on_failure=missing)
def w2(a: int) -> int:
    return t(a=a)

@workflow(on_failure=bad_err)
def w3(a: int) -> int:
    return t(a=a)
'''


def test_check_and_the_tracer_refuse_the_same_handlers(tmp_path):
    path = tmp_path / "bad_handlers.py"
    path.write_text(BAD)
    found = [d for d in check_paths([str(path)]).diagnostics if d.code == "FG304"]
    assert [d.line for d in found] == [17, 21, 25]
    assert "input 'a' is str but the workflow's 'a' is int" in found[0].message
    assert "'b' is not an input of the workflow" in found[1].message
    assert "must be Optional[FlyteError]" in found[2].message
    from flowgen.cli.target import load_module

    module = load_module(str(path))
    for name, text in (("w1", "input 'a' is str"), ("w2", "'b' is not an input"), ("w3", "Optional[FlyteError]")):
        with pytest.raises(DefinitionError, match=text.replace("[", r"\[").replace("]", r"\]")) as caught:
            getattr(module, name).compile_program()
        assert caught.value.location is not None  # at the decorator, the line check reports
        assert caught.value.location.line == {"w1": 17, "w2": 21, "w3": 25}[name]


def test_a_bad_policy_is_refused_at_the_definition(tmp_path):
    with pytest.raises(DefinitionError, match="failure_policy must be a WorkflowFailurePolicy"):
        @flowgen.workflow(failure_policy="sometimes")
        def wf() -> None: ...


def test_the_report_draws_the_handler(modules, tmp_path):
    from flowgen.render.model import build_display_graph

    user, _ = modules
    graph = build_display_graph(user.handled.compile_program())
    assert "on_failure" in {n.id for n in graph.nodes}
    assert any(e.source == "input:d" and e.target == "on_failure" for e in graph.edges)


def test_the_cli_prints_both_failures(modules, tmp_path):
    from click.testing import CliRunner

    from flowgen.cli.main import cli

    user, _ = modules
    result = CliRunner().invoke(cli, ["run", f"{user.__file__}:handler_breaks", "--d", str(tmp_path)])
    assert result.exit_code == 1
    assert "t1 failed" in result.output and "the failure handler failed too" in result.output
    assert os.path.exists(user.__file__)


def test_an_imperative_workflow_keeps_going_too(tmp_path):
    wf = flowgen.Workflow(name="imperative_keep_going",
                          failure_policy=flowgen.WorkflowFailurePolicy.FAIL_AFTER_EXECUTABLE_NODES_COMPLETE)
    d = wf.add_workflow_input("d", str)
    wf.add_entity(boom, x=1)
    wf.add_entity(touch, x=2, d=d)
    with pytest.raises(KeyError):
        wf(d=str(tmp_path))
    assert _files(tmp_path) == {"touched2"}
