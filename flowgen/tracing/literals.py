"""Constants in a traced graph: a literal bound to the input it feeds, and the constant side of
``promise <op> constant`` (used by the graph builder and by Promise comparisons alike)."""

from __future__ import annotations

from typing import Any

from flowgen.errors import PromiseError, WiringError
from flowgen.ir.codec import to_json
from flowgen.ir.compat import comparable
from flowgen.ir.construct import construct
from flowgen.ir.model import Binding, LiteralBinding
from flowgen.ir.types import PrimitiveType, TypeSpec, UnionType, render_type
from flowgen.ir.values import TypeMismatch, checker
from flowgen.tracing.callsite import user_location

__all__ = ["literal_binding", "literal_for_condition"]

_SAME_IN_JSON = {"str": str, "int": int, "bool": bool}


# Literals of exact JSON scalars, shared (IR objects are frozen): a loop over a string's
# characters makes 52 distinct literals, not one per call. Keyed by the target type's identity
# (kept alive by the entry) and the value; bounded, and short strings only.
_literals: dict[tuple[int, Any], tuple[TypeSpec, LiteralBinding]] = {}


def literal_binding(value: Any, target: TypeSpec) -> LiteralBinding:
    """A constant as a literal of the type it feeds (raises TypeMismatch)."""
    if type(target) is PrimitiveType and type(value) is _SAME_IN_JSON.get(target.name):
        key = (id(target), value)
        hit = _literals.get(key)
        if hit is not None and hit[0] is target:
            return hit[1]
        binding = construct(LiteralBinding, type=target, value=value)  # already valid, already JSON
        if len(_literals) < 100_000 and (type(value) is not str or len(value) <= 64):
            _literals[key] = (target, binding)
        return binding
    return construct(LiteralBinding, type=target, value=to_json(checker(target)(value), target))


def literal_for_condition(value: Any, other: TypeSpec) -> Binding:
    """The right-hand constant of ``promise <op> constant``, typed like the promise when it fits."""
    for candidate in (other, *(_variant_list(other))):
        try:
            return literal_binding(value, candidate)
        except (TypeMismatch, TypeError):
            continue
    from flowgen.ir.annotations import UnsupportedType, type_spec

    try:
        literal_type = type_spec(type(value))
        binding = literal_binding(value, literal_type)
    except (UnsupportedType, TypeMismatch) as exc:
        raise PromiseError(
            f"cannot compare a Promise of {render_type(other)} with {value!r}",
            location=user_location(3),
        ) from exc
    if not comparable(other, literal_type):
        # A comparison across unrelated types (int > "a") could only fail, or be always false, at run time.
        raise WiringError(
            f"cannot compare a Promise of {render_type(other)} with {value!r} ({render_type(literal_type)})",
            location=user_location(3),
            hint=f"compare it with a {render_type(other)} constant",
        )
    return binding


def _variant_list(spec: TypeSpec) -> tuple[TypeSpec, ...]:
    return spec.variants if isinstance(spec, UnionType) else ()
