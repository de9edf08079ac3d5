"""Constants as IR literals, without importing user classes.

``encode(value, spec)`` is what ``codec.to_json(values.checker(spec)(value), spec)``
computes in the tracer (the reference), except that enum members are
:class:`~flowgen.static.values.EnumMember` placeholders instead of imported
members, so checking a value never resolves a reference by import.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

from flowgen.ir.model import Binding, LiteralBinding
from flowgen.ir.types import (
    DictType,
    DirectoryType,
    EnumType,
    FileType,
    JsonType,
    ListType,
    LiteralType,
    OpaqueType,
    PrimitiveType,
    RecordType,
    TableType,
    TupleType,
    TypeSpec,
    UnionType,
    primitive,
    render_type,
)
from flowgen.ir.values import TypeMismatch, checker, describe_value
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
            k = _key(k, spec.key)
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
    if isinstance(spec, JsonType):
        return _json(value, spec)
    if isinstance(spec, OpaqueType):
        if spec.ref:  # an instance of a class; no constant is one (and none travels as JSON)
            raise LiteralMismatch(render_type(spec), value)
        return _json([value], JsonType(container="list"), f"a JSON-compatible value ({spec} values travel "
                     "pickled, never as JSON)")[0]
    if isinstance(spec, (FileType, DirectoryType)):
        if isinstance(value, str) and value:  # a path or URL: the tracer stores a local one first
            return value
        raise LiteralMismatch(f"{render_type(spec)} (a {'file' if isinstance(spec, FileType) else 'folder'} "
                              f"path or {render_type(spec).partition('[')[0]})", value)
    if isinstance(spec, TableType):
        raise LiteralMismatch(render_type(spec), value)
    raise TypeError(f"not a type spec: {spec!r}")


def _key(key: Any, spec: TypeSpec) -> str:
    """A dict key as the JSON object key the codec writes (``1`` -> ``"1"``)."""
    if spec == primitive("str"):
        if not isinstance(key, str):
            raise LiteralMismatch("str key", key, f"[{key!r}]")
        return key
    try:
        data = encode(key, spec)
    except LiteralMismatch:
        raise LiteralMismatch(f"{render_type(spec)} key", key, f"[{key!r}]") from None
    return data if isinstance(data, str) else json.dumps(data)


def _json(value: Any, spec: JsonType, expected: str | None = None) -> Any:
    """A bare ``dict``/``list`` constant: JSON-compatible values only (the runtime's check)."""
    if any(isinstance(v, EnumMember) for v in _walk(value)):
        raise LiteralMismatch(expected or f"{spec.container} (of JSON-compatible values)", value)
    try:
        return checker(spec)(value)
    except LiteralMismatch:
        raise
    except TypeMismatch as exc:
        if expected is not None:
            raise LiteralMismatch(expected, value) from None
        raise LiteralMismatch(exc.expected, exc.value, exc.path) from None


def _walk(value: Any) -> list[Any]:
    out = [value]
    if isinstance(value, (list, tuple)):
        for v in value:
            out.extend(_walk(v))
    elif isinstance(value, dict):
        for v in value.values():
            out.extend(_walk(v))
    return out


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
