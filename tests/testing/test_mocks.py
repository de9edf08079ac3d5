"""task_mock / patch: the mock replaces the task in the interpreter, generated modules and direct calls."""

import pytest

from flowgen import TaskError
from flowgen.testing import MockReturnError, patch, task_mock
from flowgen.testing.generated import build_generated
from tests.testing.programs import shapes


def test_task_mock_replaces_the_task_in_the_interpreter_and_direct_calls():
    with task_mock(shapes.check) as mock:
        mock.return_value = 1000
        assert shapes.buggy(x=52) == 2000  # the real check would raise for 52
        assert shapes.check(x=52) == 1000
    mock.assert_called_with(x=52)
    assert mock.call_count == 2
    assert shapes.buggy(x=3) == 8  # restored
    with pytest.raises(TaskError, match="cannot take 52"):
        shapes.buggy(x=52)


def test_task_mock_replaces_the_task_in_generated_code_built_before_the_mock():
    generated = build_generated(shapes.buggy).function
    with task_mock(shapes.check) as mock:
        mock.side_effect = lambda x: x * 10
        assert generated(x=7) == 140
        mock.assert_called_once_with(x=7)
    assert generated(x=7) == 16


def test_a_mock_returning_a_wrong_type_fails_loudly_naming_the_task():
    with task_mock(shapes.check) as mock:
        mock.return_value = "not an int"
        with pytest.raises(MockReturnError, match=r"the mock of task tests.testing.programs.shapes.check returned a "
                                                  r"value its declared output rejects: expected int, got str"):
            shapes.check(x=1)
        with pytest.raises(TaskError, match=r"MockReturnError"):
            shapes.buggy(x=1)


def test_an_unconfigured_mock_says_to_set_a_return_value():
    with task_mock(shapes.double), pytest.raises(MockReturnError, match=r"set mock.return_value"):
        shapes.double(x=1)


def test_constraints_of_the_declared_output_apply_to_mocks():
    with task_mock(shapes.shrink) as mock:
        mock.return_value = -1
        with pytest.raises(MockReturnError, match=r"expected int >= 0, got int -1"):
            shapes.shrink(x=5)


@patch(shapes.double)
def test_patch_passes_the_mock_as_the_last_argument(mock_double):
    mock_double.return_value = 7
    assert shapes.add_two(x=100, y=1) == 8
    mock_double.assert_called_once_with(x=100)


@patch(shapes.double)
def test_patch_keeps_pytest_fixtures_working(tmp_path, mock_double):
    mock_double.return_value = 0
    assert tmp_path.is_dir()
    assert shapes.add_two(x=5) == 2


def test_task_mock_refuses_what_is_not_a_task():
    with pytest.raises(TypeError, match=r"replaces a @task or @dynamic"), task_mock(shapes.buggy):
        pass
