"""IR objects from JSON flowgen wrote itself, without validation (and without pydantic).

A generated module embeds its tasks' and workflows' IR as JSON and decodes it when imported;
that JSON is flowgen's own output (``model_dump_json``), so checking it again on every start of
the script only costs time: importing pydantic and building its validators was most of a
generated script's start-up. :func:`decode_json` rebuilds the objects from the IR classes'
annotations instead: an IR class from a JSON object (fields left out of the JSON take their
defaults), a union of IR classes by the object's ``kind``, tuples, dicts and optionals by their
items; everything else (strings, numbers, literals, ``Any``) as it is.

Data from anywhere else (a file a user may have edited, a cache) is validated by pydantic
(:mod:`flowgen.ir.pydantic_models`); :func:`decode_json` falls back to that validation when the
JSON is not what flowgen writes, so a damaged module still gets pydantic's located error.
"""

from __future__ import annotations

import json
import sys
import threading
import types
import typing
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

from flowgen.ir.base import REQUIRED, IRModel

__all__ = ["decode", "decode_json"]

M = TypeVar("M", bound=IRModel)
Decoder = Callable[[Any], Any]

# What the annotations name that only type checkers and pydantic import: plain stand-ins here.
_STAND_INS: dict[str, Any] = {"StrictInt": int, "StrictStr": str, "StrictBool": bool, "StrictFloat": float,
                              "Field": lambda **_: None, "Annotated": Annotated, "Any": Any,
                              "Literal": Literal, "Optional": typing.Optional, "Union": Union}
_by_class: dict[type, Decoder] = {}
_lock = threading.Lock()
_set_attr = object.__setattr__


class _NotFlowgenJson(Exception):
    pass


def _class_decoder(cls: type[IRModel]) -> Decoder:
    found = _by_class.get(cls)  # complete decoders only
    if found is None:
        with _lock:
            found = _by_class.get(cls)
            if found is None:
                building: dict[type, Decoder] = {}
                found = _build(cls, building)
                _by_class.update(building)  # published once every one of them is complete
    return found


def _build(cls: type[IRModel], building: dict[type, Decoder]) -> Decoder:
    found = _by_class.get(cls) or building.get(cls)
    if found is not None:
        return found
    fields: list[tuple[str, Decoder | None, bool, Any, Callable[[], Any] | None]] = []

    def decode_object(data: Any) -> Any:
        if type(data) is not dict:
            raise _NotFlowgenJson(f"{cls.__name__}: expected an object, got {type(data).__name__}")
        values: dict[str, Any] = {}
        present = 0
        for name, decoder, nullable, default, make in fields:
            if name in data:
                present += 1
                value = data[name]
                if value is None:
                    if not nullable:
                        raise _NotFlowgenJson(f"{cls.__name__}: {name!r} is null")
                    values[name] = None
                else:
                    values[name] = value if decoder is None else decoder(value)
            elif make is not None:
                values[name] = make()
            elif default is REQUIRED:
                raise _NotFlowgenJson(f"{cls.__name__}: no {name!r}")
            else:
                values[name] = default
        if len(data) > present:
            raise _NotFlowgenJson(f"{cls.__name__}: unknown field(s)")
        obj = cls.__new__(cls)
        _set_attr(obj, "__dict__", values)
        return obj

    building[cls] = decode_object  # before the fields: recursive types find it
    for name, info in cls.model_fields.items():
        namespace = {**vars(sys.modules[info.owner.__module__]), **_STAND_INS}
        annotation = eval(info.annotation, namespace)
        fields.append((name, _type_decoder(annotation, building), _nullable(annotation), info.default,
                       info.default_factory))
    return decode_object


def _nullable(tp: Any) -> bool:
    if tp is Any or tp is type(None) or tp is None:
        return True
    if get_origin(tp) is Annotated:
        return _nullable(get_args(tp)[0])
    return get_origin(tp) in (Union, types.UnionType) and any(_nullable(a) for a in get_args(tp))


def _to_float(value: Any) -> Any:
    return float(value) if type(value) is int else value  # JSON ``1`` in a float field, as pydantic


def _is_ir_class(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, IRModel)


def _type_decoder(tp: Any, building: dict[type, Decoder]) -> Decoder | None:
    """How to decode a JSON value of annotation ``tp``; None: it is the value as it is."""
    if _is_ir_class(tp):
        return _build(tp, building)
    if tp is float:
        return _to_float
    origin = get_origin(tp)
    if origin is Annotated:
        return _type_decoder(get_args(tp)[0], building)
    if origin in (Union, types.UnionType):
        members = [a for a in get_args(tp) if a is not type(None)]  # None never reaches a decoder
        if len(members) == 1:
            return _type_decoder(members[0], building)
        classes = [a for a in members if _is_ir_class(a)]
        if not classes:
            if all(a in (int, float, str, bool) or get_origin(a) is Literal for a in members):
                return None  # a scalar keeps the member it is (``int | float``: 1 stays an int)
            raise TypeError(f"flowgen.ir.decode cannot tell the members of {tp} apart")
        if len(classes) < len(members):
            raise TypeError(f"flowgen.ir.decode cannot tell the members of {tp} apart")
        by_kind = {c.model_fields["kind"].default: _build(c, building) for c in classes}

        def decode_variant(value: Any) -> Any:
            decoder = by_kind.get(value.get("kind")) if type(value) is dict else None
            if decoder is None:
                raise _NotFlowgenJson(f"no IR class of kind {value!r}")
            return decoder(value)

        return decode_variant
    args = get_args(tp)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            found = _type_decoder(args[0], building)
            if found is None:
                return tuple
            item: Decoder = found
            return lambda value: tuple(item(v) for v in value)
        items = [_type_decoder(a, building) for a in args]
        return lambda value: tuple(v if d is None else d(v) for d, v in zip(items, value, strict=True))
    if origin is dict:
        found = _type_decoder(args[1], building)
        if found is None:
            return dict
        value_item: Decoder = found
        return lambda value: {k: value_item(v) for k, v in value.items()}
    return None


def decode(cls: type[M], data: Any) -> M:
    """An IR object of ``cls`` from the JSON data flowgen wrote for it (not validated)."""
    result: M = _class_decoder(cls)(data)
    return result


def decode_json(cls: type[M], text: str | bytes) -> M:
    """:func:`decode` of JSON text; text that is not flowgen's JSON for ``cls`` is validated by
    pydantic instead, so its error names the field (``pydantic.ValidationError``)."""
    try:
        return decode(cls, json.loads(text))
    except (_NotFlowgenJson, ValueError, TypeError, KeyError, AttributeError):
        from flowgen.ir.pydantic_models import validate_json

        result: M = validate_json(cls, text)
        return result
