"""Hypothesis strategies from flowgen's type language: ``strategy_for(spec)`` and ``inputs(entity)``.

Every value a strategy draws is valid for its type (the node boundary's own check,
:func:`flowgen.ir.values.checker`, accepts it), including the ``Annotated`` constraints
the spec carries (:mod:`flowgen.ir.constraints`).

==========================  ===========================================================
type                        strategy
==========================  ===========================================================
int                         integers within ``Ge``/``Gt``/``Le``/``Lt`` and ``MultipleOf``;
                            an unbounded side is -1000 / 1000 (:data:`INT_RANGE`: an int
                            is often a count, and ``range(10**19)`` only exhausts memory);
                            pass ``inputs(wf, n=st.integers())`` for the whole line
float                       finite floats (NaN never equals itself, so it would make
                            every comparison of results fail), within the bounds
str, bytes                  text / binary, within ``MinLen``/``MaxLen``
bool, None                  booleans, ``None``
datetime, date, timedelta   naive datetimes, dates, timedeltas within +-10,000 days
list, dict, tuple           lists (at most 8 items unless ``MinLen`` asks more),
                            dictionaries (key type respected), tuples
union, Optional             one of the variants
Literal, Enum               one of the values / members
dataclass, NamedTuple,      the class built from drawn fields
pydantic model
bare dict / list, Any       JSON values
file, directory, table      files of drawn bytes, folders of them, tables with the declared
                            columns (:mod:`flowgen.testing.data_strategies`)
an arbitrary class          an error naming the type: pass a strategy for that input
==========================  ===========================================================
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from hypothesis import strategies as st

from flowgen.ir import refs
from flowgen.ir.base import IRModel
from flowgen.ir.constraints import Constraint
from flowgen.ir.model import Interface
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
    render_type,
)

__all__ = ["NoStrategy", "inputs", "interface_of_entity", "strategy_for"]

MAX_ITEMS = 8
#: where an ``int`` without bounds is drawn from (a declared ``Ge``/``Le``... bound replaces a side)
INT_RANGE = (-1000, 1000)
_DAYS = dt.timedelta(days=10_000)


class NoStrategy(TypeError):
    """flowgen cannot draw values of a type (an arbitrary class, or a kind it does not know)."""


def strategy_for(spec: Any) -> st.SearchStrategy[Any]:
    """A hypothesis strategy drawing valid values of ``spec`` (a :data:`TypeSpec` or an annotation)."""
    if not (isinstance(spec, IRModel) and isinstance(getattr(spec, "kind", None), str)):  # an annotation
        from flowgen.ir.annotations import UnsupportedType, type_spec

        try:
            spec = type_spec(spec, opaque=True)
        except UnsupportedType as exc:
            raise NoStrategy(f"no strategy for {spec!r}: {exc}") from None
    return _strategy(spec)


def _strategy(spec: TypeSpec) -> st.SearchStrategy[Any]:
    if isinstance(spec, PrimitiveType):
        return _primitive(spec)
    if isinstance(spec, ListType):
        low, high = _sizes(spec.constraints)
        return st.lists(_strategy(spec.item), min_size=low, max_size=high)
    if isinstance(spec, DictType):
        return st.dictionaries(_strategy(spec.key), _strategy(spec.value), max_size=MAX_ITEMS)
    if isinstance(spec, TupleType):
        return st.tuples(*(_strategy(i) for i in spec.items))
    if isinstance(spec, UnionType):
        return st.one_of(*(_strategy(v) for v in spec.variants))
    if isinstance(spec, LiteralType):
        return st.sampled_from(spec.values)
    if isinstance(spec, EnumType):
        return st.sampled_from(list(refs.resolve(spec.ref)))
    if isinstance(spec, RecordType):
        return _record(spec)
    if isinstance(spec, JsonType):
        return st.dictionaries(st.text(max_size=8), _json()) if spec.container == "dict" else st.lists(_json())
    if isinstance(spec, OpaqueType):
        if not spec.ref:
            return _json()
        raise NoStrategy(f"no strategy for values of class {render_type(spec)} (an arbitrary class is opaque to "
                         f"flowgen): pass one for that input, e.g. inputs(wf, name=st.builds(...))")
    if isinstance(spec, (FileType, DirectoryType, TableType)):
        from flowgen.testing.data_strategies import NoDataStrategy, data_strategy

        try:
            return data_strategy(spec, _strategy)
        except (NoDataStrategy, ImportError) as exc:
            raise NoStrategy(str(exc)) from None
    raise NoStrategy(f"no strategy for type kind {getattr(spec, 'kind', type(spec).__name__)!r} ({spec!r}): "
                     "flowgen.testing does not know it yet; pass a strategy for that input")


def _json() -> st.SearchStrategy[Any]:
    scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                        | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=10)


def _sizes(constraints: tuple[Constraint, ...], default_max: int = MAX_ITEMS) -> tuple[int, int]:
    low = max((int(c.value) for c in constraints if c.kind == "min_len"), default=0)
    highs = [int(c.value) for c in constraints if c.kind == "max_len"]
    high = min(highs) if highs else max(low, default_max)
    return low, high


def _bounds(constraints: tuple[Constraint, ...]) -> dict[str, Any]:
    """The tightest lower and upper bounds, and whether each excludes its value."""
    lo: tuple[float, bool] | None = None
    hi: tuple[float, bool] | None = None
    for c in constraints:
        if c.kind in ("ge", "gt"):
            cand = (c.value, c.kind == "gt")
            if lo is None or cand[0] > lo[0] or (cand[0] == lo[0] and cand[1]):
                lo = cand
        elif c.kind in ("le", "lt"):
            cand = (c.value, c.kind == "lt")
            if hi is None or cand[0] < hi[0] or (cand[0] == hi[0] and cand[1]):
                hi = cand
    return {"lo": lo, "hi": hi, "multiples": [c.value for c in constraints if c.kind == "multiple_of"]}


def _integers(constraints: tuple[Constraint, ...]) -> st.SearchStrategy[int]:
    b = _bounds(constraints)
    low = None if b["lo"] is None else (math.floor(b["lo"][0]) + 1 if b["lo"][1] or b["lo"][0] != int(b["lo"][0])
                                        else int(b["lo"][0]))
    high = None if b["hi"] is None else (math.ceil(b["hi"][0]) - 1 if b["hi"][1] or b["hi"][0] != int(b["hi"][0])
                                         else int(b["hi"][0]))
    # Unbounded sides default to INT_RANGE: an int input is often a count (``range(n)`` in a
    # @dynamic), and 10**19 of anything ends a run by exhausting memory, not by finding a bug.
    if low is None:
        low = INT_RANGE[0] if high is None or high >= INT_RANGE[0] else high - (INT_RANGE[1] - INT_RANGE[0])
    if high is None:
        high = INT_RANGE[1] if low <= INT_RANGE[1] else low + (INT_RANGE[1] - INT_RANGE[0])
    multiples = [m for m in b["multiples"] if m]
    if multiples and all(isinstance(m, int) for m in multiples):
        step = math.lcm(*(abs(int(m)) for m in multiples))
        first = None if low is None else -(-low // step)
        last = None if high is None else high // step
        return st.integers(first, last).map(lambda k: k * step)
    strategy = st.integers(low, high)
    if multiples:
        from flowgen.ir.constraints import violation

        broken = violation(constraints)
        strategy = strategy.filter(lambda v: broken(v) is None)
    return strategy


def _floats(constraints: tuple[Constraint, ...]) -> st.SearchStrategy[float]:
    b = _bounds(constraints)
    kwargs: dict[str, Any] = {"allow_nan": False, "allow_infinity": False}
    if b["lo"] is not None:
        kwargs.update(min_value=float(b["lo"][0]), exclude_min=b["lo"][1])
    if b["hi"] is not None:
        kwargs.update(max_value=float(b["hi"][0]), exclude_max=b["hi"][1])
    strategy = st.floats(**kwargs)
    if b["multiples"]:
        step = float(b["multiples"][0])
        low = None if b["lo"] is None else math.ceil(b["lo"][0] / step)
        high = None if b["hi"] is None else math.floor(b["hi"][0] / step)
        from flowgen.ir.constraints import violation

        broken = violation(constraints)
        strategy = st.integers(low, high).map(lambda k: float(k * step)).filter(lambda v: broken(v) is None)
    return strategy


def _primitive(spec: PrimitiveType) -> st.SearchStrategy[Any]:
    name, cs = spec.name, spec.constraints
    if name == "int":
        return _integers(cs)
    if name == "float":
        return _floats(cs)
    if name == "str":
        low, high = _sizes(cs, 20)
        return st.text(min_size=low, max_size=high)
    if name == "bytes":
        low, high = _sizes(cs, 20)
        return st.binary(min_size=low, max_size=high)
    if name == "bool":
        return st.booleans()
    if name == "none":
        return st.none()
    if name == "datetime":
        return st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 1, 1))
    if name == "date":
        return st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 1, 1))
    if name == "timedelta":
        return st.timedeltas(min_value=-_DAYS, max_value=_DAYS)
    raise NoStrategy(f"no strategy for primitive {name!r}")


def _record(spec: RecordType) -> st.SearchStrategy[Any]:
    cls = refs.resolve(spec.ref)
    fields = {f.name: _strategy(f.type) for f in spec.fields}
    if spec.flavor == "pydantic":
        return st.fixed_dictionaries(fields).map(lambda values: cls.model_validate(values))
    return st.builds(cls, **fields)


def interface_of_entity(entity: Any) -> Interface:
    """The interface of a task, workflow, dynamic, launch plan, or generated workflow function."""
    interface = getattr(entity, "interface", None)
    if isinstance(interface, Interface):
        return interface
    generated = getattr(entity, "__flowgen_generated__", None)
    if generated is not None:
        return interface_of_entity(generated)
    program = getattr(entity, "program", None)
    if program is not None:
        return program.workflows[program.entry].interface  # type: ignore[no-any-return]
    raise TypeError(f"inputs() takes a task, workflow, dynamic or launch plan, not {entity!r}")


def inputs(entity: Any, /, **fixed: Any) -> st.SearchStrategy[dict[str, Any]]:
    """A strategy of input dicts for ``entity``; each keyword fixes one input to a value, or to a
    strategy of its own (``inputs(wf, n=st.integers(0, 9), name="a")``). An input without a
    keyword is drawn from the workflow's registered domain (:func:`flowgen.testing.domain`),
    else from its type.

    Inputs with defaults are drawn like the others. Unknown keywords are an error naming them.
    """
    interface = interface_of_entity(entity)
    names = [p.name for p in interface.inputs]
    unknown = sorted(set(fixed) - set(names))
    if unknown:
        raise TypeError(f"inputs(): {entity!r} has no input(s) {', '.join(map(repr, unknown))}; "
                        f"its inputs are {', '.join(names) or '(none)'}")
    from flowgen.testing.domains import registered_domain

    registered = registered_domain(entity)
    domain_inputs = registered.inputs if registered is not None else {}
    parts: dict[str, st.SearchStrategy[Any]] = {}
    for p in interface.inputs:
        if p.name in fixed:
            given = fixed[p.name]
            parts[p.name] = given if isinstance(given, st.SearchStrategy) else st.just(given)
            continue
        if p.name in domain_inputs:
            parts[p.name] = domain_inputs[p.name]
            continue
        try:
            parts[p.name] = strategy_for(p.type)
        except NoStrategy as exc:
            raise NoStrategy(f"input {p.name!r} of {entity!r}: {exc}") from None
    return st.fixed_dictionaries(parts)
