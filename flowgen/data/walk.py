"""Visit the files, folders and tables inside a value, by its type.

``map_data(value, spec, fn)`` rebuilds ``value`` with every stored file, folder or table
``v`` (of type ``t``) replaced by ``fn(v, t)``; everything else is kept as it is. Used by
the cache (keys, keeping bytes) and the run report.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flowgen.ir.types import (
    DictType,
    DirectoryType,
    FileType,
    ListType,
    RecordType,
    TableType,
    TupleType,
    TypeSpec,
    UnionType,
)
from flowgen.ir.values import has_data

__all__ = ["data_leaves", "map_data"]

Leaf = FileType | DirectoryType | TableType


def map_data(value: Any, spec: TypeSpec, fn: Callable[[Any, Leaf], Any]) -> Any:
    if value is None or not has_data(spec):
        return value
    if isinstance(spec, (FileType, DirectoryType, TableType)):
        return fn(value, spec)
    if isinstance(spec, ListType):
        return [map_data(v, spec.item, fn) for v in value]
    if isinstance(spec, DictType):
        return {k: map_data(v, spec.value, fn) for k, v in value.items()}
    if isinstance(spec, TupleType):
        return tuple(map_data(v, s, fn) for v, s in zip(value, spec.items))
    if isinstance(spec, UnionType):
        for variant in spec.variants:
            if _fits(value, variant):
                return map_data(value, variant, fn)
        return value
    if isinstance(spec, RecordType):
        changes = {f.name: map_data(getattr(value, f.name), f.type, fn) for f in spec.fields if has_data(f.type)}
        if spec.flavor == "namedtuple":
            return value._replace(**changes)
        import copy

        out = copy.copy(value)
        for name, v in changes.items():
            object.__setattr__(out, name, v)
        return out
    return value


def _fits(value: Any, spec: TypeSpec) -> bool:
    from flowgen.data.files import FlyteDirectory, FlyteFile
    from flowgen.data.tables import StructuredDataset

    if isinstance(spec, FileType):
        return isinstance(value, FlyteFile)
    if isinstance(spec, DirectoryType):
        return isinstance(value, FlyteDirectory)
    if isinstance(spec, TableType):
        return isinstance(value, StructuredDataset)
    if isinstance(spec, ListType):
        return isinstance(value, list)
    if isinstance(spec, DictType):
        return isinstance(value, dict)
    if isinstance(spec, TupleType):
        return isinstance(value, tuple)
    return has_data(spec)


def data_leaves(value: Any, spec: TypeSpec) -> list[tuple[Any, Leaf]]:
    """Every stored file, folder and table in ``value`` with its type, in order."""
    found: list[tuple[Any, Leaf]] = []

    def visit(v: Any, t: Leaf) -> Any:
        found.append((v, t))
        return v

    map_data(value, spec, visit)
    return found
