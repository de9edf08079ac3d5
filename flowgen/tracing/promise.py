"""Promises: placeholders for values that exist only when a workflow runs.

A Promise stands for a workflow input or a node output while a ``@workflow``
(at compile time) or a ``@dynamic`` body (at run time) is traced. What may be
done with one is decided here (DESIGN.md, "Promise rules"):

=========================================  ==========================================
allowed                                    error (PromiseError, at the user's line)
=========================================  ==========================================
pass to a task / workflow / dynamic        ``if p``, ``while p``, ``not p``, ``p and q``
``p.field``, ``p[0]``, ``p["k"]`` (typed)  ``for x in p``, ``len(p)``, ``x in p``
``p == 1``, ``p < q``, ``&``, ``|``        ``p + 1`` and every other arithmetic
  (conditions for ``conditional()``)       ``str(p)``, ``f"{p}"``, ``int(p)``, ``range(p)``
``p.is_true()/is_false()/is_none()``       ``if p > 3`` (a comparison used as a bool)
``a >> b`` (ordering), ``repr(p)``         hashing a comparison
``copy.copy(p)``                           ``p[1:3]``, ``p.append(...)`` (methods of the value),
                                           ``p[0] = v``, ``del p[0]``, ``dict(p)``, ``reversed(p)``
                                           ``a, b = t()`` when ``t`` has one output
                                           ``p.is_true()`` on a non-bool, ``p > "a"`` on an int
=========================================  ==========================================

Messages quote the user's expression (``print(p)``, ``max(p, 3)``) from the instruction's
source position, and inside a ``@dynamic`` the hints never say "make this a @dynamic".
"""

from __future__ import annotations

from typing import Any, NoReturn

from flowgen.errors import PromiseError, WiringError
from flowgen.ir.model import (
    AttrStep,
    Binding,
    BoolOp,
    Comparison,
    Condition,
    IndexStep,
    UnaryCheck,
)
from flowgen.ir.types import (
    DictType,
    ListType,
    PrimitiveType,
    RecordType,
    TupleType,
    TypeSpec,
    UnionType,
    render_type,
)
from flowgen.tracing.callsite import construct_at, expression_at, instruction_at, user_frame, user_location

__all__ = ["ConditionExpr", "NodeHandle", "Promise"]


class _Scope:
    """Where a promise was made: ``kind`` is "workflow" or "dynamic"."""

    __slots__ = ("builder", "kind", "name")

    def __init__(self, kind: str, name: str, builder: Any) -> None:
        self.kind = kind
        self.name = name
        self.builder = builder


class NodeHandle:
    """What a call with no outputs returns: usable only for ordering (``a >> b``)."""

    __slots__ = ("_node", "_scope")

    def __init__(self, node: str, scope: _Scope) -> None:
        self._node = node
        self._scope = scope

    @property
    def node_id(self) -> str:
        return self._node

    def __rshift__(self, other: Any) -> Any:
        return _order(self, other)

    def with_overrides(self, **options: Any) -> NodeHandle:
        """Validated as flytekit does (see :mod:`flowgen.ir.overrides`); local runs apply none."""
        _check_overrides(options, self._scope)
        return self

    def __iter__(self) -> NoReturn:
        raise WiringError(
            f"unpacking the result of node {self._node}, a call that declares no outputs (-> None)",
            location=user_location(2),
            workflow=self._scope.name,
            hint="a call with no outputs returns nothing to unpack; use it only for ordering (a >> b)",
        )

    def __repr__(self) -> str:
        return f"<NodeHandle of node {self._node}>"


