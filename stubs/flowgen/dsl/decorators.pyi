"""``@task``, ``@dynamic`` and ``@workflow``, bare or with options (``@task(retries=2)``)."""

from collections.abc import Callable
from typing import Any, ParamSpec, Protocol, TypeVar, overload

from flowgen.dsl.entities import Dynamic, Task, Workflow
from flowgen.dsl.options import Cache, _Timeout

__all__ = ["dynamic", "task", "workflow"]

_P = ParamSpec("_P")
_R = TypeVar("_R")

class _TaskDecorator(Protocol):
    def __call__(self, fn: Callable[_P, _R], /) -> Task[_P, _R]: ...

class _DynamicDecorator(Protocol):
    def __call__(self, fn: Callable[_P, _R], /) -> Dynamic[_P, _R]: ...

class _WorkflowDecorator(Protocol):
    def __call__(self, fn: Callable[_P, _R], /) -> Workflow[_P, _R]: ...

@overload
def task(_task_function: Callable[_P, _R]) -> Task[_P, _R]: ...
@overload
def task(
    _task_function: None = None,
    *,
    name: str | None = ...,
    cache: bool | Cache = ...,
    cache_version: str = ...,
    cache_ignore_input_vars: tuple[str, ...] = ...,
    retries: int = ...,
    timeout: _Timeout = ...,
    **flyte_options: Any,
) -> _TaskDecorator: ...
@overload
def dynamic(_task_function: Callable[_P, _R]) -> Dynamic[_P, _R]: ...
@overload
def dynamic(
    _task_function: None = None,
    *,
    name: str | None = ...,
    cache: bool | Cache = ...,
    cache_version: str = ...,
    cache_ignore_input_vars: tuple[str, ...] = ...,
    retries: int = ...,
    timeout: _Timeout = ...,
    **flyte_options: Any,
) -> _DynamicDecorator: ...
@overload
def workflow(_workflow_function: Callable[_P, _R]) -> Workflow[_P, _R]: ...
@overload
def workflow(_workflow_function: None = None, *, name: str | None = ..., **flyte_options: Any) -> _WorkflowDecorator: ...
