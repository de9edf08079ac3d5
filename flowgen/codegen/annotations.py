"""Type specs as Python annotations in generated code (``list[int]``, ``_m_mod.Order | None``).

User classes (enums, dataclasses, models, NamedTuples) are reached through an import
of the module that defines them; builtins through ``builtins`` when a user name
shadows them. Generated modules use ``from __future__ import annotations``, so these
are never evaluated at run time; they are for readers and for mypy.
"""

from __future__ import annotations

import ast

from flowgen.codegen.context import ModuleContext, attr_chain
from flowgen.codegen.errors import GenerationError
from flowgen.codegen.names import is_identifier
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
)

__all__ = ["GenerationError", "annotation", "class_ref"]


_PRIMITIVE_BUILTINS = {"int": "int", "float": "float", "str": "str", "bool": "bool", "bytes": "bytes"}
_DATETIME = {"datetime": "datetime", "date": "date", "timedelta": "timedelta"}


def class_ref(ctx: ModuleContext, ref: str) -> ast.expr:
    """The expression naming a user class ``module:Qual.Name`` (by import)."""
    module, sep, qualname = ref.partition(":")
    parts = qualname.split(".")
    if not sep or not module or not all(is_identifier(p) for p in parts) \
            or not all(is_identifier(p) for p in module.split(".")):
        raise GenerationError(f"cannot reach {ref!r} by import: not a module-level name")
    return attr_chain(ctx.module(module), *parts)


def _subscript(value: ast.expr, items: list[ast.expr]) -> ast.expr:
    index: ast.expr = items[0] if len(items) == 1 else ast.Tuple(elts=items, ctx=ast.Load())
    return ast.Subscript(value=value, slice=index, ctx=ast.Load())


def annotation(ctx: ModuleContext, spec: TypeSpec) -> ast.expr:
    if isinstance(spec, PrimitiveType):
        if spec.name == "none":
            return ast.Constant(value=None)
        if spec.name in _PRIMITIVE_BUILTINS:
            return ctx.builtin(_PRIMITIVE_BUILTINS[spec.name])
        return attr_chain(ctx.module("datetime"), _DATETIME[spec.name])
    if isinstance(spec, ListType):
        return _subscript(ctx.builtin("list"), [annotation(ctx, spec.item)])
    if isinstance(spec, DictType):
        return _subscript(ctx.builtin("dict"), [annotation(ctx, spec.key), annotation(ctx, spec.value)])
    if isinstance(spec, TupleType):
        items = [annotation(ctx, i) for i in spec.items] or [ast.Tuple(elts=[], ctx=ast.Load())]
        return _subscript(ctx.builtin("tuple"), items)
    if isinstance(spec, UnionType):
        variants = [annotation(ctx, v) for v in spec.variants]
        expr = variants[0]
        for v in variants[1:]:
            expr = ast.BinOp(left=expr, op=ast.BitOr(), right=v)
        return expr
    if isinstance(spec, LiteralType):
        return _subscript(attr_chain(ctx.module("typing"), "Literal"), [ast.Constant(value=v) for v in spec.values])
    if isinstance(spec, (EnumType, RecordType)):
        return class_ref(ctx, spec.ref)
    if isinstance(spec, OpaqueType):
        return class_ref(ctx, spec.ref) if spec.ref else attr_chain(ctx.module("typing"), "Any")
    if isinstance(spec, JsonType):
        any_ = attr_chain(ctx.module("typing"), "Any")
        if spec.container == "list":
            return _subscript(ctx.builtin("list"), [any_])
        return _subscript(ctx.builtin("dict"), [ctx.builtin("str"), any_])
    if isinstance(spec, FileType):
        return attr_chain(ctx.module("flowgen"), "FlyteFile")
    if isinstance(spec, DirectoryType):
        return attr_chain(ctx.module("flowgen"), "FlyteDirectory")
    if isinstance(spec, TableType):
        if spec.flavor == "pandas":
            return attr_chain(ctx.module("pandas"), "DataFrame")
        if spec.flavor == "arrow":
            return attr_chain(ctx.module("pyarrow"), "Table")
        return attr_chain(ctx.module("flowgen"), "StructuredDataset")
    raise GenerationError(f"unknown type spec {spec!r}")
