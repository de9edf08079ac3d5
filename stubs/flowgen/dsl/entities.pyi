"""Typing surface of the objects @task, @dynamic and @workflow make.

``Task[P, R]``: ``P`` are the function's parameters, ``R`` its return type. Calling
one outside a workflow returns ``R``; inside a @workflow or @dynamic body the mypy
plugin makes the result ``Promise[R]`` (a tuple of Promises for tuple outputs) and
lets every input take a compatible Promise.
"""

from collections.abc import Callable
from typing import Any, ClassVar, Generic, ParamSpec, TypeVar

from flowgen.dsl.options import Cache, _Timeout

__all__ = ["Dynamic", "Task", "Workflow"]

_P = ParamSpec("_P")
_R_co = TypeVar("_R_co", covariant=True)

class _Entity(Generic[_P, _R_co]):
    kind: ClassVar[str]
    fn: Callable[_P, _R_co]
    function: str
    name: str
    source: Any
    interface: Any
    extra_bindings: None  # a launch plan binds its fixed and default inputs itself
    launch_plan_name: None
    def __init__(
        self, fn: Callable[_P, _R_co], name: str | None, interface: Any = None, function: str | None = None
    ) -> None: ...
    @property
    def task_function(self) -> Callable[_P, _R_co]: ...

class Task(_Entity[_P, _R_co]):
    """A ``@task``: a fully annotated Python function, the unit of work."""

    def __init__(
        self,
        fn: Callable[_P, _R_co],
        *,
        name: str | None = None,
        cache: bool | Cache = False,
        cache_version: str = "",
        cache_ignore_input_vars: tuple[str, ...] = (),
        retries: int = 0,
        timeout: _Timeout = None,
        interface: Any = None,
        function: str | None = None,
        **flyte_options: Any,
    ) -> None: ...
    def spec(self) -> Any: ...
    def compile_program(self) -> Any: ...
    def __call__(self, *args: _P.args, **kwargs: _P.kwargs) -> _R_co: ...
    def run_local(self, values: dict[str, Any]) -> Any: ...

class Dynamic(Task[_P, _R_co]):
    """A ``@dynamic``: its body builds a sub-DAG from real inputs at run time."""

    def trace(self, inputs: dict[str, Any]) -> Any: ...

class Workflow(_Entity[_P, _R_co]):
    """A ``@workflow``: its body runs once, at compile time, with Promise inputs."""

    # ``Workflow(name="...")`` without a function is flytekit's imperative workflow.
    def __new__(cls, fn: Any = None, *args: Any, **kwargs: Any) -> Any: ...
    def __init__(self, fn: Callable[_P, _R_co], *, name: str | None = None, **flyte_options: Any) -> None: ...
    def compile_program(self) -> Any: ...
    def __call__(self, *args: _P.args, **kwargs: _P.kwargs) -> _R_co: ...
    def run(self, values: dict[str, Any], observer: Any = None) -> Any: ...
