"""Type-analyze hook for the markers the parse-time rewrite puts in signatures.

``_flowgen_workflow_input_[T, deco]`` and ``_flowgen_body_result_[R, deco]`` (see
rewrite.py) are resolved once the names in the module are bound:

==================  ===================  =====================  ==========
marker              deco is @workflow    deco is @dynamic       otherwise
==================  ===================  =====================  ==========
input ``T``         ``Promise[T]``       ``T``                  ``T``
result ``R``        ``body_result(R)``   ``body_result(R)``     ``R``
==================  ===================  =====================  ==========

``body_result(R)`` is what a body may return: ``R`` itself, ``Promise[R]``, and, the
way the runtime packs outputs, containers that hold Promises: for a tuple ``R`` a tuple
whose items are each a value or a Promise (a one-field NamedTuple: also its field's value or
Promise, which the runtime wraps, as Flyte does); for ``list[T]`` a ``Sequence`` and for
``dict[K, V]`` a ``Mapping`` of what a ``T``/``V`` may be (``out = []``,
``out.append(t(...))``, ``return out`` is a list of Promises; a ``Sequence``, being
covariant, takes it). A decorator name that
is not bound yet (a placeholder during semantic analysis) defers the function rather
than guessing.
"""

from __future__ import annotations

from mypy.nodes import PlaceholderNode
from mypy.plugin import AnalyzeTypeContext
from mypy.types import (
    AnyType,
    Instance,
    NoneType,
    ProperType,
    TupleType,
    Type,
    TypeOfAny,
    UnboundType,
    UnionType,
    get_proper_type,
)

import flowgen.mypy_plugin.names as names


def analyze_input_marker(ctx: AnalyzeTypeContext) -> Type:
    return _analyze(ctx, is_input=True)


def analyze_result_marker(ctx: AnalyzeTypeContext) -> Type:
    return _analyze(ctx, is_input=False)


def _analyze(ctx: AnalyzeTypeContext, *, is_input: bool) -> Type:
    args = ctx.type.args
    if len(args) != 2 or not isinstance(args[1], UnboundType):
        ctx.api.fail("flowgen marker types are for flowgen.mypy_plugin only", ctx.context)
        return AnyType(TypeOfAny.from_error)
    inner = ctx.api.analyze_type(args[0])
    kind = _decorator_kind(ctx, args[1].name)
    if kind is None:
        return inner
    if is_input:
        return promise_of(ctx, inner) if kind == "workflow" else inner
    return body_result(ctx, inner)


def _decorator_kind(ctx: AnalyzeTypeContext, spelled: str) -> str | None:
    lookup = getattr(ctx.api, "lookup_qualified", None)
    if lookup is None:  # pragma: no cover - not a mypy TypeAnalyser
        return None
    sym = lookup(spelled, ctx.context, suppress_errors=True)
    if sym is None or sym.node is None:
        return None
    if isinstance(sym.node, PlaceholderNode):
        semanal = getattr(ctx.api, "api", None)
        if semanal is not None:
            semanal.record_incomplete_ref()
        return None
    kind = names.DECORATORS.get(sym.node.fullname)
    return kind if kind in ("workflow", "dynamic") else None


def promise_of(ctx: AnalyzeTypeContext, inner: Type) -> ProperType:
    return ctx.api.named_type(names.PROMISE, [inner])


def body_result(ctx: AnalyzeTypeContext, declared: Type) -> Type:
    proper = get_proper_type(declared)
    if isinstance(proper, NoneType):
        return UnionType([proper, ctx.api.named_type(names.NODE_HANDLE, [])])
    if isinstance(proper, TupleType):
        items: list[Type] = [_body_value(ctx, item) for item in proper.items]
        as_values = TupleType(items, ctx.api.named_type("builtins.tuple", [AnyType(TypeOfAny.special_form)]))
        variants: list[Type] = [as_values, promise_of(ctx, declared)]
        if len(proper.items) == 1 and proper.partial_fallback.type.is_named_tuple:
            variants.append(_body_value(ctx, proper.items[0]))  # a one-field NamedTuple returned bare
        return UnionType(variants)
    return _body_value(ctx, declared)


def _body_value(ctx: AnalyzeTypeContext, declared: Type) -> Type:
    """``declared``, a Promise of it, or a list/dict of such values (Promise first: the
    decorator hook takes the first Promise of the union as the declared output)."""
    proper = get_proper_type(declared)
    variants: list[Type] = [declared, promise_of(ctx, declared)]
    if isinstance(proper, Instance) and proper.type.fullname == "builtins.list" and len(proper.args) == 1:
        variants.append(ctx.api.named_type("typing.Sequence", [_body_value(ctx, proper.args[0])]))
    elif isinstance(proper, Instance) and proper.type.fullname == "builtins.dict" and len(proper.args) == 2:
        key, value = proper.args
        variants.append(ctx.api.named_type("typing.Mapping", [key, _body_value(ctx, value)]))
    return UnionType(variants)
