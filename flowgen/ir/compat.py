"""May a value of one type feed an input of another?  One pure function decides.

Decision table (``src`` is the producer's type, ``dst`` the consumer's):

=====================  ==========================================================
dst \\ src             rule
=====================  ==========================================================
union                  every variant of ``src`` fits some variant of ``dst``
                       (so ``T`` -> ``Optional[T]`` holds, the reverse does not)
primitive              same primitive; ``int`` -> ``float`` widens; ``bool`` is
                       *not* ``int``
list / dict / tuple    recurse on items (values are copied at every boundary,
                       so covariance is safe)
literal                ``src`` literal values are a subset of ``dst``'s
literal src            fits a primitive ``dst`` when every value has that type
enum / record          same ``ref`` (identity, never structure)
dict                   keys and values recurse (``dict[int, str]``)
opaque (either side)   fits: ``Any``, untyped and arbitrary-class values are
                       checked only at the boundary, by ``isinstance``
json (bare dict/list)  the same container, typed or bare, either way (the
                       values are validated when they cross the boundary)
file / directory       same kind; formats equal, or either side untyped
table                  any flavor (DataFrame, Arrow, StructuredDataset);
                       untyped on either side fits, else every ``dst`` column
                       is a ``src`` column of the same type
=====================  ==========================================================
"""

from __future__ import annotations

from functools import lru_cache
from typing import TypeVar

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

__all__ = ["common_type", "comparable", "is_assignable", "missing_columns", "variant_of", "wiring_hint"]

T = TypeVar("T")

_LITERAL_PRIMITIVE = {bool: "bool", int: "int", str: "str", type(None): "none"}


_by_id: dict[tuple[int, int], tuple[TypeSpec, TypeSpec, bool]] = {}


def is_assignable(src: TypeSpec, dst: TypeSpec) -> bool:
    """True when every value of type ``src`` is a valid value of type ``dst``."""
    if src is dst:
        return True
    hit = _by_id.get((id(src), id(dst)))
    if hit is not None and hit[0] is src and hit[1] is dst:
        return hit[2]
    result = _assignable(src, dst)
    if len(_by_id) < 100_000:
        _by_id[(id(src), id(dst))] = (src, dst, result)
    return result


@lru_cache(maxsize=4096)
def _assignable(src: TypeSpec, dst: TypeSpec) -> bool:
    if src == dst:
        return True
    if isinstance(src, OpaqueType) or isinstance(dst, OpaqueType):
        return True
    if isinstance(src, UnionType):
        return all(is_assignable(v, dst) for v in src.variants)
    if isinstance(dst, UnionType):
        return any(is_assignable(src, v) for v in dst.variants)
    if isinstance(src, LiteralType):
        if isinstance(dst, LiteralType):
            return all(_literal_in(v, dst.values) for v in src.values)
        return all(
            is_assignable(primitive(_LITERAL_PRIMITIVE[type(v)]), dst)
            for v in src.values
        )
    if isinstance(dst, PrimitiveType):
        return isinstance(src, PrimitiveType) and (
            src.name == dst.name or (src.name == "int" and dst.name == "float")
        )
    if isinstance(dst, JsonType) or isinstance(src, JsonType):
        return _json_container(src) == _json_container(dst) is not None
    if isinstance(dst, ListType):
        return isinstance(src, ListType) and is_assignable(src.item, dst.item)
    if isinstance(dst, DictType):
        return isinstance(src, DictType) and is_assignable(src.key, dst.key) and is_assignable(src.value, dst.value)
    if isinstance(dst, (FileType, DirectoryType)):
        return isinstance(src, type(dst)) and (not src.format or not dst.format or src.format == dst.format)
    if isinstance(dst, TableType):
        return isinstance(src, TableType) and _columns_fit(src, dst)
    if isinstance(dst, TupleType):
        return (
            isinstance(src, TupleType)
            and len(src.items) == len(dst.items)
            and all(is_assignable(s, d) for s, d in zip(src.items, dst.items))
        )
    if isinstance(dst, (EnumType, RecordType)):
        return isinstance(src, type(dst)) and src.ref == dst.ref
    return False


