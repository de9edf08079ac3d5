"""Small helpers over mypy types: Promise construction and inspection."""

from __future__ import annotations

from mypy.nodes import TypeInfo
from mypy.plugin import CheckerPluginInterface
from mypy.types import (
    AnyType,
    Instance,
    NoneType,
    ProperType,
    TupleType,
    Type,
    TypeOfAny,
    UnionType,
    get_proper_type,
)

import flowgen.mypy_plugin.names as names


def is_instance_of(typ: Type, fullname: str) -> bool:
    proper = get_proper_type(typ)
    return isinstance(proper, Instance) and proper.type.has_base(fullname)


def promised(typ: Type) -> Type | None:
    """``T`` of a ``Promise[T]``, else None."""
    proper = get_proper_type(typ)
    if isinstance(proper, Instance) and proper.type.fullname == names.PROMISE and proper.args:
        return proper.args[0]
    return None


def contains_promise(typ: Type) -> bool:
    proper = get_proper_type(typ)
    if promised(proper) is not None:
        return True
    if isinstance(proper, UnionType):
        return any(contains_promise(item) for item in proper.items)
    return False


def flowgen_instance(api: CheckerPluginInterface, fullname: str, args: list[Type]) -> Instance:
    """An instance of a class of the stubs, found by module (the checker's dotted lookup
    needs every package on the way to have been imported by name)."""
    module, _, name = fullname.rpartition(".")
    tree = api.modules.get(module) if hasattr(api, "modules") else None
    sym = tree.names.get(name) if tree is not None else None
    if sym is not None and isinstance(sym.node, TypeInfo):
        return Instance(sym.node, args)
    return api.named_generic_type(fullname, args)


def promise_of(api: CheckerPluginInterface, typ: Type) -> Instance:
    return flowgen_instance(api, names.PROMISE, [typ])


def is_named_tuple(typ: ProperType) -> bool:
    return isinstance(typ, TupleType) and typ.partial_fallback.type.fullname != "builtins.tuple"


def call_result(api: CheckerPluginInterface, declared: Type) -> Type:
    """What calling a node inside a workflow or @dynamic body returns.

    ========================  ==============================================
    declared output           result
    ========================  ==============================================
    ``None``                  ``NodeHandle`` (only good for ``a >> b``)
    ``tuple[A, B]``           ``tuple[Promise[A], Promise[B]]``
    a NamedTuple ``NT``       the same, keeping ``NT``'s field names
    anything else ``R``       ``Promise[R]``
    ========================  ==============================================
    """
    proper = get_proper_type(declared)
    if isinstance(proper, NoneType):
        return flowgen_instance(api, names.NODE_HANDLE, [])
    if isinstance(proper, TupleType):
        return proper.copy_modified(items=[promise_of(api, item) for item in proper.items])
    if isinstance(proper, AnyType):
        return AnyType(TypeOfAny.from_another_any, source_any=proper)
    return promise_of(api, declared)


def strip_optional(typ: Type) -> ProperType:
    proper = get_proper_type(typ)
    if isinstance(proper, UnionType):
        rest = [item for item in proper.items if not isinstance(get_proper_type(item), NoneType)]
        if len(rest) == 1:
            return get_proper_type(rest[0])
    return proper
