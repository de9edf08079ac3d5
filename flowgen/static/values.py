"""The values a workflow body computes with, when it is run in the abstract.

A workflow body is plain Python run once at compile time. The static compiler
runs it too, on values that behave like the tracer's: constants are real
Python values (so constant arithmetic, lists being appended to, dict lookups
have Python's exact semantics), and the placeholders below stand for what the
tracer would hold.

=====================  ====================================================
value                  stands for
=====================  ====================================================
``PromiseValue``       a workflow input or node output (tracer ``Promise``)
``ConditionValue``     a comparison of Promises (tracer ``ConditionExpr``)
``HandleValue``        the result of a call without outputs (``NodeHandle``)
``NamedOutputs``       a NamedTuple of Promises (multiple named outputs)
``EnumMember``         a member of a project enum (never imported)
``Opaque``             a value that exists but is unknown here: a @dynamic
                       input (``real``), the result of code the compiler
                       does not follow, or the leftover of a reported error
                       (``poisoned``: never reported again)
=====================  ====================================================

Misusing a Promise raises :class:`Misuse` from the same dunder methods the
tracer's Promise implements, so ``sum(promises)`` or ``sorted(promises)`` fail
for the same reason they fail when traced.
"""

from __future__ import annotations

from typing import Any, NoReturn

from flowgen.ir.model import BoolOp, Condition, InputRef, NodeOutputRef
from flowgen.ir.types import TypeSpec, render_type
from flowgen.static.checks import (
    COMPARISON_AS_BOOL,
    PROMISE_ARITHMETIC,
    PROMISE_FORMATTING,
    PROMISE_ITERATION,
    PROMISE_TRUTHINESS,
    PROMISE_VALUE_NEEDED,
    Check,
)

__all__ = [
    "ConditionValue",
    "EnumMember",
    "HandleValue",
    "Indeterminate",
    "Misuse",
    "NamedOutputs",
    "Opaque",
    "PromiseValue",
    "contains_placeholder",
]


class Misuse(Exception):
    """A located finding raised while evaluating; the compiler reports it at the expression."""

    def __init__(self, check: Check, message: str, hint: str | None = None, node: Any = None) -> None:
        super().__init__(message)
        self.check = check
        self.message = message
        self.hint = hint if hint is not None else check.hint
        self.node = node


class Indeterminate(Exception):
    """Python asked an :class:`Opaque` for a concrete answer (truth, length, index)."""


class PromiseValue:
    __slots__ = ("binding", "type", "origin", "node_id", "graph")

    def __init__(self, binding: InputRef | NodeOutputRef, type_: TypeSpec, origin: str, node_id: str | None,
                 graph: Any) -> None:
        self.binding = binding
        self.type = type_
        self.origin = origin
        self.node_id = node_id
        self.graph = graph

    def describe(self) -> str:
        return f"{self.origin} is a Promise of {render_type(self.type)}"

    def __repr__(self) -> str:
        return f"Promise({self.origin}: {render_type(self.type)})"

    def _misuse(self, check: Check, construct: str) -> NoReturn:
        raise Misuse(check, f"{construct} of a Promise: {self.describe()}, which has no value until the workflow runs")

    # The dunders below raise instead of returning, exactly like the tracer's Promise.
    def __bool__(self) -> bool:  # noqa: PLE0304
        self._misuse(PROMISE_TRUTHINESS, "truth-value testing")

    def __iter__(self) -> NoReturn:
        self._misuse(PROMISE_ITERATION, "iterating over (or unpacking)")

    def __len__(self) -> int:  # noqa: PLE0303
        self._misuse(PROMISE_VALUE_NEEDED, "`len()`")

    def __contains__(self, item: Any) -> bool:
        self._misuse(PROMISE_ITERATION, "`in`")

    def __str__(self) -> str:  # noqa: PLE0307
        self._misuse(PROMISE_FORMATTING, "`str()`")

    def __format__(self, spec: str) -> str:
        self._misuse(PROMISE_FORMATTING, "formatting (f-string or format())")

    def __index__(self) -> int:  # noqa: PLE0305
        self._misuse(PROMISE_VALUE_NEEDED, "using as an integer (range(), slicing, an index)")

    def __int__(self) -> int:
        self._misuse(PROMISE_VALUE_NEEDED, "`int()`")

    def __float__(self) -> float:
        self._misuse(PROMISE_VALUE_NEEDED, "`float()`")

    def _compare(self, op: str, other: Any) -> Any:
        return self.graph.compare(op, self, other)

    def __eq__(self, other: Any) -> Any:  # type: ignore[override]
        return self._compare("==", other)

    def __ne__(self, other: Any) -> Any:  # type: ignore[override]
        return self._compare("!=", other)

    def __lt__(self, other: Any) -> Any:
        return self._compare("<", other)

    def __le__(self, other: Any) -> Any:
        return self._compare("<=", other)

    def __gt__(self, other: Any) -> Any:
        return self._compare(">", other)

    def __ge__(self, other: Any) -> Any:
        return self._compare(">=", other)

    __hash__ = object.__hash__

    def __rshift__(self, other: Any) -> Any:
        return self.graph.order(self, other)


def _arith(symbol: str) -> Any:
    def op(self: PromiseValue, *other: Any) -> NoReturn:
        self._misuse(PROMISE_ARITHMETIC, f"arithmetic (`{symbol}`)")

    return op


