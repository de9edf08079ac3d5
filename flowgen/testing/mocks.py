"""``task_mock(task)`` and ``patch(task)``: replace a task with a ``MagicMock``, as flytekit's do.

::

    with task_mock(fetch) as mock:
        mock.return_value = [1, 2, 3]
        assert pipeline(n=3) == 6            # the interpreter, any generated module, a direct call
        mock.assert_called_once_with(n=3)

    @patch(fetch)
    def test_pipeline(mock_fetch):
        mock_fetch.return_value = [1, 2, 3]
        ...

How it replaces the task *everywhere* in this process: the task's function object itself is
switched to a trampoline for the duration (its ``__code__`` is swapped, then restored), so every
holder of the function sees the mock: the interpreter (which reaches it through the task
object), generated modules (which bound the function when they were imported), a
``functools.partial`` given to ``map_task``. Calls reach the mock with keyword arguments, bound
by the task's signature, so ``mock.assert_called_with(x=1)`` reads like the workflow.

A mocked task keeps its interface: the mock's return value is validated against the declared
output type at once, and a wrong one raises :class:`MockReturnError` naming the task, the
expected type and the value (inside a workflow it reaches you as the node's ``TaskError``). A
``MagicMock`` left without ``return_value`` or ``side_effect`` fails the same way.

Limits: the mock lives in this process, so the ``processes`` and ``dask`` executors (which
import the task afresh in their workers) run the real task; a task function that is a closure
(defined inside another function) can be mocked only through the task object (interpreter and
direct calls), not in generated modules.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import itertools
import threading
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock as _mock

__all__ = ["MockReturnError", "patch", "task_mock"]

_REGISTRY_NAME = "__flowgen_task_mocks__"
_keys = itertools.count()
_lock = threading.Lock()


class MockReturnError(TypeError):
    """A mocked task's mock returned a value its declared output type rejects."""


def _checked_result(task: Any, result: Any) -> Any:
    from flowgen.ir.values import TypeMismatch, checker

    interface = task.interface
    try:
        if interface.output_form == "none":
            if result is not None:
                raise TypeMismatch("None", result)
        elif interface.output_form == "single":
            checker(interface.outputs[0].type)(result)
        else:
            if not isinstance(result, tuple) or len(result) != len(interface.outputs):
                raise TypeMismatch(f"a tuple of {len(interface.outputs)} outputs", result)
            for out, value in zip(interface.outputs, result):
                try:
                    checker(out.type)(value)
                except TypeMismatch as exc:
                    raise exc.within(f" output {out.name!r}") from None
    except TypeMismatch as exc:
        hint = " (set mock.return_value or mock.side_effect)" if isinstance(result, _mock.Mock) else ""
        raise MockReturnError(f"the mock of task {task.name} returned a value its declared output rejects: "
                              f"{exc.describe()}{hint}") from None
    return result


def _trampoline(key: int, name: str) -> Any:
    """A code object calling ``__flowgen_task_mocks__[key]`` (looked up in the function's globals)."""
    namespace: dict[str, Any] = {}
    exec(f"def {name}(*args, **kwargs):\n    return {_REGISTRY_NAME}[{key}](*args, **kwargs)\n", namespace)
    return namespace[name].__code__


@contextlib.contextmanager
def task_mock(task: Any) -> Iterator[_mock.MagicMock]:
    """Replace ``task`` (a ``@task`` or ``@dynamic``) with a ``MagicMock`` while the block runs."""
    from flowgen.dsl.entities import Task

    if not isinstance(task, Task):
        raise TypeError(f"task_mock replaces a @task or @dynamic, not {task!r}")
    fn = task.fn
    signature = inspect.signature(fn)
    mock = _mock.MagicMock(name=task.name)

    def call(*args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(*args, **kwargs)
        return _checked_result(task, mock(**bound.arguments))

    key = next(_keys)
    swap = getattr(fn, "__closure__", None) is None and hasattr(fn, "__code__")
    original_code = fn.__code__ if swap else None
    with _lock:
        if swap:
            registry = fn.__globals__.setdefault(_REGISTRY_NAME, {})
            registry[key] = call
            fn.__code__ = _trampoline(key, fn.__name__)
        else:
            task.fn = functools.wraps(fn)(call)
    try:
        yield mock
    finally:
        with _lock:
            if original_code is not None:
                fn.__code__ = original_code
                fn.__globals__[_REGISTRY_NAME].pop(key, None)
            else:
                task.fn = fn


def patch(task: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: run the test with ``task`` mocked; the mock is passed as the last positional argument.

    The decorated test's signature drops that parameter, so pytest does not look for a fixture of
    that name (fixtures before it still work).
    """

    def decorate(test: Callable[..., Any]) -> Callable[..., Any]:
        signature = inspect.signature(test)
        params = list(signature.parameters.values())
        if not params or params[-1].kind not in (params[-1].POSITIONAL_OR_KEYWORD, params[-1].KEYWORD_ONLY):
            raise TypeError(f"@patch({task!r}) needs a test that takes the mock as its last (named) parameter")
        mock_name = params[-1].name

        @functools.wraps(test)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with task_mock(task) as mock:
                return test(*args, **kwargs, **{mock_name: mock})

        wrapper.__signature__ = signature.replace(parameters=params[:-1])  # type: ignore[attr-defined]
        return wrapper

    return decorate
