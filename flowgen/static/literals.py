"""Constants as IR literals, without importing user classes.

``encode(value, spec)`` is what ``codec.to_json(values.checker(spec)(value), spec)``
computes in the tracer (the reference), except that enum members are
:class:`~flowgen.static.values.EnumMember` placeholders instead of imported
members, so checking a value never resolves a reference by import.
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from flowgen.ir.model import Binding, LiteralBinding
from flowgen.ir.types import (
    DictType,
    EnumType,
    ListType,
    LiteralType,
    PrimitiveType,
    RecordType,
    TupleType,
    TypeSpec,
    UnionType,
    primitive,
    render_type,
)
from flowgen.ir.values import TypeMismatch, describe_value
from flowgen.static.values import EnumMember

__all__ = ["LiteralMismatch", "describe_constant", "encode", "literal_binding", "literal_for_condition", "type_of"]


class LiteralMismatch(TypeMismatch):
    """The runtime's TypeMismatch, for constants read from source: enum members are placeholders."""

    @staticmethod
    def describe_got(value: Any) -> str:
        return describe_constant(value)


def describe_constant(value: Any, limit: int = 80) -> str:
    return describe_value(value, limit, "enum member" if isinstance(value, EnumMember) else None)


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _primitive(value: Any, name: str) -> Any:
    if name == "int" and _is_int(value):
        return value
    if name == "float" and (_is_int(value) or isinstance(value, float)):
        return float(value)
    if name == "str" and isinstance(value, str):
        return value
    if name == "bool" and isinstance(value, bool):
        return value
    if name == "bytes" and isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if name == "none" and value is None:
        return None
    if name == "datetime" and isinstance(value, dt.datetime):
        return value.isoformat()
    if name == "date" and isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if name == "timedelta" and isinstance(value, dt.timedelta):
        return value.total_seconds()
    raise LiteralMismatch("None" if name == "none" else name, value)


def encode(value: Any, spec: TypeSpec) -> Any:
    """JSON data for a constant of type ``spec``; raises :class:`LiteralMismatch`."""
    if isinstance(spec, PrimitiveType):
        return _primitive(value, spec.name)
    if isinstance(spec, ListType):
        if not isinstance(value, list):
            raise LiteralMismatch(render_type(spec), value)
        out = []
        for i, v in enumerate(value):
            try:
                out.append(encode(v, spec.item))
            except LiteralMismatch as e:
                raise e.within(f"[{i}]") from None
        return out
    if isinstance(spec, DictType):
        if not isinstance(value, dict):
            raise LiteralMismatch(render_type(spec), value)
        result = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise LiteralMismatch("str key", k, f"[{k!r}]")
            try:
                result[k] = encode(v, spec.value)
            except LiteralMismatch as e:
                raise e.within(f"[{k!r}]") from None
        return result
    if isinstance(spec, TupleType):
        if not isinstance(value, tuple) or len(value) != len(spec.items):
            raise LiteralMismatch(render_type(spec), value)
        items = []
        for i, (v, s) in enumerate(zip(value, spec.items)):
            try:
                items.append(encode(v, s))
            except LiteralMismatch as e:
                raise e.within(f"[{i}]") from None
        return items
    if isinstance(spec, UnionType):
        for variant in spec.variants:
            try:
                return encode(value, variant)
            except LiteralMismatch:
                continue
        raise LiteralMismatch(render_type(spec), value)
    if isinstance(spec, LiteralType):
        for allowed in spec.values:
            if type(value) is type(allowed) and value == allowed:
                return value
        raise LiteralMismatch(render_type(spec), value)
    if isinstance(spec, EnumType):
        if isinstance(value, EnumMember) and value.ref == spec.ref:
            return value.name
        raise LiteralMismatch(render_type(spec), value)
    if isinstance(spec, RecordType):
        raise LiteralMismatch(render_type(spec), value)
    raise TypeError(f"not a type spec: {spec!r}")


def literal_binding(value: Any, target: TypeSpec) -> LiteralBinding:
    return LiteralBinding(type=target, value=encode(value, target))


_PYTHON_TYPES = {int: "int", float: "float", str: "str", bool: "bool", bytes: "bytes", type(None): "none",
                 dt.datetime: "datetime", dt.date: "date", dt.timedelta: "timedelta"}


def type_of(value: Any) -> TypeSpec | None:
    """The type a constant's class has on its own (``type_spec(type(value))`` in the tracer)."""
    if isinstance(value, EnumMember):
        return EnumType(ref=value.ref, members=value.members)
    name = _PYTHON_TYPES.get(type(value))
    return primitive(name) if name is not None else None


def literal_for_condition(value: Any, other: TypeSpec) -> Binding | None:
    """The constant side of ``promise <op> constant``, typed like the Promise when it fits."""
    candidates = [other, *(other.variants if isinstance(other, UnionType) else ())]
    for candidate in candidates:
        try:
            return literal_binding(value, candidate)
        except LiteralMismatch:
            continue
    own = type_of(value)
    if own is None:
        return None
    try:
        return literal_binding(value, own)
    except LiteralMismatch:
        return None