for _name, _symbol in {
    "add": "+", "sub": "-", "mul": "*", "truediv": "/", "floordiv": "//", "mod": "%", "pow": "**",
    "matmul": "@", "lshift": "<<", "xor": "^", "and": "&", "or": "|",
}.items():
    setattr(PromiseValue, f"__{_name}__", _arith(_symbol))
    setattr(PromiseValue, f"__r{_name}__", _arith(_symbol))
    setattr(PromiseValue, f"__i{_name}__", _arith(_symbol))
for _name, _symbol in {"neg": "-", "pos": "+", "abs": "abs()", "invert": "~", "round": "round()"}.items():
    setattr(PromiseValue, f"__{_name}__", _arith(_symbol))
PromiseValue.__rrshift__ = _arith(">>")  # type: ignore[attr-defined]


class ConditionValue:
    __slots__ = ("condition", "text")

    def __init__(self, condition: Condition, text: str = "a comparison of Promises") -> None:
        self.condition = condition
        self.text = text

    def __bool__(self) -> bool:
        raise Misuse(COMPARISON_AS_BOOL, f"{self.text} used as a Python truth value; "
                     "its value is known only when the workflow runs")

    def _combine(self, op: str, other: Any) -> ConditionValue:
        if not isinstance(other, ConditionValue):
            raise Misuse(COMPARISON_AS_BOOL, f"conditions combine only with other conditions, not "
                         f"{type(other).__name__}", "compare Promises (p > 3) or use p.is_true(); combine with & and |")
        return ConditionValue(BoolOp(op=op, left=self.condition, right=other.condition))  # type: ignore[arg-type]

    def __and__(self, other: Any) -> ConditionValue:
        return self._combine("and", other)

    def __or__(self, other: Any) -> ConditionValue:
        return self._combine("or", other)

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return f"ConditionExpr({self.condition!r})"


class HandleValue:
    __slots__ = ("node_id", "graph")

    def __init__(self, node_id: str, graph: Any) -> None:
        self.node_id = node_id
        self.graph = graph

    def __rshift__(self, other: Any) -> Any:
        return self.graph.order(self, other)

    def __repr__(self) -> str:
        return f"<NodeHandle of node {self.node_id}>"


class NamedOutputs(tuple):  # type: ignore[type-arg]
    """A NamedTuple of Promises: indexable, unpackable, with the fields as attributes."""

    fields: tuple[str, ...]
    ref: str

    def __new__(cls, values: tuple[Any, ...], fields: tuple[str, ...], ref: str) -> NamedOutputs:
        self = super().__new__(cls, values)
        self.fields = fields
        self.ref = ref
        return self

    def field(self, name: str) -> Any:
        return self[self.fields.index(name)]


class EnumMember:
    __slots__ = ("ref", "name", "members")

    def __init__(self, ref: str, name: str, members: tuple[str, ...]) -> None:
        self.ref = ref
        self.name = name
        self.members = members

    def __repr__(self) -> str:
        return f"<{self.ref.rpartition(':')[2]}.{self.name}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, EnumMember) and other.ref == self.ref and other.name == self.name

    def __hash__(self) -> int:
        return hash((self.ref, self.name))


class Opaque:
    """A value the compiler cannot know (see the module docstring)."""

    __slots__ = ("type", "origin", "real", "poisoned")

    def __init__(self, type_: TypeSpec | None, origin: str, *, real: bool = False, poisoned: bool = False) -> None:
        self.type = type_
        self.origin = origin
        self.real = real
        self.poisoned = poisoned

    def __repr__(self) -> str:
        return f"<unknown {self.origin}>"

    def _indeterminate(self, *_: Any) -> NoReturn:
        raise Indeterminate(self.origin)

    __bool__ = _indeterminate  # type: ignore[assignment]
    __len__ = _indeterminate  # type: ignore[assignment]
    __index__ = _indeterminate  # type: ignore[assignment]
    __iter__ = _indeterminate  # type: ignore[assignment]
    __int__ = _indeterminate  # type: ignore[assignment]
    __float__ = _indeterminate  # type: ignore[assignment]
    __str__ = _indeterminate  # type: ignore[assignment]
    __format__ = _indeterminate  # type: ignore[assignment]
    __hash__ = object.__hash__


class BuiltRecord(Opaque):
    """A dataclass or pydantic model constructed in a workflow body: not computed statically
    (FG401 where it is used), but its class is known, so wiring it where another type is
    declared is FG201, as the tracer raises."""

    __slots__ = ()


def _opaque_op(self: Opaque, *other: Any) -> Opaque:
    return Opaque(None, self.origin, real=self.real, poisoned=self.poisoned)


for _name in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "lshift", "rshift", "xor",
              "and", "or"):
    setattr(Opaque, f"__{_name}__", _opaque_op)
    setattr(Opaque, f"__r{_name}__", _opaque_op)
for _name in ("neg", "pos", "abs", "invert", "eq", "ne", "lt", "le", "gt", "ge"):
    setattr(Opaque, f"__{_name}__", _opaque_op)


def contains_placeholder(value: Any, depth: int = 0) -> bool:
    """True when a (possibly nested) list/tuple/dict holds a Promise, condition or handle."""
    if isinstance(value, (PromiseValue, ConditionValue, HandleValue)):
        return True
    if depth > 50:
        return False
    if isinstance(value, (list, tuple)):
        return any(contains_placeholder(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return any(contains_placeholder(v, depth + 1) for v in value.values())
    return False
