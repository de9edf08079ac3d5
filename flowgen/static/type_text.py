"""Spelling two types side by side in a wiring message.

``render_type`` names a dataclass, model, NamedTuple or enum by its class name alone,
which reads well until two modules define a class of the same name: "expects Point,
but ... is Point" explains nothing. Types are compared by identity of their
``module:QualName`` ref, so when the short spellings of two different types
coincide, both are spelled with their module (``models_b.Point``).
"""

from __future__ import annotations

from flowgen.ir.types import (
    DictType,
    EnumType,
    ListType,
    LiteralType,
    OpaqueType,
    PrimitiveType,
    RecordType,
    TableType,
    TupleType,
    TypeSpec,
    UnionType,
    render_type,
)

__all__ = ["render_pair"]


def render_pair(expected: TypeSpec, actual: TypeSpec) -> tuple[str, str]:
    """``(expected, actual)`` spelled so that two different types never read the same."""
    short = render_type(expected), render_type(actual)
    if short[0] != short[1] or expected == actual:
        return short
    return _qualified(expected), _qualified(actual)


def _qualified(spec: TypeSpec) -> str:
    if isinstance(spec, (PrimitiveType, LiteralType)):
        return render_type(spec)
    if isinstance(spec, ListType):
        return f"list[{_qualified(spec.item)}]"
    if isinstance(spec, DictType):
        return f"dict[{_qualified(spec.key)}, {_qualified(spec.value)}]"
    if isinstance(spec, TupleType):
        return f"tuple[{', '.join(_qualified(i) for i in spec.items)}]"
    if isinstance(spec, UnionType):
        return " | ".join(_qualified(v) for v in spec.variants)
    if isinstance(spec, TableType) and spec.columns:
        name = render_type(spec).partition("[")[0]
        return f"{name}[{', '.join(f'{c.name}={_qualified(c.type)}' for c in spec.columns)}]"
    if isinstance(spec, (EnumType, RecordType)) or (isinstance(spec, OpaqueType) and spec.ref):
        return spec.ref.replace(":", ".")
    return render_type(spec)  # files, folders, JSON containers, Any: their spelling is unique
