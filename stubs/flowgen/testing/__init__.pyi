from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any
from unittest.mock import MagicMock

from hypothesis.strategies import SearchStrategy

from flowgen.dsl.context import SecretsManager as SecretsManager
from flowgen.testing.check import CheckResult as CheckResult

class NoStrategy(TypeError): ...
class MockReturnError(TypeError): ...

class WorkflowCheckFailure(AssertionError):
    workflow: str
    inputs: dict[str, Any]
    command: str
    node: str | None
    task: str | None
    def __init__(self, message: str, *, workflow: str, inputs: dict[str, Any], command: str,
                 node: str | None = None, task: str | None = None) -> None: ...

def strategy_for(spec: Any) -> SearchStrategy[Any]: ...
def inputs(entity: Any, /, **fixed: Any) -> SearchStrategy[dict[str, Any]]: ...
def check_workflow(
    wf: Any,
    *,
    max_examples: int = 100,
    executors: Sequence[str] = ("inprocess",),
    generated: bool | Any = True,
    seed: int | None = None,
    deadline: float | None = None,
    database: Any = "default",
    allowed_errors: tuple[type[BaseException], ...] = ...,
    inputs: Any = None,
    progress: Callable[[int], None] | None = None,
) -> CheckResult: ...
def task_mock(task: Any) -> AbstractContextManager[MagicMock]: ...
def patch(task: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]: ...
def given_inputs(entity: Any, /, **fixed: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]: ...

class Domain:
    workflow: str
    inputs: dict[str, SearchStrategy[Any]]
    secrets: dict[Any, str] | None

def domain(workflow: Any, inputs: Mapping[str, Any] | None = None, /, *,
           secrets: Mapping[Any, Any] | None = None, **strategies: Any) -> Domain: ...
def secrets(mapping: Mapping[Any, Any] | None = None, /, *, isolated: bool = True,
            **groups: Any) -> AbstractContextManager[SecretsManager]: ...
