"""The pytest plugin, driven by pytest's own pytester: --flowgen collection, the fixture, the marker, given_inputs."""

import os
import shutil

import pytest

pytest_plugins = ["pytester"]

HERE = os.path.dirname(os.path.abspath(__file__))

BUGGY = '''
from flowgen import task, workflow


@task
def check(x: int) -> int:
    if x > 50 and x % 2 == 0:
        raise ValueError(f"cannot take {x}")
    return x + 1


@workflow
def buggy(x: int) -> int:
    return check(x=x)


@task
def double(x: int) -> int:
    return 2 * x


@workflow
def fine(x: int) -> int:
    return double(x=x)
'''


@pytest.fixture
def project(pytester):
    pytester.makepyfile(flows=BUGGY)
    pytester.mkdir("pipelines")
    shutil.move(str(pytester.path / "flows.py"), str(pytester.path / "pipelines" / "flows.py"))
    return pytester


def test_flowgen_option_collects_every_workflow_as_path_wf(project):
    result = project.runpytest_subprocess("--flowgen", "pipelines", "--collect-only", "-q")
    result.stdout.fnmatch_lines(["pipelines/flows.py::buggy", "pipelines/flows.py::fine"])


def test_collected_workflows_run_check_workflow_and_report_the_shrunk_failure(project):
    result = project.runpytest_subprocess("--flowgen", "pipelines", "--flowgen-max-examples", "300", "-p",
                                          "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*workflow flows.buggy: failed with TaskError*", "*inputs: x=52*",
                                 "*reproduce: flowgen run pipelines/flows.py:buggy --x 52*"])


def test_fixture_marker_and_given_inputs(project):
    project.makepyfile(test_uses=f'''
import sys
sys.path.insert(0, {os.path.join(str(project.path), "pipelines")!r})

import pytest
from flowgen.testing import given_inputs
from hypothesis import strategies as st

import flows

CALLS = []


@pytest.mark.flowgen(executors=["inprocess", "threads"])
def test_runs_on_each_executor(flowgen_run):
    assert flowgen_run(flows.fine, x=4) == 8


@pytest.mark.flowgen(max_examples=7)
@given_inputs(flows.fine, x=st.integers(0, 10**6))
def test_given_inputs(values):
    CALLS.append(values)
    assert flows.fine(**values) == 2 * values["x"]


def test_the_marker_set_the_number_of_examples():
    assert len(CALLS) == 7
''')
    result = project.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly", "test_uses.py")
    result.assert_outcomes(passed=3)


def test_an_unknown_flowgen_path_is_a_usage_error(pytester):
    result = pytester.runpytest_subprocess("--flowgen", "nowhere")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--flowgen nowhere: no such file or directory*"])
