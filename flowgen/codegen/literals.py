"""Literal values (JSON-encoded in the IR) as Python expressions that build a fresh value.

A literal is spelled as Python when its type allows (numbers, strings, lists, dicts,
tuples, dates, enum members by name, records by field) and evaluates to exactly what
``from_json(data, type)`` returns, as a *new* object every time the line runs (a task
that mutates a literal input never changes the next run's). Otherwise (an enum given
by value, say) the generated line calls ``_fg.decode(data, TYPE)`` at run time.

Data that cannot decode to its type is an error before anything is emitted.
"""

from __future__ import annotations

import ast
import base64
import binascii
import datetime as dt
from collections.abc import Callable
from typing import Any

from flowgen.codegen.annotations import GenerationError, class_ref
from flowgen.codegen.context import ModuleContext, attr_chain
from flowgen.codegen.names import is_identifier
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
    render_type,
)

__all__ = ["is_immutable", "json_expr", "literal_expr"]


class _NotStatic(Exception):
    """The value can only be decoded at run time (it needs the user's class)."""


class _Mismatch(Exception):
    """The data does not decode to the type."""


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _call(func: ast.expr, *args: ast.expr, **kwargs: ast.expr) -> ast.expr:
    return ast.Call(func=func, args=list(args), keywords=[ast.keyword(arg=k, value=v) for k, v in kwargs.items()])


def _primitive(ctx: ModuleContext, data: Any, name: str) -> ast.expr:
    if name == "int" and _is_int(data):
        return ast.Constant(value=int(data))
    if name == "float" and (_is_int(data) or isinstance(data, float)):
        return ast.Constant(value=float(data))
    if name == "str" and isinstance(data, str):
        return ast.Constant(value=str(data))
    if name == "bool" and isinstance(data, bool):
        return ast.Constant(value=data)
    if name == "none" and data is None:
        return ast.Constant(value=None)
    if name == "bytes" and isinstance(data, str):
        try:
            return ast.Constant(value=base64.b64decode(data.encode("ascii"), validate=True))
        except (binascii.Error, ValueError, UnicodeEncodeError):
            raise _Mismatch from None
    if name in ("datetime", "date") and isinstance(data, str):
        cls = dt.datetime if name == "datetime" else dt.date
        try:
            cls.fromisoformat(data)
        except ValueError:
            raise _Mismatch from None
        return _call(attr_chain(ctx.module("datetime"), name, "fromisoformat"), ast.Constant(value=data))
    if name == "timedelta" and (_is_int(data) or isinstance(data, float)):
        return _call(attr_chain(ctx.module("datetime"), "timedelta"), seconds=ast.Constant(value=data))
    raise _Mismatch


def _static(ctx: ModuleContext, data: Any, spec: TypeSpec) -> ast.expr:
    if isinstance(spec, PrimitiveType):
        return _primitive(ctx, data, spec.name)
    if isinstance(spec, ListType):
        if not isinstance(data, list):
            raise _Mismatch
        return ast.List(elts=[_static(ctx, v, spec.item) for v in data], ctx=ast.Load())
    if isinstance(spec, DictType):
        if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
            raise _Mismatch
        return ast.Dict(keys=[ast.Constant(value=k) for k in data],
                        values=[_static(ctx, v, spec.value) for v in data.values()])
    if isinstance(spec, TupleType):
        if not isinstance(data, list) or len(data) != len(spec.items):
            raise _Mismatch
        return ast.Tuple(elts=[_static(ctx, v, s) for v, s in zip(data, spec.items)], ctx=ast.Load())
    if isinstance(spec, UnionType):
        for variant in spec.variants:  # from_json takes the first variant that decodes
            try:
                return _static(ctx, data, variant)
            except _Mismatch:
                continue
        raise _Mismatch
    if isinstance(spec, LiteralType):
        for allowed in spec.values:
            if type(allowed) is type(data) and allowed == data:
                return ast.Constant(value=data)
        raise _Mismatch
    if isinstance(spec, EnumType):
        if isinstance(data, str) and data in spec.members:
            cls = class_ref(ctx, spec.ref)
            if is_identifier(data) and not data.startswith("_") and data not in ("name", "value"):
                return ast.Attribute(value=cls, attr=data, ctx=ast.Load())
            return ast.Subscript(value=cls, slice=ast.Constant(value=data), ctx=ast.Load())
        raise _NotStatic  # a member given by value: only the class knows
    if isinstance(spec, RecordType):
        if not isinstance(data, dict):
            raise _Mismatch
        known = {f.name for f in spec.fields}
        if set(data) - known:
            raise _Mismatch
        kwargs = {}
        for f in spec.fields:
            if f.name in data:
                if not is_identifier(f.name):
                    raise _NotStatic
                kwargs[f.name] = _static(ctx, data[f.name], f.type)
            elif not f.has_default:
                raise _Mismatch
        return _call(class_ref(ctx, spec.ref), **kwargs)
    raise GenerationError(f"unknown type spec {spec!r}")


def json_expr(data: Any) -> ast.expr:
    """JSON data as a Python expression (for ``_fg.decode``)."""
    if isinstance(data, list):
        return ast.List(elts=[json_expr(v) for v in data], ctx=ast.Load())
    if isinstance(data, dict):
        return ast.Dict(keys=[ast.Constant(value=str(k)) for k in data], values=[json_expr(v) for v in data.values()])
    if data is None or isinstance(data, (bool, int, float, str)):
        return ast.Constant(value=data)
    raise GenerationError(f"not JSON data: {data!r}")


def literal_expr(ctx: ModuleContext, data: Any, spec: TypeSpec, type_const: Callable[[TypeSpec], ast.expr],
                 what: str) -> ast.expr:
    """An expression that builds ``from_json(data, spec)`` afresh each time it runs."""
    try:
        return _static(ctx, data, spec)
    except _NotStatic:
        return _call(ctx.helper_attr("decode"), json_expr(data), type_const(spec))
    except _Mismatch:
        raise GenerationError(f"{what}: {data!r} is not a {render_type(spec)}") from None


def is_immutable(expr: ast.expr) -> bool:
    """Whether a literal expression builds an immutable value (safe as a Python default)."""
    if isinstance(expr, ast.Constant):
        return True
    if isinstance(expr, ast.Tuple):
        return all(is_immutable(e) for e in expr.elts)
    if isinstance(expr, (ast.Attribute, ast.Subscript)):  # an enum member
        return True
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and isinstance(expr.func.value, ast.Attribute):
        return expr.func.attr == "fromisoformat"  # dates are immutable; records are not
    return bool(isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "timedelta")
