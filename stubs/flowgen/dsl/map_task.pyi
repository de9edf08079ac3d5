"""``map_task(task)``: a callable taking each mapped input as a list, returning ``list[R]``.

The plugin types the result from the task: every input not fixed with
``functools.partial`` becomes ``list[T]``, and the output is ``list[R]``
(``list[R | None]`` when ``min_success_ratio < 1``).
"""

import functools
from typing import Any, ClassVar, Generic, ParamSpec, TypeVar

from flowgen.dsl.entities import Task

__all__ = ["MapTask", "map_task"]

_P = ParamSpec("_P")
_R_co = TypeVar("_R_co", covariant=True)
_R = TypeVar("_R")

class MapTask(Generic[_P, _R_co]):
    kind: ClassVar[str]
    task: Task[..., Any]
    fixed: dict[str, Any]
    concurrency: int | None
    min_success_ratio: float
    name: str
    mapped: tuple[str, ...]
    interface: Any
    def __init__(self, target: Any, concurrency: int | None, min_success_ratio: float | None) -> None: ...
    def __call__(self, *args: _P.args, **kwargs: _P.kwargs) -> _R_co: ...

def map_task(
    target: Task[..., _R] | functools.partial[_R],
    concurrency: int | None = None,
    min_success_ratio: float | None = 1.0,
    **_flyte: Any,
) -> MapTask[..., list[_R]]: ...
