"""JSON encoding of values, driven by their type spec.

Used for literals and defaults in the IR, CLI inputs, ``--json`` output and the
cache. Decoding builds values from JSON data only (never unpickles, never
imports anything but the user's own classes named by the spec), so reading a
cache or an IR file cannot execute code.

=============  ==========================  ===============================
type           JSON                         note
=============  ==========================  ===============================
bytes          base64 string
datetime/date  ISO 8601 string
timedelta      seconds (number)
enum           member name                  decoding also accepts the value
record         object of fields
tuple          array
dict           object                       non-``str`` keys as strings: ``1``
                                            -> ``"1"``, enum -> member name
bare dict/list the JSON value itself
opaque         the value, when it is JSON   otherwise an error: opaque values
               (``Any``)                    travel pickled, never as JSON
file/dir/table ``flowgen.data.codec``        the store URI and metadata
=============  ==========================  ===============================
"""

from __future__ import annotations

import base64
import datetime as dt
import enum
import json
from typing import Any

from flowgen.ir import data_kinds, refs
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
)
from flowgen.ir.values import TypeMismatch, checker

__all__ = ["from_json", "to_json"]


def to_json(value: Any, spec: TypeSpec) -> Any:
    """JSON-compatible data for a value already valid for ``spec``."""
    if isinstance(spec, PrimitiveType):
        if spec.name == "bytes":
            return base64.b64encode(value).decode("ascii")
        if spec.name in ("datetime", "date"):
            return value.isoformat()
        if spec.name == "timedelta":
            return value.total_seconds()
        if spec.name == "float":
            return float(value)
        return value
    if isinstance(spec, ListType):
        return [to_json(v, spec.item) for v in value]
    if isinstance(spec, DictType):
        return {_key_to_json(k, spec.key): to_json(v, spec.value) for k, v in value.items()}
    if isinstance(spec, TupleType):
        return [to_json(v, s) for v, s in zip(value, spec.items)]
    if isinstance(spec, JsonType):
        return checker(spec)(value)
    if isinstance(spec, OpaqueType):
        return _opaque_to_json(value, spec)
    if isinstance(spec, (FileType, DirectoryType, TableType)):
        return data_kinds.plane().to_json(value, spec)
    if isinstance(spec, UnionType):
        for variant in spec.variants:
            try:
                checker(variant)(value)
            except TypeMismatch:
                continue
            return to_json(value, variant)
        raise TypeMismatch(str(spec), value)
    if isinstance(spec, LiteralType):
        return value
    if isinstance(spec, EnumType):
        return value.name
    if isinstance(spec, RecordType):
        return {f.name: to_json(getattr(value, f.name), f.type) for f in spec.fields}
    raise TypeError(f"not a type spec: {spec!r}")


