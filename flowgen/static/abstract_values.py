"""The values of the abstract interpreter beyond the Promise placeholders of :mod:`flowgen.static.values`.

Callables a body can name (entities, plain functions, classes, modules,
external functions, partials, mapped tasks, bound methods), the tuples a call
with several outputs returns, the control-flow signals of ``return``/``break``/
``continue``, :class:`OutsideSubset` (an FG401 finding), and small helpers on
types and values shared by the construct modules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import libcst as cst

from flowgen.ir.model import Interface
from flowgen.ir.types import DictType, ListType, PrimitiveType, TupleType, TypeSpec, UnionType, primitive
from flowgen.static.specs import Entity
from flowgen.static.symbols import ClassRef, FunctionRef, ModuleRef
from flowgen.static.values import ConditionValue, NamedOutputs, Opaque, PromiseValue

__all__ = [
    "PYTHON_CONTAINERS",
    "SIZE_LIMIT",
    "STEP_BUDGET",
    "BoundMethod",
    "BreakSignal",
    "CallOutputs",
    "ClassValue",
    "ContinueSignal",
    "EntityValue",
    "ExternalValue",
    "MapTaskValue",
    "ModuleValue",
    "NamedCallOutputs",
    "OutsideSubset",
    "PartialValue",
    "PlainFunction",
    "ReturnSignal",
    "contains_opaque",
    "describe",
    "find_function",
    "item_type",
    "may_be_bool",
    "size_of",
    "strip_optional",
]


STEP_BUDGET = 200_000  # statements + comprehension items per body


SIZE_LIMIT = 100_000  # longest sequence constant arithmetic may build


class OutsideSubset(Exception):
    def __init__(self, message: str, node: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.node = node


class ReturnSignal(Exception):
    def __init__(self, value: Any, node: cst.CSTNode) -> None:
        self.value = value
        self.node = node


class BreakSignal(Exception):
    pass


class ContinueSignal(Exception):
    pass


@dataclass(frozen=True)
class EntityValue:
    entity: Entity


@dataclass(frozen=True)
class PlainFunction:
    ref: FunctionRef


@dataclass(frozen=True)
class ClassValue:
    ref: ClassRef


@dataclass(frozen=True)
class ModuleValue:
    ref: ModuleRef


@dataclass(frozen=True)
class ExternalValue:
    qualname: str


@dataclass
class PartialValue:
    func: Any
    args: tuple[Any, ...]
    kwargs: dict[str, Any]


@dataclass
class MapTaskValue:
    entity: Entity
    fixed: dict[str, Any]
    concurrency: int | None
    min_success_ratio: float
    mapped: tuple[str, ...]
    interface: Interface


@dataclass
class BoundMethod:
    receiver: Any
    name: str


class CallOutputs(tuple):  # type: ignore[type-arg]
    """The tuple a call with several outputs returns (a plain tuple to user code)."""

    what: str

    def __new__(cls, values: tuple[Any, ...], what: str) -> CallOutputs:
        self = super().__new__(cls, values)
        self.what = what
        return self


class NamedCallOutputs(NamedOutputs):
    what: str


def find_function(stmt: cst.CSTNode, name: str) -> cst.FunctionDef | None:
    if isinstance(stmt, cst.FunctionDef) and stmt.name.value == name:
        return stmt
    found: list[cst.FunctionDef] = []

    class Finder(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            if node.name.value == name and not found:
                found.append(node)
            return False

    stmt.visit(Finder())
    return found[0] if found else None


PYTHON_CONTAINERS: dict[type, type] = {ListType: list, DictType: dict, TupleType: tuple}


def may_be_bool(spec: TypeSpec) -> bool:
    """Whether ``bool`` is the type or one of its variants (``Optional[bool]``)."""
    variants = spec.variants if isinstance(spec, UnionType) else (spec,)
    return any(isinstance(v, PrimitiveType) and v.name == "bool" for v in variants)


def strip_optional(spec: TypeSpec) -> TypeSpec:
    if isinstance(spec, UnionType):
        rest = [v for v in spec.variants if not (isinstance(v, PrimitiveType) and v.name == "none")]
        if len(rest) == 1:
            return rest[0]
    return spec


def contains_opaque(value: Any, depth: int = 0) -> Opaque | None:
    if isinstance(value, Opaque):
        return value
    if depth > 50:
        return None
    if isinstance(value, (list, tuple, set, frozenset)):
        for v in value:
            found = contains_opaque(v, depth + 1)
            if found is not None:
                return found
    if isinstance(value, dict):
        for v in value.values():
            found = contains_opaque(v, depth + 1)
            if found is not None:
                return found
    return None


def size_of(value: Any) -> int:
    try:
        return len(value) if isinstance(value, (str, bytes, list, tuple)) else 0
    except Exception:
        return 0


def describe(value: Any) -> str:
    if isinstance(value, PromiseValue):
        return value.describe()
    if isinstance(value, ConditionValue):
        return "it is a comparison of Promises"
    return repr(value)


def item_type(spec: TypeSpec | None) -> TypeSpec | None:
    if spec is None:
        return None
    spec = strip_optional(spec)
    if isinstance(spec, ListType):
        return spec.item
    if isinstance(spec, DictType):
        return primitive("str")
    if isinstance(spec, PrimitiveType) and spec.name == "str":
        return primitive("str")
    return None


