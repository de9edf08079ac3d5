"""``conditional(name)``: Flyte's if/elif/else on Promises.

``ConditionalSection[T]`` carries the branches' common type so far; the value of
``.else_().then(x)`` (or ``.else_().fail(msg)``) is ``Promise[T]``. The plugin
computes the common type by the runtime's rule (``int`` widens to ``float``).
"""

from typing import Any, Generic, Never, TypeVar, overload

from flowgen.tracing.promise import ConditionExpr, Promise

__all__ = ["ConditionalSection", "conditional"]

_T = TypeVar("_T")
_S = TypeVar("_S")

class ConditionalSection(Generic[_T]):
    name: str
    parent: Any
    id: str
    call_site: Any
    cases: list[Any]
    def __init__(self, name: str) -> None: ...
    def if_(self, condition: ConditionExpr) -> _CaseThen[_T]: ...
    def elif_(self, condition: ConditionExpr) -> _CaseThen[_T]: ...
    def else_(self) -> _ElseThen[_T]: ...

class _CaseThen(Generic[_T]):
    def __init__(self, section: ConditionalSection[_T]) -> None: ...
    @overload
    def then(self, value: Promise[_S]) -> ConditionalSection[_T | _S]: ...
    @overload
    def then(self, value: _S) -> ConditionalSection[_T | _S]: ...

class _ElseThen(Generic[_T]):
    def __init__(self, section: ConditionalSection[_T]) -> None: ...
    @overload
    def then(self, value: Promise[_S]) -> Promise[_T | _S]: ...
    @overload
    def then(self, value: _S) -> Promise[_T | _S]: ...
    def fail(self, message: str) -> Promise[_T]: ...

def conditional(name: str) -> ConditionalSection[Never]: ...