class Promise:
    """A value that exists only at run time. See the module docstring for what it allows."""

    __slots__ = ("_binding", "_node", "_origin_parts", "_scope", "_type")

    def __init__(
        self, binding: Binding, type_: TypeSpec, origin: str | tuple[str, ...], scope: _Scope, node: str | None
    ) -> None:
        self._binding = binding
        self._type = type_
        # Where the value comes from, for messages; kept as parts and joined only when shown.
        self._origin_parts = origin
        self._scope = scope
        self._node = node

    @property
    def _origin(self) -> str:
        parts = self._origin_parts
        return parts if isinstance(parts, str) else "".join(parts)

    # -- the allowed surface ------------------------------------------------------------------
    @property
    def ref(self) -> Binding:
        return self._binding

    @property
    def type(self) -> TypeSpec:
        return self._type

    @property
    def node_id(self) -> str | None:
        return self._node

    def __repr__(self) -> str:
        return f"Promise({self._origin}: {render_type(self._type)})"

    def __getattr__(self, name: str) -> Promise:
        if name.startswith("_"):
            raise AttributeError(name)
        record = _strip_optional(self._type)
        if isinstance(record, RecordType):
            field = record.field(name)
            if field is not None:
                return self._step(AttrStep(name=name), field.type, f".{name}")
        if name == "keys" and not isinstance(record, (RecordType, DictType)):
            _misuse(self, "converting a Promise to a dict (`dict(p)` or `**p`)", "pass it to a task")
        python_type = _PYTHON_TYPES.get(type(record))
        if python_type is not None and hasattr(python_type, name):
            _misuse(self, f"`.{name}` (a method of the value) on a Promise",
                    "values exist only when the workflow runs: call it inside a task")
        raise WiringError(
            f"{self._origin} has type {render_type(self._type)}, which has no attribute {name!r}",
            location=user_location(2),
            hint=_fields_hint(record),
        )

    def __getitem__(self, key: Any) -> Promise:
        if isinstance(key, (Promise, ConditionExpr)):
            _misuse(self, "indexing with a Promise as the index", "pass both to a task, or make this a @dynamic")
        if isinstance(key, slice):
            _misuse(self, "slicing a Promise", "pass it to a task that slices it; constant int indexes (p[0]) work")
        container = _strip_optional(self._type)
        if isinstance(container, ListType) and isinstance(key, int) and not isinstance(key, bool):
            return self._step(IndexStep(key=key), container.item, f"[{key}]")
        if (isinstance(container, TupleType) and isinstance(key, int) and not isinstance(key, bool)
                and -len(container.items) <= key < len(container.items)):
            return self._step(IndexStep(key=key), container.items[key], f"[{key}]")
        if isinstance(container, DictType) and isinstance(key, str):
            return self._step(IndexStep(key=key), container.value, f"[{key!r}]")
        if (isinstance(container, RecordType) and container.flavor == "namedtuple" and isinstance(key, int)
                and -len(container.fields) <= key < len(container.fields)):
            field = container.fields[key]
            return self._step(AttrStep(name=field.name), field.type, f".{field.name}")
        raise WiringError(
            f"cannot index {self._origin} of type {render_type(self._type)} with {key!r}",
            location=user_location(2),
            hint="lists and tuples take constant int indexes, dicts constant str keys",
        )

    def _step(self, step: Any, type_: TypeSpec, text: str) -> Promise:
        b = self._binding
        binding = b.model_copy(update={"path": (*b.path, step)})  # type: ignore[union-attr]
        return Promise(binding, type_, self._origin + text, self._scope, self._node)

    def is_true(self) -> ConditionExpr:
        self._require_bool("is_true")
        return ConditionExpr(UnaryCheck(check="is_true", operand=self._binding), self._scope)

    def is_false(self) -> ConditionExpr:
        self._require_bool("is_false")
        return ConditionExpr(UnaryCheck(check="is_false", operand=self._binding), self._scope)

    def _require_bool(self, check: str) -> None:
        # is_true/is_false test identity with True/False: on anything but a bool they never hold.
        if not any(isinstance(v, PrimitiveType) and v.name == "bool" for v in _variants(self._type)):
            raise WiringError(
                f"{self._origin}.{check}(): {self._origin} is {render_type(self._type)}, not bool",
                location=user_location(3),
                workflow=self._scope.name,
                hint="compare it instead (p > 0, p == \"x\"), or return a bool from a task",
            )

    def is_none(self) -> ConditionExpr:
        return ConditionExpr(UnaryCheck(check="is_none", operand=self._binding), self._scope)

    def with_overrides(self, **options: Any) -> Promise:
        """Validated as flytekit does (see :mod:`flowgen.ir.overrides`); local runs apply none."""
        _check_overrides(options, self._scope)
        return self

    def __rshift__(self, other: Any) -> Any:
        return _order(self, other)

    # -- comparisons build conditions ---------------------------------------------------------
    def _compare(self, op: str, other: Any, reflected: bool = False) -> ConditionExpr:
        from flowgen.ir.compat import comparable
        from flowgen.tracing.literals import literal_for_condition

        if isinstance(other, Promise):
            if not comparable(self._type, other._type):
                raise WiringError(
                    f"cannot compare {self._origin} ({render_type(self._type)}) with {other._origin} "
                    f"({render_type(other._type)})",
                    location=user_location(3),
                    workflow=self._scope.name,
                    hint="compare values of the same type; convert one in a task",
                )
            right: Binding = other._binding
        else:
            right = literal_for_condition(other, self._type)
        left = self._binding
        if reflected:
            left, right = right, left
        return ConditionExpr(Comparison(op=op, left=left, right=right), self._scope)  # type: ignore[arg-type]

    def __eq__(self, other: Any) -> ConditionExpr:  # type: ignore[override]
        return self._compare("==", other)

    def __ne__(self, other: Any) -> ConditionExpr:  # type: ignore[override]
        return self._compare("!=", other)

    def __lt__(self, other: Any) -> ConditionExpr:
        return self._compare("<", other)

    def __le__(self, other: Any) -> ConditionExpr:
        return self._compare("<=", other)

    def __gt__(self, other: Any) -> ConditionExpr:
        return self._compare(">", other)

    def __ge__(self, other: Any) -> ConditionExpr:
        return self._compare(">=", other)

    __hash__ = object.__hash__

    # -- misuse -------------------------------------------------------------------------------
    def __bool__(self) -> NoReturn:
        frame = user_frame(2)
        construct = construct_at(frame) if frame is not None else "truth-value testing"
        _misuse(self, f"{construct} on a Promise", "use conditional() to branch on it, or make this a @dynamic")

    def __iter__(self) -> NoReturn:
        frame = user_frame(2)
        op, count = instruction_at(frame) if frame is not None else ("", None)
        if op in ("UNPACK_SEQUENCE", "UNPACK_EX"):
            names = f"{count} names" if op == "UNPACK_SEQUENCE" else "several names"
            _misuse(self, f"unpacking a Promise into {names}",
                    "it is one value: assign it to one name (only a call with several outputs unpacks)"
                    if not isinstance(_strip_optional(self._type), (ListType, TupleType))
                    else "index it with constants (p[0], p[1]), or make this a @dynamic")
        _misuse(self, "iterating over a Promise", "make this a @dynamic, or use map_task()")

    def __reversed__(self) -> NoReturn:
        _misuse(self, "`reversed()` of a Promise", "make this a @dynamic, or reverse it in a task")

    def __len__(self) -> NoReturn:
        _misuse(self, "`len()` of a Promise", "pass it to a task that needs the length, or make this a @dynamic")

    def __contains__(self, item: Any) -> NoReturn:
        _misuse(self, "`in` on a Promise", "pass it to a task, or make this a @dynamic")

    def __str__(self) -> NoReturn:
        _misuse(self, "`str()` of a Promise", "pass it to a task that formats it")

    def __format__(self, spec: str) -> NoReturn:
        _misuse(self, "formatting a Promise (f-string or format())", "pass it to a task that formats it")

    def __index__(self) -> NoReturn:
        _misuse(self, "using a Promise as an integer (range(), slicing, an index)", "make this a @dynamic")

    def __int__(self) -> NoReturn:
        _misuse(self, "`int()` of a Promise", "pass it to a task")

    def __float__(self) -> NoReturn:
        _misuse(self, "`float()` of a Promise", "pass it to a task")

    def __call__(self, *args: Any, **kwargs: Any) -> NoReturn:
        _misuse(self, "calling a Promise", "Promises are values; pass it to a task")

    def __setitem__(self, key: Any, value: Any) -> NoReturn:
        _misuse(self, "assigning an item of a Promise", "Promises are read-only: build the new value in a task")

    def __delitem__(self, key: Any) -> NoReturn:
        _misuse(self, "deleting an item of a Promise", "Promises are read-only: build the new value in a task")


