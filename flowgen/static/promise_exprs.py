"""What a body does with a Promise: its truth, ``p.attr``, ``p[i]``, and comparisons.

Record fields and constant indexes of Promises become attribute/index steps of
their binding, as the tracer records them; comparisons of Promises become
:class:`~flowgen.static.values.ConditionValue`; everything that needs a
Promise's value (``if p``, ``p is None``, slicing) is a located finding.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

import libcst as cst

from flowgen.ir.model import AttrStep, IndexStep
from flowgen.ir.types import (
    DictType,
    ListType,
    PrimitiveType,
    RecordType,
    TupleType,
    TypeSpec,
    primitive,
    render_type,
)
from flowgen.static.abstract_values import (
    PYTHON_CONTAINERS,
    BoundMethod,
    ClassValue,
    EntityValue,
    ExternalValue,
    ModuleValue,
    NamedCallOutputs,
    OutsideSubset,
    describe,
    item_type,
    strip_optional,
)
from flowgen.static.body_base import BodyState
from flowgen.static.checks import (
    BAD_INDEX,
    COMPARISON_AS_BOOL,
    PROMISE_AS_INDEX,
    PROMISE_BOOLEAN_OPERATOR,
    PROMISE_ITERATION,
    PROMISE_TRUTHINESS,
    RAISES,
    UNKNOWN_ATTRIBUTE,
)
from flowgen.static.conditionals import Section, ThenStep
from flowgen.static.literals import type_of
from flowgen.static.symbols import canonical
from flowgen.static.values import (
    ConditionValue,
    EnumMember,
    HandleValue,
    Indeterminate,
    Misuse,
    NamedOutputs,
    Opaque,
    PromiseValue,
)

__all__ = ["COMPARE", "METHODS", "PromiseExpressionsMixin"]


COMPARE: dict[type, Callable[[Any, Any], Any]] = {
    cst.Equal: operator.eq, cst.NotEqual: operator.ne, cst.LessThan: operator.lt, cst.LessThanEqual: operator.le,
    cst.GreaterThan: operator.gt, cst.GreaterThanEqual: operator.ge,
}


METHODS: dict[type, frozenset[str]] = {
    str: frozenset({"upper", "lower", "strip", "lstrip", "rstrip", "split", "rsplit", "join", "replace",
                    "startswith", "endswith", "format", "title", "capitalize", "casefold", "splitlines",
                    "partition", "rpartition", "find", "rfind", "index", "rindex", "count", "isdigit", "isalpha",
                    "isalnum", "islower", "isupper", "isspace", "removeprefix", "removesuffix", "encode"}),
    list: frozenset({"append", "extend", "insert", "pop", "remove", "index", "count", "copy", "reverse", "sort",
                     "clear"}),
    dict: frozenset({"get", "keys", "values", "items", "copy", "update", "pop", "setdefault", "clear"}),
    tuple: frozenset({"index", "count"}),
    set: frozenset({"add", "update", "discard", "remove", "union", "intersection", "difference", "copy"}),
    bytes: frozenset({"decode", "hex"}),
    int: frozenset({"bit_length"}),
    float: frozenset({"is_integer"}),
}


def sliced_type(spec: TypeSpec | None) -> TypeSpec | None:
    """The type of ``x[a:b]`` for ``x`` of type ``spec``: lists and strings slice to themselves."""
    if spec is None:
        return None
    spec = strip_optional(spec)
    if isinstance(spec, ListType) or (isinstance(spec, PrimitiveType) and spec.name in ("str", "bytes")):
        return spec
    return None


class PromiseExpressionsMixin(BodyState):
    """What a body does with a Promise: truth, attributes, indexing, comparison."""

    def truth(self, value: Any, construct: str, node: cst.CSTNode) -> bool:
        if isinstance(value, PromiseValue):
            check = PROMISE_BOOLEAN_OPERATOR if construct in ("`not`", "`and`/`or`") else PROMISE_TRUTHINESS
            raise Misuse(check, f"{construct} on `{self.code(node)}`: {value.describe()}, which has no value "
                         "until the workflow runs", None, node)
        if isinstance(value, ConditionValue):
            raise Misuse(COMPARISON_AS_BOOL, f"{construct} on `{self.code(node)}`, a comparison of Promises: its "
                         "value is known only when the workflow runs", None, node)
        if isinstance(value, Opaque):
            if not value.real and not value.poisoned and self.mode == "workflow":
                raise OutsideSubset(f"{construct} on `{self.code(node)}`, which cannot be computed statically", node)
            raise Indeterminate(value.origin)
        if isinstance(value, (Section, HandleValue, EntityValue)):
            return True
        try:
            return bool(value)
        except Misuse as m:
            m.node = m.node or node
            raise

    def ev_Attribute(self, node: cst.Attribute) -> Any:
        value = self.ev(node.value)
        return self.attribute(value, node.attr.value, node)

    def attribute(self, value: Any, attr: str, node: cst.CSTNode) -> Any:
        if isinstance(value, PromiseValue):
            if attr in ("is_true", "is_false", "is_none", "with_overrides"):
                return BoundMethod(value, attr)
            if attr == "ref":
                return Opaque(None, "Promise.ref")
            record = strip_optional(value.type)
            if isinstance(record, RecordType):
                f = record.field(attr)
                if f is not None:
                    return self.step(value, AttrStep(name=attr), f.type, f".{attr}")
            python_type = PYTHON_CONTAINERS.get(type(record))
            if python_type is not None and hasattr(python_type, attr):
                raise Misuse(UNKNOWN_ATTRIBUTE, f"`.{attr}` (a method of the value) on a Promise "
                             f"(`{self.code(node)}`): {value.describe()}",
                             "values exist only when the workflow runs: call it inside a task", node)
            hint = (f"{render_type(record)} has fields: {', '.join(f.name for f in record.fields)}"
                    if isinstance(record, RecordType) else None)
            raise Misuse(UNKNOWN_ATTRIBUTE, f"{value.origin} has type {render_type(value.type)}, which has no "
                         f"attribute {attr!r}", hint, node)
        if isinstance(value, NamedOutputs):
            if attr in value.fields:
                return value.field(attr)
            name = value.ref.rpartition(":")[2]
            owner = f"the outputs of {value.what}" if isinstance(value, NamedCallOutputs) else "the value"
            raise Misuse(UNKNOWN_ATTRIBUTE, f"{owner} are a {name}, which has no field {attr!r}",
                         f"{name} has fields: {', '.join(value.fields)}", node)
        if isinstance(value, ModuleValue):
            return self.compiler.value_of(self.project.attribute(value.ref, attr))
        if isinstance(value, ExternalValue):
            return ExternalValue(canonical(f"{value.qualname}.{attr}"))
        if isinstance(value, ClassValue):
            kind = self.compiler.types.class_kind(value.ref)
            if kind == "enum":
                members = self.compiler.types.enum_members(value.ref)
                if attr in members:
                    return EnumMember(value.ref.ref, attr, members)
            raise OutsideSubset(f"`{self.code(node)}` is outside the static subset", node)
        if isinstance(value, EnumMember):
            if attr == "name":
                return value.name
            return Opaque(None, f"{value!r}.{attr}")
        if isinstance(value, Section):
            if attr in ("if_", "elif_", "else_"):
                return BoundMethod(value, attr)
            raise Misuse(RAISES, f"conditional has no attribute {attr!r}", None, node)
        if isinstance(value, ThenStep):
            if attr == "then" or (attr == "fail" and value.is_else):
                return BoundMethod(value, attr)
            raise Misuse(RAISES, f"{attr!r} cannot follow this step of conditional {value.section.name!r}", None,
                         node)
        if isinstance(value, Opaque):
            stripped = strip_optional(value.type) if value.type is not None else None
            found = stripped.field(attr) if isinstance(stripped, RecordType) else None
            if found is not None:
                return Opaque(found.type, f"{value.origin}.{attr}", real=value.real, poisoned=value.poisoned)
            return Opaque(None, f"{value.origin}.{attr}", real=value.real, poisoned=value.poisoned)
        allowed = METHODS.get(type(value))
        if allowed is not None and attr in allowed:
            return BoundMethod(value, attr)
        if isinstance(value, (int, float, str, bytes, list, dict, tuple, set, bool, type(None))):
            if isinstance(value, (int, float, complex)) and attr in ("real", "imag", "numerator", "denominator"):
                return getattr(value, attr)
            raise Misuse(RAISES, f"{type(value).__name__} has no attribute {attr!r} usable here", None, node)
        raise OutsideSubset(f"`{self.code(node)}` is outside the static subset", node)

    def step(self, promise: PromiseValue, step: Any, type_: TypeSpec, text: str) -> PromiseValue:
        b = promise.binding
        binding = b.model_copy(update={"path": (*b.path, step)})
        return PromiseValue(binding, type_, promise.origin + text, promise.node_id, promise.graph)

    def subscript_key(self, node: cst.Subscript) -> Any:
        if len(node.slice) != 1:
            return tuple(self.slice_element(e) for e in node.slice)
        return self.slice_element(node.slice[0])

    def slice_element(self, element: cst.SubscriptElement) -> Any:
        s = element.slice
        if isinstance(s, cst.Index):
            return self.ev(s.value)
        assert isinstance(s, cst.Slice)
        parts = [self.ev(p) if p is not None else None for p in (s.lower, s.upper, s.step)]
        for p in parts:
            if isinstance(p, PromiseValue):
                raise Misuse(PROMISE_AS_INDEX, f"a Promise in a slice: {p.describe()}", None, element)
        return slice(*parts)

    def ev_Subscript(self, node: cst.Subscript) -> Any:
        value = self.ev(node.value)
        key = self.subscript_key(node)
        if isinstance(key, (PromiseValue, ConditionValue)):
            raise Misuse(PROMISE_AS_INDEX, f"indexing `{self.code(node.value)}` with a Promise as the index: "
                         f"{describe(key)}", None, node)
        if isinstance(value, PromiseValue):
            return self.promise_index(value, key, node)
        unknown_bound = next((p for p in (key.start, key.stop, key.step) if isinstance(p, Opaque)), None) \
            if isinstance(key, slice) else None
        if isinstance(value, Opaque) or isinstance(key, Opaque) or unknown_bound is not None:
            base = value if isinstance(value, Opaque) else (key if isinstance(key, Opaque) else unknown_bound)
            assert isinstance(base, Opaque)
            if isinstance(key, slice):  # a slice has the type of what is sliced (xs[:2] of a list is a list)
                item = sliced_type(value.type if isinstance(value, Opaque) else type_of(value))
            else:
                item = item_type(value.type) if isinstance(value, Opaque) else None
            return Opaque(item, f"{base.origin}[...]", real=base.real, poisoned=base.poisoned)
        if isinstance(value, (ExternalValue, ClassValue)):
            return Opaque(None, f"`{self.code(node)}`")
        if not isinstance(value, (list, tuple, dict, str, bytes, range)):
            raise Misuse(RAISES, f"`{self.code(node.value)}` is not subscriptable", None, node)
        try:
            return value[key]
        except (IndexError, KeyError, TypeError) as exc:
            raise Misuse(RAISES, f"`{self.code(node)}` raises {type(exc).__name__}: {exc}", None, node) from None

    def promise_index(self, promise: PromiseValue, key: Any, node: cst.CSTNode) -> PromiseValue:
        if isinstance(key, slice):
            raise Misuse(BAD_INDEX, f"slicing a Promise (`{self.code(node)}`): {promise.describe()}",
                         "pass it to a task that slices it; constant int indexes (p[0]) work", node)
        container = strip_optional(promise.type)
        is_int = isinstance(key, int) and not isinstance(key, bool)
        if isinstance(container, ListType) and is_int:
            return self.step(promise, IndexStep(key=key), container.item, f"[{key}]")
        if isinstance(container, TupleType) and is_int and -len(container.items) <= key < len(container.items):
            return self.step(promise, IndexStep(key=key), container.items[key], f"[{key}]")
        if isinstance(container, DictType) and isinstance(key, str):
            return self.step(promise, IndexStep(key=key), container.value, f"[{key!r}]")
        if (isinstance(container, RecordType) and container.flavor == "namedtuple" and is_int
                and -len(container.fields) <= key < len(container.fields)):
            f = container.fields[key]
            return self.step(promise, AttrStep(name=f.name), f.type, f".{f.name}")
        raise Misuse(BAD_INDEX, f"cannot index {promise.origin} of type {render_type(promise.type)} with {key!r}",
                     None, node)

    def ev_Comparison(self, node: cst.Comparison) -> Any:
        left = self.ev(node.left)
        result: Any = True
        left_node: cst.CSTNode = node.left
        for i, target in enumerate(node.comparisons):
            right = self.ev(target.comparator)
            result = self.compare(target.operator, left, right, node)
            if i < len(node.comparisons) - 1:
                if isinstance(result, ConditionValue):
                    raise Misuse(COMPARISON_AS_BOOL, f"chained comparison `{self.code(node)}` needs the truth value "
                                 "of a comparison of Promises", "write (a < p) & (p < b) inside conditional()",
                                 node)
                if isinstance(result, Opaque):
                    return result
                if not self.truth(result, "a chained comparison", left_node):
                    return result
            left, left_node = right, target.comparator
        return result

    def compare(self, op: cst.BaseCompOp, left: Any, right: Any, node: cst.CSTNode) -> Any:
        if isinstance(op, (cst.Is, cst.IsNot)):
            for side in (left, right):
                if isinstance(side, PromiseValue):
                    raise Misuse(COMPARISON_AS_BOOL, f"`{self.code(node)}` compares the identity of a Promise "
                                 f"placeholder, not its value ({side.describe()}); it is always "
                                 f"{not isinstance(op, cst.Is)}", "use p.is_none() inside conditional()", node)
            if isinstance(left, Opaque) or isinstance(right, Opaque):
                return Opaque(primitive("bool"), "identity")
            same = left is right or (isinstance(left, EnumMember) and left == right)
            return same if isinstance(op, cst.Is) else not same
        if isinstance(op, (cst.In, cst.NotIn)):
            if isinstance(right, PromiseValue):
                raise Misuse(PROMISE_ITERATION, f"`in` on a Promise: {right.describe()}", None, node)
            if isinstance(left, Opaque) or isinstance(right, Opaque):
                return Opaque(primitive("bool"), "membership")
            try:
                found = left in right
            except TypeError as exc:
                raise Misuse(RAISES, f"`{self.code(node)}` raises TypeError: {exc}", None, node) from None
            return found if isinstance(op, cst.In) else not found
        fn = COMPARE[type(op)]
        if isinstance(left, Opaque) or isinstance(right, Opaque):
            if isinstance(left, PromiseValue) or isinstance(right, PromiseValue):
                return Opaque(primitive("bool"), "comparison", poisoned=True)
            return Opaque(primitive("bool"), "comparison")
        try:
            return fn(left, right)
        except TypeError as exc:
            raise Misuse(RAISES, f"`{self.code(node)}` raises TypeError: {exc}", None, node) from None
