"""``@task``, ``@dynamic`` and ``@workflow``, bare or with options (``@task(retries=2)``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flowgen.dsl.entities import Dynamic, Task, Workflow

__all__ = ["dynamic", "task", "workflow"]


def _decorator(cls: type, fn: Callable[..., Any] | None, options: dict[str, Any]) -> Any:
    if fn is not None:
        return cls(fn, **options)
    return lambda f: cls(f, **options)


def task(_task_function: Callable[..., Any] | None = None, **options: Any) -> Any:
    """Make a function a task. Options: ``cache``, ``cache_version``, ``retries``, ``timeout``."""
    return _decorator(Task, _task_function, options)


def dynamic(_task_function: Callable[..., Any] | None = None, **options: Any) -> Any:
    """Make a function a dynamic workflow: its body builds a DAG from real inputs at run time."""
    return _decorator(Dynamic, _task_function, options)


def workflow(_workflow_function: Callable[..., Any] | None = None, **options: Any) -> Any:
    """Make a function a workflow: its body is traced once, at compile time, with Promises."""
    return _decorator(Workflow, _workflow_function, options)
