"""Flyte's ``Echo``: a task that returns its inputs, for conditional branches that pass values on.

    echo = Echo(name="echo", inputs={"a": int, "b": str})   # outputs o0: int, o1: str

Its task is named ``flowgen.echo.<name>`` and runs ``flowgen.dsl.echo:echo``; its
``source`` is where the user built it (the ``Echo(...)`` call), which both front ends
can tell: the static front end reads it from the file without importing flowgen's own.
"""

from __future__ import annotations

from typing import Any

from flowgen.dsl.entities import Task
from flowgen.errors import DefinitionError
from flowgen.ir.annotations import UnsupportedType, type_spec
from flowgen.ir.model import Interface, Output, Param
from flowgen.tracing.callsite import user_location, user_span

__all__ = ["Echo", "echo"]


def echo(**values: Any) -> Any:
    """The one function behind every Echo: inputs arrive in interface order."""
    ordered = tuple(values.values())
    if not ordered:
        return None
    return ordered[0] if len(ordered) == 1 else ordered


class Echo(Task):
    """A no-op task whose outputs are its inputs (``o0``, ``o1``, ... in order)."""

    def __init__(self, name: str, inputs: dict[str, Any] | None = None, **flyte_options: Any) -> None:
        params = []
        for input_name, annotation in (inputs or {}).items():
            try:
                params.append(Param(name=input_name, type=type_spec(annotation)))
            except UnsupportedType as exc:
                raise DefinitionError(f"Echo {name!r}: input {input_name!r}: {exc}", location=user_location(2)) from None
        outputs = tuple(Output(name=f"o{i}", type=p.type) for i, p in enumerate(params))
        form = "none" if not outputs else ("single" if len(outputs) == 1 else "tuple")
        interface = Interface(inputs=tuple(params), outputs=outputs, output_form=form)
        super().__init__(echo, name=f"flowgen.echo.{name}", interface=interface, function="flowgen.dsl.echo:echo",
                         **flyte_options)
        built_at = user_span(2)
        if built_at is not None:
            self.source = built_at
            self._spec = self._spec.model_copy(update={"source": built_at})
