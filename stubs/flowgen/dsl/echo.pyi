"""Flyte's ``Echo``: a task whose outputs are its inputs.

``Echo(name, inputs={"a": int})`` is a ``Task`` taking ``a: int`` and returning
``int`` (a tuple for several inputs); the plugin reads the ``inputs`` dict.
"""

from typing import Any, ParamSpec, TypeVar

from flowgen.dsl.entities import Task

__all__ = ["Echo", "echo"]

_P = ParamSpec("_P")
_R_co = TypeVar("_R_co", covariant=True)

def echo(**values: Any) -> Any: ...

class Echo(Task[_P, _R_co]):
    def __init__(self, name: str, inputs: dict[str, Any] | None = None, **flyte_options: Any) -> None: ...
