"""Failures in generated code: the interpreter's error type, node, task and message.

With validation on, errors are identical (type, message, workflow, node, task, location).
With validation off, a failing task still reports the same error type and node.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from types import ModuleType
from typing import Any

import pytest

from flowgen.errors import FlowgenError
from flowgen.runtime import generated as runtime

from .helpers import generate, load

RESOURCES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "resources")


@pytest.fixture(scope="module")
def modules(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, ModuleType]:
    source = os.path.join(RESOURCES, "failures.py")
    if RESOURCES not in sys.path:
        sys.path.insert(0, RESOURCES)
    out, _ = generate(source, str(tmp_path_factory.mktemp("failures")))
    spec = importlib.util.find_spec("failures")
    assert spec is not None and spec.origin == source
    return importlib.import_module("failures"), load(out)


def _failure(fn: Any, **inputs: Any) -> FlowgenError:
    with pytest.raises(FlowgenError) as info:
        fn(**inputs)
    return info.value


def _facts(err: FlowgenError) -> tuple[Any, ...]:
    return (type(err), str(err), err.workflow, err.node, err.task, err.input, err.location)


CASES = [
    ("fails_in_task", {"x": -1}, "TaskError", "n0"),
    ("fails_in_subworkflow", {"x": -2}, "TaskError", "n0.n0"),
    ("fails_on_output", {"x": 1}, "OutputValidationError", "n0"),
    ("fails_on_index", {"n": 2}, "InputValidationError", None),
    ("fails_in_map", {"n": 0}, None, None),
    ("fails_in_map", {"n": 3}, "TaskError", "n1[0]"),
    ("fails_in_branch", {"x": -3}, "ConditionalFailure", "n0"),
    ("fails_in_task", {"x": "one"}, "InputValidationError", None),
    ("fails_on_a_long_line", {"n": 4}, "TaskError", "n1"),
]


@pytest.mark.parametrize(("workflow", "inputs", "kind", "node"), CASES)
def test_checked_errors_are_the_interpreters(modules: tuple[ModuleType, ModuleType], workflow: str,
                                             inputs: dict[str, Any], kind: str | None, node: str | None) -> None:
    user, generated = modules
    if kind is None:  # this input succeeds: both agree on the result
        assert getattr(generated, workflow)(**inputs) == getattr(user, workflow)(**inputs)
        return
    expected = _failure(getattr(user, workflow), **inputs)
    got = _failure(getattr(generated, workflow), **inputs)
    assert type(expected).__name__ == kind
    assert _facts(got) == _facts(expected)
    if node is not None:
        assert got.node == node
    assert type(got.__cause__) is type(expected.__cause__)


@pytest.mark.parametrize(("workflow", "inputs", "kind", "node"),
                         [c for c in CASES if c[2] in ("TaskError", "ConditionalFailure")])
def test_fast_errors_name_the_same_node(modules: tuple[ModuleType, ModuleType], workflow: str,
                                        inputs: dict[str, Any], kind: str, node: str) -> None:
    user, generated = modules
    expected = _failure(getattr(user, workflow), **inputs)
    with runtime.validation(False):
        got = _failure(getattr(generated, workflow), **inputs)
    assert (type(got), got.node, got.task, got.workflow, got.location) == (
        type(expected), expected.node, expected.task, expected.workflow, expected.location)
    assert str(got) == str(expected)


def test_task_error_keeps_the_original_exception(modules: tuple[ModuleType, ModuleType]) -> None:
    user, generated = modules
    expected = _failure(user.fails_in_task, x=-5)
    for validate in (True, False):
        with runtime.validation(validate):
            got = _failure(generated.fails_in_task, x=-5)
        assert isinstance(got.__cause__, ValueError)
        assert str(got.__cause__) == str(expected.__cause__) == "negative: -5"


def test_fast_body_reports_a_bad_index_at_its_node(modules: tuple[ModuleType, ModuleType]) -> None:
    _, generated = modules
    with runtime.validation(False):
        got = _failure(generated.fails_on_index, n=2)
    assert type(got).__name__ == "InputValidationError"
    assert got.node == "n1"
    assert "IndexError" in str(got)


@pytest.mark.parametrize(("n", "kind"), [(2, "InputValidationError"), (4, "TaskError")])
def test_fast_body_names_the_node_of_a_statement_split_over_lines(modules: tuple[ModuleType, ModuleType], n: int,
                                                                  kind: str) -> None:
    """The formatter splits a long node statement; a failure on any of its lines is that node's."""
    _, generated = modules
    with open(generated.__file__, encoding="utf-8") as f:
        text = f.read()
    fast = text[text.index("def _fails_on_a_long_line_fast"):]
    assert "_f_add_three(\n" in fast, "the node statement is no longer split: make its line longer"
    with runtime.validation(False):
        got = _failure(generated.fails_on_a_long_line, n=n)
    assert (type(got).__name__, got.node, got.workflow) == (kind, "n1", "failures.fails_on_a_long_line")
    if kind == "TaskError":
        assert got.task == "failures.add_three"
        assert isinstance(got.__cause__, ValueError)
