"""``Echo(name, inputs={"a": int, "b": str})``: a task returning its inputs.

Typed ``Echo[(a: int, b: str), tuple[int, str]]`` (one input: ``Echo[(a: int), int]``;
none: ``None``) when ``inputs`` is a dict literal of names to classes; otherwise the
stub's ``Echo[..., Any]``.
"""

from __future__ import annotations

from mypy.nodes import ARG_POS, DictExpr, RefExpr, StrExpr, TypeInfo
from mypy.plugin import FunctionContext
from mypy.types import AnyType, Instance, NoneType, Parameters, TupleType, Type, TypeOfAny, get_proper_type


def echo_construction(ctx: FunctionContext) -> Type:
    echo = get_proper_type(ctx.default_return_type)
    if not isinstance(echo, Instance):
        return ctx.default_return_type
    inputs = None
    for name, exprs in zip(ctx.callee_arg_names, ctx.args):
        if name == "inputs" and exprs:
            inputs = exprs[0]
    if not isinstance(inputs, DictExpr):
        return ctx.default_return_type
    names: list[str | None] = []
    types: list[Type] = []
    for key, value in inputs.items:
        if not isinstance(key, StrExpr):
            return ctx.default_return_type
        names.append(key.value)
        if isinstance(value, RefExpr) and isinstance(value.node, TypeInfo):
            info = value.node
            types.append(Instance(info, [AnyType(TypeOfAny.special_form)] * len(info.defn.type_vars)))
        else:
            types.append(AnyType(TypeOfAny.special_form))
    params = Parameters(types, [ARG_POS] * len(types), names)
    if not types:
        output: Type = NoneType()
    elif len(types) == 1:
        output = types[0]
    else:
        output = TupleType(types, ctx.api.named_generic_type("builtins.tuple", [AnyType(TypeOfAny.special_form)]))
    return echo.copy_modified(args=[params, output])
