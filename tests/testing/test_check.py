"""check_workflow: finds and shrinks failures, passes correct workflows, catches generated-code drift."""

import os
import re
import shlex

import pytest
from click.testing import CliRunner

from flowgen.cli.main import cli
from flowgen.testing import WorkflowCheckFailure, check_workflow, inputs
from flowgen.testing.generated import build_generated
from tests.testing.programs import shapes

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_a_bug_for_some_inputs_is_found_and_shrunk_to_the_minimal_input():
    with pytest.raises(WorkflowCheckFailure) as info:
        check_workflow(shapes.buggy, max_examples=300, database=None)
    failure = info.value
    assert failure.inputs == {"x": 52}
    assert failure.node == "n0" and failure.task == "tests.testing.programs.shapes.check"
    text = str(failure)
    assert "workflow tests.testing.programs.shapes.buggy: failed with TaskError" in text
    assert "inputs: x=52" in text
    assert "ValueError: cannot take 52" in text
    assert failure.command == "flowgen run tests/testing/programs/shapes.py:buggy --x 52"


def test_the_reproducer_command_reproduces_the_failure(monkeypatch):
    with pytest.raises(WorkflowCheckFailure) as info:
        check_workflow(shapes.buggy, max_examples=300, database=None)
    monkeypatch.chdir(ROOT)
    words = shlex.split(info.value.command)
    assert words[:2] == ["flowgen", "run"]
    result = CliRunner().invoke(cli, words[1:])
    assert result.exit_code == 1, result.output
    assert "ValueError: cannot take 52" in result.output


@pytest.mark.parametrize("wf", [shapes.add_two, shapes.records, shapes.constrained, shapes.branching, shapes.lp],
                         ids=lambda w: getattr(w, "name", repr(w)))
def test_correct_workflows_pass(wf):
    result = check_workflow(wf, max_examples=25, database=None)
    assert result.examples == 25
    assert result.runs == ["interpreter", "generated"]
    assert result.front_end == "static"


def test_declared_failures_are_allowed_when_every_run_agrees():
    check_workflow(shapes.refusing, max_examples=25, database=None)
    with pytest.raises(WorkflowCheckFailure, match=r"failed with ConditionalFailure") as info:
        check_workflow(shapes.refusing, max_examples=50, database=None, allowed_errors=())
    assert info.value.inputs == {"x": -1}


def test_a_generated_module_that_disagrees_with_the_interpreter_is_reported():
    def wrong(text: str) -> str:
        # the deliberately wrong generated module: the branch on x > 0 tests x <= 0 instead
        edited, count = re.subn(r'x, ">", 0\)', 'x, "<=", 0)', text)
        assert count == 1, text
        return edited

    build = build_generated(shapes.branching, edit=wrong)
    with pytest.raises(WorkflowCheckFailure) as info:
        check_workflow(shapes.branching, max_examples=200, database=None, generated=build.function)
    text = str(info.value)
    assert "the generated module disagrees with the interpreter" in text
    assert info.value.inputs == {"x": 1}
    assert "interpreter: returned {'o0': 2}" in text and "generated module: returned {'o0': -1}" in text


def test_an_internal_error_is_reported_as_such():
    def broken(text: str) -> str:
        head = "def _branching_checked(_p: str, x: int) -> dict[str, _typing.Any]:\n"
        assert head in text
        return text.replace(head, head + "    raise RuntimeError('boom')\n", 1)

    build = build_generated(shapes.branching, edit=broken)
    with pytest.raises(WorkflowCheckFailure, match=r"the generated module reached a flowgen internal error "
                                                   r"\(RuntimeError\)"):
        check_workflow(shapes.branching, max_examples=5, database=None, generated=build.function)


def test_an_output_that_breaks_its_declared_constraint_fails_in_every_run():
    with pytest.raises(WorkflowCheckFailure) as info:
        check_workflow(shapes.bad_output, max_examples=50, database=None)
    assert info.value.inputs == {"x": 0}
    text = str(info.value)
    assert "failed with OutputValidationError" in text and "expected int >= 0, got int -10" in text
    # the static front end reads the constraint too, so the generated module enforces it alike
    assert "generated module: raised OutputValidationError at node n0" in text


def test_other_executors_are_compared_too():
    result = check_workflow(shapes.add_two, max_examples=10, database=None, executors=("inprocess", "threads"))
    assert result.runs == ["interpreter", "generated", "threads"]


def test_custom_input_strategies_and_progress():
    from hypothesis import strategies as st

    seen = []
    result = check_workflow(shapes.buggy, max_examples=20, database=None, generated=False,
                            inputs=inputs(shapes.buggy, x=st.integers(0, 50)), progress=seen.append)
    assert result.examples == 20 and seen[-1] == 20


def test_check_workflow_refuses_what_is_not_a_workflow():
    with pytest.raises(TypeError, match=r"checks a @workflow or a launch plan"):
        check_workflow(shapes.double)