def _json_container(spec: TypeSpec) -> str | None:
    if isinstance(spec, JsonType):
        return spec.container
    if isinstance(spec, ListType):
        return "list"
    if isinstance(spec, DictType) and spec.key == primitive("str"):
        return "dict"
    return None


def _columns_fit(src: TableType, dst: TableType) -> bool:
    if src.columns is None or dst.columns is None:
        return True
    have = {c.name: c.type for c in src.columns}
    return all(c.name in have and have[c.name] == c.type for c in dst.columns)


def missing_columns(src: TableType, dst: TableType) -> list[str]:
    """The consumer's columns a producer's table lacks or types otherwise, as ``name: type`` (for messages)."""
    if src.columns is None or dst.columns is None:
        return []
    have = {c.name: c.type for c in src.columns}
    return [f"{c.name}: {c.type}" for c in dst.columns if have.get(c.name) != c.type]


def _literal_in(value: object, values: tuple[object, ...]) -> bool:
    return any(type(value) is type(v) and value == v for v in values)


def common_type(types: list[TypeSpec]) -> TypeSpec:
    """One type every one of ``types`` fits: the first that takes all the others, else the union of all.

    The output type of a ``conditional`` whose branches return ``types``.
    """
    for candidate in types:
        if all(is_assignable(t, candidate) for t in types):
            return candidate
    variants: list[TypeSpec] = []
    for t in types:
        for v in t.variants if isinstance(t, UnionType) else (t,):
            if v not in variants:
                variants.append(v)
    return UnionType(variants=tuple(variants))


def variant_of(spec: TypeSpec, cls: type[T]) -> T | None:
    """``spec`` itself when it is a ``cls``, else its first variant that is (``list`` of ``Optional[list[int]]``)."""
    if isinstance(spec, cls):
        return spec
    if isinstance(spec, UnionType):
        for v in spec.variants:
            if isinstance(v, cls):
                return v
    return None


def wiring_hint(src: TypeSpec, dst: TypeSpec) -> str | None:
    """The hint for a wiring error ``src`` -> ``dst`` (not assignable), when a common mistake explains it."""
    if isinstance(src, UnionType) and not isinstance(dst, UnionType):
        if any(getattr(v, "name", None) == "none" for v in src.variants):
            return "an Optional value cannot feed a non-Optional input; handle None in a task first"
        return "a union value cannot feed an input of one of its variants; narrow it in a task first"
    if getattr(src, "name", None) == "float" and getattr(dst, "name", None) == "int":
        return "float does not narrow to int; convert it in a task"
    if isinstance(src, (FileType, DirectoryType)) and isinstance(dst, type(src)):
        noun = "file" if isinstance(src, FileType) else "folder"
        return f"a {src.format!r} {noun} cannot feed a {dst.format!r} input; convert it in a task, or drop a format"
    if isinstance(src, TableType) and isinstance(dst, TableType):
        return f"the producer's table lacks or retypes column(s) {', '.join(missing_columns(src, dst))}"
    return None


_NUMERIC = frozenset({"int", "float", "none"})


def comparable(left: TypeSpec, right: TypeSpec) -> bool:
    """Whether values of two types can meaningfully be compared: one fits the other, or both are numbers.

    Both front ends decide ``promise <op> other`` with this rule (the tracer's graph
    builder and the static compiler's graph).
    """
    if is_assignable(left, right) or is_assignable(right, left):
        return True

    def numeric(spec: TypeSpec) -> bool:
        variants = spec.variants if isinstance(spec, UnionType) else (spec,)
        return all(isinstance(v, PrimitiveType) and v.name in _NUMERIC for v in variants)

    return numeric(left) and numeric(right)
