"""Value constraints from ``Annotated[...]``: the ``annotated-types`` markers pydantic uses.

``Annotated[int, Ge(0), Lt(100)]``, ``Annotated[str, MinLen(1)]`` and
``Annotated[list[int], MaxLen(5)]`` keep their base type for wiring (a constrained
``int`` still feeds an ``int``, and an ``int`` feeds a constrained one: the value is
checked when it crosses the node boundary, as pydantic checks it).

=================================  =========================================  =============
marker (annotated_types)           constraint                                  applies to
=================================  =========================================  =============
``Ge``, ``Gt``, ``Le``, ``Lt``     ``ge``, ``gt``, ``le``, ``lt``             int, float
``Interval(ge=, lt=, ...)``        one constraint per bound given              int, float
``MultipleOf``                     ``multiple_of``                             int, float
``MinLen``, ``MaxLen``, ``Len``    ``min_len``, ``max_len``                    str, bytes, list
=================================  =========================================  =============

Bounds are numbers (they travel in the IR as JSON). Other metadata is left to whoever
understands it. The constraints live on the spec (``PrimitiveType.constraints``,
``ListType.constraints``; empty means none and is not serialized), so the interpreter,
every executor and ``flowgen.testing``'s strategies all see them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Annotated, Any, Literal

from flowgen.ir.base import IRModel

if TYPE_CHECKING:  # the annotation's pydantic names (flowgen.ir.pydantic_models resolves them)
    from pydantic import Field, StrictFloat, StrictInt

__all__ = ["MARKERS", "NUMERIC", "SIZED", "Constraint", "constrained", "constraints_from", "describe", "violation"]

#: the annotated-types markers flowgen reads (the static front end recognises these names)
MARKERS = ("Ge", "Gt", "Le", "Lt", "Interval", "MultipleOf", "MinLen", "MaxLen", "Len")

Kind = Literal["ge", "gt", "le", "lt", "multiple_of", "min_len", "max_len"]
NUMERIC = frozenset({"ge", "gt", "le", "lt", "multiple_of"})
SIZED = frozenset({"min_len", "max_len"})

_SYMBOL = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<"}


class Constraint(IRModel):
    """One bound on a value: ``Constraint(kind="ge", value=0)`` is ``>= 0``."""

    kind: Kind
    value: Annotated[StrictInt | StrictFloat, Field(union_mode="left_to_right")]

    def __str__(self) -> str:
        if self.kind in _SYMBOL:
            return f"{_SYMBOL[self.kind]} {self.value!r}"
        if self.kind == "multiple_of":
            return f"a multiple of {self.value!r}"
        return f"length {'>=' if self.kind == 'min_len' else '<='} {self.value!r}"


def constraints_from(metadata: Iterable[Any]) -> tuple[Constraint, ...]:
    """The constraints among ``Annotated`` metadata (other items are ignored).

    Raises ``ValueError`` for a marker whose bound is not a number.
    """
    import annotated_types as at

    found: list[Constraint] = []

    def add(kind: str, value: Any, marker: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"{marker!r}: flowgen supports numeric bounds only, not {type(value).__name__}")
        found.append(Constraint(kind=kind, value=value))  # type: ignore[arg-type]

    for meta in metadata:
        if isinstance(meta, at.Interval):
            for kind in ("ge", "gt", "le", "lt"):
                if getattr(meta, kind) is not None:
                    add(kind, getattr(meta, kind), meta)
        elif isinstance(meta, (at.Ge, at.Gt, at.Le, at.Lt)):
            kind = type(meta).__name__.lower()
            add(kind, getattr(meta, kind), meta)
        elif isinstance(meta, at.MultipleOf):
            add("multiple_of", meta.multiple_of, meta)
        elif isinstance(meta, at.Len):
            if meta.min_length:
                add("min_len", meta.min_length, meta)
            if meta.max_length is not None:
                add("max_len", meta.max_length, meta)
        elif isinstance(meta, at.MinLen):
            add("min_len", meta.min_length, meta)
        elif isinstance(meta, at.MaxLen):
            add("max_len", meta.max_length, meta)
    return tuple(found)


def constrained(spec: Any, metadata: Iterable[Any]) -> Any:
    """``spec`` (a type spec) with the constraints among ``metadata`` added.

    Raises ``ValueError`` for a bound that is not a number, or a constraint the type cannot
    take (``MinLen`` on an ``int``).
    """
    found = constraints_from(metadata)
    if not found:
        return spec
    kind = getattr(spec, "kind", None)  # flowgen.ir.types imports this module: its classes by their kind
    base = spec.name if kind == "primitive" else "list" if kind == "list" else None
    for c in found:
        fits = (base in ("int", "float")) if c.kind in NUMERIC else (base in ("str", "bytes", "list"))
        if not fits:
            raise ValueError(f"constraint {c} ({c.kind}) does not apply to {spec}: bounds apply to int and "
                             "float, lengths to str, bytes and list")
    return spec.model_copy(update={"constraints": (*spec.constraints, *found)})


def describe(base: str, constraints: tuple[Constraint, ...]) -> str:
    """``int >= 0, < 100``: a constrained type, for messages."""
    return f"{base} {', '.join(str(c) for c in constraints)}"


def _holds(c: Constraint, v: Any) -> bool:
    if c.kind == "ge":
        return bool(v >= c.value)
    if c.kind == "gt":
        return bool(v > c.value)
    if c.kind == "le":
        return bool(v <= c.value)
    if c.kind == "lt":
        return bool(v < c.value)
    if c.kind == "multiple_of":
        if isinstance(v, int) and isinstance(c.value, int):
            return v % c.value == 0
        if isinstance(v, float) and not math.isfinite(v):
            return False
        quotient = v / c.value
        return math.isclose(quotient, round(quotient), rel_tol=1e-9, abs_tol=1e-9)
    if c.kind == "min_len":
        return len(v) >= c.value
    return len(v) <= c.value


def violation(constraints: tuple[Constraint, ...]) -> Callable[[Any], Constraint | None]:
    """A function giving the first constraint a (type-correct) value breaks, or None."""

    def first_broken(v: Any) -> Constraint | None:
        for c in constraints:
            if not _holds(c, v):
                return c
        return None

    return first_broken