def _arith(symbol: str) -> Any:
    def op(self: Promise, *other: Any) -> NoReturn:
        _misuse(self, f"arithmetic (`{symbol}`) on a Promise", "pass it to a task that computes it")

    return op


for _name, _symbol in {
    "add": "+", "sub": "-", "mul": "*", "truediv": "/", "floordiv": "//", "mod": "%", "pow": "**",
    "matmul": "@", "lshift": "<<", "xor": "^", "and": "&", "or": "|", "divmod": "divmod()",
}.items():
    setattr(Promise, f"__{_name}__", _arith(_symbol))
    setattr(Promise, f"__r{_name}__", _arith(_symbol))
    setattr(Promise, f"__i{_name}__", _arith(_symbol))
for _name, _symbol in {
    "neg": "-", "pos": "+", "abs": "abs()", "invert": "~", "round": "round()",
    "trunc": "math.trunc()", "floor": "math.floor()", "ceil": "math.ceil()",
}.items():
    setattr(Promise, f"__{_name}__", _arith(_symbol))
Promise.__rrshift__ = _arith(">>")  # type: ignore[attr-defined]


class ConditionExpr:
    """A condition for ``conditional().if_(...)``: a comparison, a check, or ``&``/``|`` of them."""

    __slots__ = ("_scope", "condition")

    def __init__(self, condition: Condition, scope: _Scope) -> None:
        self.condition = condition
        self._scope = scope

    def __and__(self, other: ConditionExpr) -> ConditionExpr:
        return ConditionExpr(BoolOp(op="and", left=self.condition, right=_condition(other)), self._scope)

    def __or__(self, other: ConditionExpr) -> ConditionExpr:
        return ConditionExpr(BoolOp(op="or", left=self.condition, right=_condition(other)), self._scope)

    def __bool__(self) -> NoReturn:
        frame = user_frame(2)
        construct = construct_at(frame) if frame is not None else "truth-value testing"
        raise PromiseError(
            f"{construct} on a comparison of Promises in @{self._scope.kind} {self._scope.name}: "
            "its value is known only when the workflow runs",
            location=user_location(2),
            workflow=self._scope.name,
            hint="use conditional(\"name\").if_(cond).then(...).else_().then(...), "
            "and combine conditions with & and |, not `and`/`or`",
        )

    def __repr__(self) -> str:
        return f"ConditionExpr({self.condition!r})"

    __hash__ = object.__hash__


