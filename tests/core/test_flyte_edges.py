"""Flyte's semantics at the edges (issue 18): the built-in exceptions flytekit users catch, map_task's
default ratio, conditionals whose branches differ, launch plan names."""

from __future__ import annotations

import pickle
import typing

import pytest

import flowgen
from flowgen import LaunchPlan, conditional, map_task, task, workflow
from flowgen.errors import (
    CompileError,
    ConditionalFailure,
    DefinitionError,
    InputValidationError,
    MapTaskError,
    OutputValidationError,
    PromiseError,
    TaskError,
    TaskTimeoutError,
    WiringError,
)


@task
def double(x: int) -> int:
    return 2 * x


@task
def picky(x: int) -> int:
    if x == 3:
        raise ValueError("three is not allowed")
    if x == 4:
        raise KeyError("four")
    return x


@task
def log(x: int):  # no outputs, as in Flyte
    print("log", x)


@task
def pair(x: int) -> typing.Tuple[int, str]:
    return x, str(x)


@workflow
def failing(x: int) -> int:
    return conditional("c").if_(x > 1).then(double(x=x)).else_().fail("x is too small")


@workflow
def mapped(xs: typing.List[int]) -> typing.List[int]:
    return map_task(picky)(x=xs)


@workflow
def one_task(x: int) -> int:
    return picky(x=x)


@workflow
def unused_branch_result(x: int) -> None:
    conditional("side").if_(x > 1).then(double(x=x)).else_().then(log(x=x))


@workflow
def fewer_outputs(x: int) -> int:
    return conditional("c").if_(x > 1).then(pair(x=x)).else_().then(double(x=x))


@pytest.mark.parametrize(("error", "builtins"), [
    (CompileError, (AssertionError,)),
    (DefinitionError, (TypeError, ValueError, AssertionError)),
    (PromiseError, (TypeError, ValueError)),
    (WiringError, (TypeError, ValueError)),
    (InputValidationError, (TypeError, ValueError, AssertionError)),
    (OutputValidationError, (TypeError, ValueError, AssertionError)),
    (TaskTimeoutError, (TimeoutError,)),
    (MapTaskError, (RuntimeError,)),
    (ConditionalFailure, (ValueError,)),
])
def test_each_error_is_also_the_builtin_flytekit_raises(error: type, builtins: tuple[type, ...]) -> None:
    assert all(issubclass(error, b) for b in builtins)
    err = error("the message", workflow="wf")
    assert str(err) == "the message"
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is error and again.workflow == "wf"


def test_a_failed_conditional_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="x is too small"):
        failing(x=0)
    assert failing(x=2) == 4


def test_a_failing_task_is_its_own_exception_too() -> None:
    with pytest.raises(ValueError, match="three is not allowed") as info:
        one_task(x=3)
    assert isinstance(info.value, TaskError) and info.value.raised is ValueError
    with pytest.raises(KeyError) as key_info:
        one_task(x=4)
    assert str(key_info.value).endswith("KeyError: 'four'")  # flowgen's message, not KeyError's quoting
    again = pickle.loads(pickle.dumps(info.value))
    assert isinstance(again, ValueError) and isinstance(again, TaskError)


@pytest.mark.parametrize("executor", ["inprocess", "threads", "processes"])
def test_a_failing_map_task_item_is_its_own_exception(executor: str) -> None:
    with pytest.raises(ValueError, match="three is not allowed"):
        flowgen.run(mapped, executor=executor, xs=[1, 2, 3])


def test_len_of_a_promise_is_a_type_error_and_if_none_an_assertion_error() -> None:
    with pytest.raises(TypeError):
        @workflow
        def wf(xs: typing.List[int]) -> int:
            return len(xs)

        wf.compile_program()
    with pytest.raises(AssertionError):
        @workflow
        def wf2(x: int) -> int:
            return conditional("c").if_(None).then(double(x=x)).else_().then(double(x=x))  # type: ignore[arg-type]

        wf2.compile_program()


def test_map_task_min_success_ratio_none_means_the_default() -> None:
    mt = map_task(double, min_success_ratio=None)
    assert mt.min_success_ratio == 1.0

    @workflow
    def wf(xs: typing.List[int]) -> typing.List[int]:
        return map_task(double, min_success_ratio=None)(x=xs)

    assert wf(xs=[1, 2]) == [2, 4]
    with pytest.raises(DefinitionError, match="min_success_ratio"):
        map_task(double, min_success_ratio="half")  # type: ignore[arg-type]


def test_conditional_branches_may_differ_as_flytekit_allows() -> None:
    unused_branch_result(x=3)
    unused_branch_result(x=0)
    assert unused_branch_result.interface.outputs == ()
    assert fewer_outputs(x=3) == 3  # the outputs every branch has: the first
    assert fewer_outputs(x=0) == 0


def test_a_void_conditional_result_cannot_be_used() -> None:
    with pytest.raises(WiringError):
        @workflow
        def wf(x: int) -> int:
            r = conditional("c").if_(x > 1).then(double(x=x)).else_().then(log(x=x))
            return double(x=r)

        wf.compile_program()


