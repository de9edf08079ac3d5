"""``p.field`` and ``p[key]`` on a ``Promise[T]``: Promises of the member's type, as at run time.

=====================  ==============================  ==================================
expression             ``T``                           result
=====================  ==============================  ==================================
``p.name``             a class with a field ``name``   ``Promise[type of the field]``
                       (dataclass, pydantic model,
                       NamedTuple; ``Optional`` is
                       looked through)
``p[i]``               ``list[X]``, int ``i``          ``Promise[X]``
``p[i]``               ``tuple[...]``/NamedTuple,      ``Promise[item i]``
                       constant int ``i`` in range
``p["k"]``             ``dict[str, V]``                ``Promise[V]``
anything else          --                              flowgen-wiring error
``p[q]``, q a Promise  --                              flowgen-promise error
=====================  ==============================  ==================================

The attribute hook also serves NamedTuple outputs of a call inside a body, which are
typed as the NamedTuple with Promise items (``out.slope`` is ``Promise[float]``).
"""

from __future__ import annotations

from mypy.expandtype import expand_type_by_instance
from mypy.maptype import map_instance_to_supertype
from mypy.nodes import Expression, FuncDef, IntExpr, UnaryExpr, Var
from mypy.plugin import AttributeContext, CheckerPluginInterface, MethodContext
from mypy.types import AnyType, CallableType, Instance, LiteralType, TupleType, Type, TypeOfAny, get_proper_type

import flowgen.mypy_plugin.codes as codes
import flowgen.mypy_plugin.names as names
from flowgen.mypy_plugin.messages import report, show
from flowgen.mypy_plugin.types_util import is_instance_of, promise_of, promised, strip_optional


def _error() -> Type:
    return AnyType(TypeOfAny.from_error)


def field_type(typ: Type, name: str) -> Type | None:
    """The type of field ``name`` of ``typ`` (a class instance or NamedTuple), or None."""
    proper = strip_optional(typ)
    if isinstance(proper, AnyType):
        return proper
    if isinstance(proper, TupleType):
        proper = proper.partial_fallback
    if not isinstance(proper, Instance):
        return None
    sym = proper.type.get(name)
    if sym is None or not isinstance(sym.node, Var) or sym.node.type is None or sym.node.is_classvar:
        return None
    owner = sym.node.info
    base = map_instance_to_supertype(proper, owner) if owner is not None else proper
    return expand_type_by_instance(sym.node.type, base)


def _fields(typ: Type) -> list[str]:
    """Field names in declaration order (a NamedTuple's from its ``__new__``: symbol
    tables read back from mypy's cache are sorted by name)."""
    proper = strip_optional(typ)
    if isinstance(proper, TupleType):
        proper = proper.partial_fallback
    if not isinstance(proper, Instance):
        return []
    if proper.type.tuple_type is not None:
        new = proper.type.get("__new__")
        new_type = new.node.type if new is not None and isinstance(new.node, FuncDef) else None
        if isinstance(new_type, CallableType):
            return [name for name in new_type.arg_names[1:] if name is not None]
    return [
        name
        for name, sym in proper.type.names.items()
        if isinstance(sym.node, Var) and not sym.node.is_classvar and not name.startswith("_")
    ]


def _member_name(ctx: AttributeContext) -> str:
    context = ctx.context
    return getattr(context, "name", "?")


def promise_attribute(ctx: AttributeContext) -> Type:
    name = _member_name(ctx)
    inner = promised(ctx.type)
    if inner is None or name in names.PROMISE_MEMBERS:
        return ctx.default_attr_type
    member = field_type(inner, name)
    if member is not None:
        return promise_of(ctx.api, member)
    fields = _fields(inner)
    report(
        ctx.api,
        f'{show(ctx.api, ctx.type)} has no field "{name}"',
        ctx.context,
        codes.FLOWGEN_WIRING,
        f"{show(ctx.api, inner)} has fields: {', '.join(fields)}" if fields else "",
    )
    return _error()


def named_tuple_output_field(ctx: AttributeContext) -> Type:
    """``out.slope`` where ``out`` is a NamedTuple output of a call inside a body."""
    proper = get_proper_type(ctx.type)
    if not isinstance(proper, TupleType) or not proper.items or promised(proper.items[0]) is None:
        return ctx.default_attr_type
    name = _member_name(ctx)
    fields = _fields(proper)
    if name in fields:
        index = fields.index(name)
        if index < len(proper.items):
            return proper.items[index]
    return ctx.default_attr_type


def _constant_int(expr: Expression) -> int | None:
    if isinstance(expr, IntExpr):
        return expr.value
    if isinstance(expr, UnaryExpr) and expr.op == "-" and isinstance(expr.expr, IntExpr):
        return -expr.expr.value
    return None


def promise_index(ctx: MethodContext) -> Type:
    inner = promised(ctx.type)
    if inner is None or not ctx.args or not ctx.args[0]:
        return ctx.default_return_type
    key_expr = ctx.args[0][0]
    key_type = get_proper_type(ctx.arg_types[0][0])
    if promised(key_type) is not None or is_instance_of(key_type, names.CONDITION):
        report(
            ctx.api,
            "Indexing with a Promise: the index is known only when the workflow runs",
            key_expr,
            codes.FLOWGEN_PROMISE,
            "pass both to a task, or make this a @dynamic",
        )
        return _error()
    item = _item_type(ctx.api, inner, key_expr, key_type)
    if item is None:
        report(
            ctx.api,
            f"Cannot index {show(ctx.api, ctx.type)} with {show(ctx.api, key_type)}",
            ctx.context,
            codes.FLOWGEN_WIRING,
            "lists and tuples take constant int indexes, dicts constant str keys",
        )
        return _error()
    return promise_of(ctx.api, item)


def _key_is(key_type: Type, fullname: str) -> bool:
    proper = get_proper_type(key_type)
    if isinstance(proper, LiteralType):
        proper = proper.fallback
    return isinstance(proper, Instance) and proper.type.fullname == fullname


def _item_type(api: CheckerPluginInterface, container: Type, key_expr: Expression, key_type: Type) -> Type | None:
    proper = strip_optional(container)
    if isinstance(proper, AnyType):
        return proper
    if isinstance(proper, TupleType):
        index = _constant_int(key_expr)
        if index is not None and -len(proper.items) <= index < len(proper.items):
            return proper.items[index]
        return None
    if not isinstance(proper, Instance):
        return None
    name = proper.type.fullname
    if name == "builtins.list" and _key_is(key_type, "builtins.int") and proper.args:
        return proper.args[0]
    if name == "builtins.dict" and _key_is(key_type, "builtins.str") and len(proper.args) == 2:
        return proper.args[1]
    return None