def _condition(value: Any) -> Condition:
    if isinstance(value, ConditionExpr):
        return value.condition
    raise PromiseError(
        f"conditions combine only with other conditions, not {type(value).__name__}",
        location=user_location(3),
        hint="compare Promises (p > 3) or use p.is_true(); combine with & and |",
    )


def _order(first: Any, second: Any) -> Any:
    """``first >> second``: second's node runs after first's, without passing data."""
    first_node = first.node_id
    target = second
    if isinstance(second, tuple) and second and isinstance(second[0], (Promise, NodeHandle)):
        target = second[0]
    if not isinstance(target, (Promise, NodeHandle)) or first_node is None or target.node_id is None:
        raise WiringError(
            "`>>` orders two task calls; both sides must be outputs of calls in this workflow",
            location=user_location(3),
        )
    first._scope.builder.add_upstream(target.node_id, first_node)
    return second


_PYTHON_TYPES: dict[type, type] = {ListType: list, DictType: dict, TupleType: tuple}


def _variants(spec: TypeSpec) -> tuple[TypeSpec, ...]:
    return spec.variants if isinstance(spec, UnionType) else (spec,)


def _strip_optional(spec: TypeSpec) -> TypeSpec:
    if isinstance(spec, UnionType):
        rest = [v for v in spec.variants if getattr(v, "name", None) != "none"]
        if len(rest) == 1:
            return rest[0]
    return spec


def _fields_hint(spec: TypeSpec) -> str | None:
    if isinstance(spec, RecordType):
        return f"{render_type(spec)} has fields: {', '.join(f.name for f in spec.fields)}"
    return None


def _variables(promise: Promise) -> list[str]:
    frame = user_frame(3)
    if frame is None:
        return []
    return [name for name, value in frame.f_locals.items() if value is promise]


def _check_overrides(options: dict[str, Any], scope: Any) -> None:
    from flowgen.errors import DefinitionError
    from flowgen.ir.overrides import override_problems

    problems = override_problems(options, is_promise=lambda v: isinstance(v, (Promise, ConditionExpr)))
    if problems:
        raise DefinitionError(
            "with_overrides(): " + "; ".join(message for _, message in problems),
            location=user_location(3), workflow=scope.name,
            hint="overrides take constants: Resources(cpu=\"1\", mem=\"512Mi\"), retries=2, timeout=60",
        )


def _misuse(promise: Promise, construct: str, fix: str) -> NoReturn:
    names = _variables(promise)
    subject = f"`{names[0]}` ({promise._origin})" if names else promise._origin
    scope = promise._scope
    frame = user_frame(3)
    expression = expression_at(frame) if frame is not None else None
    if expression is not None and expression not in construct:
        construct = f"{construct} (`{expression}`)"
    if scope.kind == "dynamic":
        fix = fix.replace("make this a @dynamic", "do it in a nested @dynamic that takes the value as an input")
    raise PromiseError(
        f"{construct} in @{scope.kind} {scope.name}: {subject} is a Promise of "
        f"{render_type(promise._type)}, which has no value until the workflow runs",
        location=user_location(3),
        workflow=scope.name,
        hint=fix,
    )