def from_json(data: Any, spec: TypeSpec) -> Any:
    """The value of type ``spec`` that ``data`` encodes; raises :class:`TypeMismatch`."""
    if isinstance(spec, PrimitiveType):
        name = spec.name
        try:
            if name == "bytes" and isinstance(data, str):
                return base64.b64decode(data.encode("ascii"), validate=True)
            if name == "datetime" and isinstance(data, str):
                return dt.datetime.fromisoformat(data)
            if name == "date" and isinstance(data, str):
                return dt.date.fromisoformat(data)
            if name == "timedelta" and isinstance(data, (int, float)) and not isinstance(data, bool):
                return dt.timedelta(seconds=data)
        except ValueError:
            raise TypeMismatch(str(spec), data) from None
        return checker(spec)(data)
    if isinstance(spec, ListType):
        if not isinstance(data, list):
            raise TypeMismatch(str(spec), data)
        return [_at(f"[{i}]", from_json, v, spec.item) for i, v in enumerate(data)]
    if isinstance(spec, DictType):
        if not isinstance(data, dict):
            raise TypeMismatch(str(spec), data)
        return {_key_from_json(k, spec.key): _at(f"[{k!r}]", from_json, v, spec.value) for k, v in data.items()}
    if isinstance(spec, JsonType):
        return checker(spec)(data)
    if isinstance(spec, OpaqueType):
        if spec.ref:
            raise TypeMismatch(f"{spec} (opaque values cannot be given as JSON)", data)
        return checker(JsonType(container="list"))([data])[0]
    if isinstance(spec, (FileType, DirectoryType, TableType)):
        return data_kinds.plane().from_json(data, spec)
    if isinstance(spec, TupleType):
        if not isinstance(data, list) or len(data) != len(spec.items):
            raise TypeMismatch(str(spec), data)
        return tuple(_at(f"[{i}]", from_json, v, s) for i, (v, s) in enumerate(zip(data, spec.items)))
    if isinstance(spec, UnionType):
        for variant in spec.variants:
            try:
                return from_json(data, variant)
            except TypeMismatch:
                continue
        raise TypeMismatch(str(spec), data)
    if isinstance(spec, LiteralType):
        return checker(spec)(data)
    if isinstance(spec, EnumType):
        cls = refs.resolve(spec.ref)
        if isinstance(data, str) and data in spec.members:
            return cls[data]
        for member in cls:
            if type(member.value) is type(data) and member.value == data:
                return member
        raise TypeMismatch(f"{spec} (one of {', '.join(spec.members)})", data)
    if isinstance(spec, RecordType):
        if not isinstance(data, dict):
            raise TypeMismatch(str(spec), data)
        known = {f.name for f in spec.fields}
        unknown = sorted(set(data) - known)
        if unknown:
            raise TypeMismatch(f"{spec} (fields {', '.join(sorted(known))})", data, f".{unknown[0]}")
        values = {}
        for f in spec.fields:
            if f.name in data:
                values[f.name] = _at(f".{f.name}", from_json, data[f.name], f.type)
            elif not f.has_default:
                raise TypeMismatch(f"{spec} with field {f.name!r}", data)
        cls = refs.resolve(spec.ref)
        try:
            return cls(**values)
        except Exception as exc:  # a user-defined __init__/validator rejected it
            raise TypeMismatch(f"{spec} ({exc})", data) from None
    raise TypeError(f"not a type spec: {spec!r}")


_STR = primitive("str")


def _key_to_json(key: Any, spec: TypeSpec) -> str:
    """A dict key as a JSON object key: itself for ``str``, else its JSON encoding as text
    (``1`` -> ``"1"``, ``True`` -> ``"true"``), an enum by member name, a date in ISO 8601."""
    if spec == _STR:
        return key  # type: ignore[no-any-return]
    data = to_json(key, spec)
    return data if isinstance(data, str) else json.dumps(data)


def _key_from_json(key: str, spec: TypeSpec) -> Any:
    if spec == _STR:
        return key
    try:
        return from_json(key, spec)
    except TypeMismatch:
        pass
    try:
        data = json.loads(key)
    except ValueError:
        raise TypeMismatch(f"{spec} key", key, f"[{key!r}]") from None
    try:
        return from_json(data, spec)
    except TypeMismatch:
        raise TypeMismatch(f"{spec} key", key, f"[{key!r}]") from None


def _opaque_to_json(value: Any, spec: OpaqueType) -> Any:
    if not spec.ref:
        try:
            return checker(JsonType(container="list"))([value])[0]
        except TypeMismatch:
            pass
    raise TypeMismatch(f"a JSON-compatible value ({spec} values travel pickled, never as JSON)", value)


def _at(step: str, fn: Any, data: Any, spec: TypeSpec) -> Any:
    try:
        return fn(data, spec)
    except TypeMismatch as e:
        raise e.within(step) from None


def is_enum_class(obj: Any) -> bool:
    return isinstance(obj, type) and issubclass(obj, enum.Enum)