def test_launch_plans_keep_their_name_and_are_found_again_by_it() -> None:
    plan = LaunchPlan.get_or_create(failing, "failing_at_five", default_inputs={"x": 5})
    assert plan.name == "failing_at_five"
    assert LaunchPlan.get_or_create(failing, "failing_at_five", default_inputs={"x": 5}) is plan
    assert plan() == 10
    default = LaunchPlan.get_or_create(failing)
    assert default.name == failing.name

    @workflow
    def outer() -> int:
        return plan()

    assert outer() == 10


# -- with_overrides -----------------------------------------------------------------------------------

OVERRIDES = '''
import datetime

from flowgen import Resources, task, workflow


@task
def t(x: int) -> int:
    return x


@workflow
def fine(x: int) -> int:
    return t(x=x).with_overrides(requests=Resources(cpu="500m", mem="512Mi"), limits=Resources(cpu=1, mem="1Gi"),
                                 retries=2, timeout=datetime.timedelta(seconds=5), name="n", interruptible=True)


@workflow
def above_limits(x: int) -> int:
    return t(x=x).with_overrides(requests=Resources(cpu="2"), limits=Resources(cpu="1"))


@workflow
def bad_unit(x: int) -> int:
    return t(x=x).with_overrides(requests=Resources(mem="5Gb"))


@workflow
def promise_retries(x: int) -> int:
    return t(x=x).with_overrides(retries=t(x=x))


@workflow
def bad_timeout(x: int) -> int:
    return t(x=x).with_overrides(timeout="foo")


@workflow
def promise_in_resources(x: int) -> int:
    return t(x=x).with_overrides(requests=Resources(cpu=x))
'''

OVERRIDE_MISTAKES = {
    "above_limits": (20, "requests.cpu ('2') is above limits.cpu ('1')"),
    "bad_unit": (25, "'5Gb' is not a quantity"),
    "promise_retries": (30, "retries is a Promise"),
    "bad_timeout": (35, "timeout must be seconds or a timedelta, not 'foo'"),
    "promise_in_resources": (40, "requests.cpu is a Promise"),
}


def test_with_overrides_is_validated_by_the_tracer_and_check_alike(tmp_path: typing.Any) -> None:
    import importlib.util
    import sys

    from flowgen.static import check_paths

    path = tmp_path / "overrides.py"
    path.write_text(OVERRIDES)
    spec = importlib.util.spec_from_file_location("overrides_module", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["overrides_module"] = module
    spec.loader.exec_module(module)
    assert module.fine(x=3) == 3
    for name, (line, words) in OVERRIDE_MISTAKES.items():
        with pytest.raises(ValueError, match=f"overrides.py:{line}:.*with_overrides") as info:
            getattr(module, name).compile_program()
        assert isinstance(info.value, DefinitionError) and words in str(info.value)
    found = {(d.line, d.code) for d in check_paths([str(path)]).diagnostics}
    assert found == {(line, "FG304") for line, _ in OVERRIDE_MISTAKES.values()}


# -- cluster-only configuration --------------------------------------------------------------------


def test_cluster_only_configuration_is_accepted_with_one_warning_per_definition() -> None:
    import datetime
    import warnings

    from flowgen import (
        ClusterConfigWarning,
        CronSchedule,
        Email,
        FixedRate,
        PodTemplate,
        Resources,
        WorkflowExecutionPhase,
        WorkflowFailurePolicy,
        WorkflowMetadata,
    )

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")

        @task(requests=Resources(cpu="1", mem="1Gi"), pod_template=PodTemplate(primary_container_name="main"))
        def heavy(x: int) -> int:
            return x

        @workflow(failure_policy=WorkflowFailurePolicy.FAIL_IMMEDIATELY)
        def wf(x: int) -> int:
            return heavy(x=x)

        plan = LaunchPlan.get_or_create(
            wf, "nightly_edge_test", default_inputs={"x": 1}, schedule=CronSchedule(schedule="0 0 * * *"),
            notifications=[Email(phases=[WorkflowExecutionPhase.FAILED], recipients_email=["a@b.c"])],
        )
    assert plan() == 1
    assert WorkflowMetadata().on_failure is WorkflowFailurePolicy.FAIL_IMMEDIATELY
    assert FixedRate(duration=datetime.timedelta(hours=1)).duration.seconds == 3600
    messages = [str(w.message) for w in caught if issubclass(w.category, ClusterConfigWarning)]
    assert len(messages) == 2, messages  # failure_policy is honoured (test_failure_handling.py), not ignored
    assert not any("failure_policy" in m for m in messages)
    assert any("heavy" in m and "pod_template" in m and "requests" in m for m in messages)
    assert any("nightly_edge_test" in m and "schedule" in m and "notifications" in m for m in messages)


def test_bad_resources_on_a_task_are_definition_errors() -> None:
    from flowgen import Resources

    with pytest.raises(ValueError, match=r"requests.mem: '1GB' is not a quantity"):
        @task(requests=Resources(mem="1GB"))
        def t(x: int) -> int:
            return x
