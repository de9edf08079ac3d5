"""Wiring compatibility on mypy types, mirroring flowgen/ir/compat.py (the runtime rule).

==================  ===========================================================
dst \\ src          rule
==================  ===========================================================
Any, Never src      fits
union src           every variant fits ``dst``
union dst           ``src`` fits some variant (``T`` -> ``Optional[T]``, not back)
``int``             ``int`` only: ``bool`` is *not* ``int``
``float``           ``float`` or ``int`` (widening)
list / dict         recurse on items / values: values are copied at every node
                    boundary, so covariance is safe (mypy's own ``list`` is
                    invariant, which the runtime is not)
tuple               same length, recurse
literal src         its fallback type
anything else       mypy's subtype check (dataclasses, models, enums by class)
==================  ===========================================================
"""

from __future__ import annotations

from mypy.subtypes import is_subtype
from mypy.types import (
    AnyType,
    Instance,
    LiteralType,
    NoneType,
    TupleType,
    Type,
    UninhabitedType,
    UnionType,
    get_proper_type,
)

_PROMISE = "flowgen.tracing.promise.Promise"
_LISTS = ("builtins.list", "builtins.tuple")
_DICTS = ("builtins.dict",)


def is_wiring_compatible(src: Type, dst: Type) -> bool:
    """True when the runtime accepts every value of ``src`` for an input of type ``dst``."""
    s = get_proper_type(src)
    d = get_proper_type(dst)
    if isinstance(s, Instance) and s.type.fullname == _PROMISE and s.args:
        return is_wiring_compatible(s.args[0], d)  # a Promise inside a list literal, say
    if isinstance(s, (AnyType, UninhabitedType)) or isinstance(d, AnyType):
        return True
    if isinstance(s, UnionType):
        return all(is_wiring_compatible(item, d) for item in s.items)
    if isinstance(d, UnionType):
        return any(is_wiring_compatible(s, item) for item in d.items)
    if isinstance(s, LiteralType):
        return is_wiring_compatible(s.fallback, d)
    if isinstance(s, NoneType) or isinstance(d, NoneType):
        return isinstance(s, NoneType) and isinstance(d, NoneType)
    if isinstance(s, TupleType) and isinstance(d, TupleType):
        return len(s.items) == len(d.items) and all(
            is_wiring_compatible(a, b) for a, b in zip(s.items, d.items)
        )
    if isinstance(s, Instance) and isinstance(d, Instance):
        src_name, dst_name = s.type.fullname, d.type.fullname
        if dst_name == "builtins.int":
            return src_name == "builtins.int"
        if dst_name == "builtins.float":
            return src_name in ("builtins.int", "builtins.float")
        if dst_name in _LISTS and src_name in _LISTS and s.args and d.args:
            return is_wiring_compatible(s.args[0], d.args[0])
        if dst_name in _DICTS and src_name in _DICTS and len(s.args) == 2 and len(d.args) == 2:
            return is_subtype(s.args[0], d.args[0]) and is_wiring_compatible(s.args[1], d.args[1])
        if src_name == "builtins.bool" and dst_name != "builtins.bool" and d.type.has_base("builtins.int"):
            return False
    return is_subtype(s, d)


def common_type(types: list[Type]) -> Type:
    """The runtime's common type of conditional branches: the first that all others fit, else a union."""
    proper = [t for t in types if not isinstance(get_proper_type(t), UninhabitedType)]
    if not proper:
        return UninhabitedType()
    for candidate in proper:
        if all(is_wiring_compatible(t, candidate) for t in proper):
            return candidate
    return UnionType.make_union(proper)
