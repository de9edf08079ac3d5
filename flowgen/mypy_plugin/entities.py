"""Tasks, workflows, dynamics, launch plans and maps: their types when decorated and called.

Decorating (hooks on ``workflow``/``dynamic``/``task`` and their ``(...)`` factories):
the result is ``Workflow[P, R]`` with the *declared* signature: the markers the
rewrite put in the signature (rewrite.py) are unwrapped, and defaults of inputs are
checked against the declared types (the rewrite cast them).

Calling (hooks on ``__call__`` of every subclass of Task, Workflow, LaunchPlan,
MapTask):

====================  ===================================  ==========================
where                 an input of type ``T`` accepts       the call returns
====================  ===================================  ==========================
@workflow / @dynamic  ``T`` or ``Promise[S]``, S fitting   Promise of the output(s)
body                  T by the runtime rule (compat.py)    (types_util.call_result)
anywhere else         ``T`` (``bool`` not for ``int``)     the declared output
====================  ===================================  ==========================
"""

from __future__ import annotations

from mypy import errorcodes
from mypy.nodes import (
    CallExpr,
    CastExpr,
    Context,
    Decorator,
    Expression,
    MemberExpr,
    NameExpr,
)
from mypy.plugin import (
    CheckerPluginInterface,
    FunctionContext,
    FunctionSigContext,
    MethodContext,
    MethodSigContext,
)
from mypy.subtypes import is_subtype
from mypy.types import (
    AnyType,
    CallableType,
    FunctionLike,
    Instance,
    NoneType,
    Parameters,
    Type,
    TypeOfAny,
    UnionType,
    get_proper_type,
)

import flowgen.mypy_plugin.codes as codes
import flowgen.mypy_plugin.names as names
from flowgen.mypy_plugin.compat import is_wiring_compatible
from flowgen.mypy_plugin.messages import report, show, show_pair
from flowgen.mypy_plugin.rewrite import original_default
from flowgen.mypy_plugin.scopes import body_kind, in_eager_body, kind_of
from flowgen.mypy_plugin.types_util import call_result, is_instance_of, promise_of, promised


# -- decorating -------------------------------------------------------------------------------
def decorated(ctx: FunctionContext | MethodContext) -> Type:
    result = get_proper_type(ctx.default_return_type)
    if not isinstance(result, Instance) or len(result.args) != 2:
        return ctx.default_return_type
    params = get_proper_type(result.args[0])
    if isinstance(params, (Parameters, CallableType)):
        params = params.copy_modified(arg_types=[_unwrap_input(t) for t in params.arg_types])
    declared = _unwrap_result(result.args[1])
    if _no_return_annotation(ctx.context):
        declared = NoneType()  # no return annotation: no outputs, as in Flyte
    entity = result.copy_modified(args=[params, declared])
    is_body = isinstance(ctx.context, Decorator) and kind_of(ctx.context) in ("workflow", "dynamic")
    if is_body and isinstance(ctx.context, Decorator) and isinstance(params, (Parameters, CallableType)):
        _check_defaults(ctx.api, ctx.context, params)
    return entity


def _no_return_annotation(context: Context) -> bool:
    if not isinstance(context, Decorator):
        return False
    written = context.func.unanalyzed_type
    if written is None:
        return True
    ret = get_proper_type(written.ret_type) if isinstance(written, CallableType) else None
    return isinstance(ret, AnyType) and ret.type_of_any == TypeOfAny.unannotated


def _unwrap_input(typ: Type) -> Type:
    inner = promised(typ)
    return inner if inner is not None else typ


def _unwrap_result(typ: Type) -> Type:
    proper = get_proper_type(typ)
    if isinstance(proper, UnionType):
        for item in proper.items:
            inner = promised(item)
            if inner is not None:
                return inner
            if is_instance_of(item, names.NODE_HANDLE):
                return NoneType()
    return typ


def _check_defaults(api: CheckerPluginInterface, decorator: Decorator, params: Parameters | CallableType) -> None:
    """A default of a rewritten input is checked here, against the declared type."""
    for argument, declared in zip(decorator.func.arguments, params.arg_types):
        default = argument.initializer
        if not isinstance(default, CastExpr):
            continue
        value = original_default(default)
        assert value is not None
        lookup = getattr(api, "lookup_type_or_none", None)
        actual = lookup(value) if lookup is not None else None
        if actual is None or is_subtype(actual, declared):
            continue
        api.fail(
            f'Incompatible default for parameter "{argument.variable.name}" (default has type '
            f"{show(api, actual)}, parameter has type {show(api, declared)})",
            value,
            code=errorcodes.ASSIGNMENT,
        )


# -- calling ----------------------------------------------------------------------------------
def callee_name(context: Context) -> str | None:
    if isinstance(context, CallExpr):
        callee = context.callee
        if isinstance(callee, (NameExpr, MemberExpr)):
            return callee.name
        if isinstance(callee, CallExpr):
            return callee_name(callee)
    return None


def node_signature(ctx: MethodSigContext) -> FunctionLike:
    """Name the callee after the task; inside a body, let every input take Promises too."""
    signature = ctx.default_signature
    name = callee_name(ctx.context)
    if name is not None:
        signature = signature.copy_modified(name=name)
    if body_kind(ctx.api) is None:
        return signature
    return signature.copy_modified(arg_types=[accepting(ctx.api, t) for t in signature.arg_types])


def accepting(api: CheckerPluginInterface, declared: Type) -> Type:
    """What an input of type ``declared`` takes inside a body, for mypy's own check.

    ``T | Promise[Any]``, where lists and dicts become ``Sequence``/``Mapping`` of what
    their items take (a list may mix Promises and constants; the runtime copies it, so
    covariance is safe). Whether a Promise's type fits is then decided by
    :func:`check_input` with the runtime's rule, reported as flowgen-wiring.
    """
    any_promise = promise_of(api, AnyType(TypeOfAny.special_form))
    proper = get_proper_type(declared)
    if isinstance(proper, Instance) and proper.type.fullname == "builtins.list" and len(proper.args) == 1:
        inner = api.named_generic_type("typing.Sequence", [accepting(api, proper.args[0])])
        return UnionType.make_union([inner, any_promise])
    if isinstance(proper, Instance) and proper.type.fullname == "builtins.dict" and len(proper.args) == 2:
        inner = api.named_generic_type("typing.Mapping", [proper.args[0], accepting(api, proper.args[1])])
        return UnionType.make_union([inner, any_promise])
    if isinstance(proper, UnionType):
        return UnionType.make_union([accepting(api, item) for item in proper.items])
    return UnionType.make_union([declared, any_promise])


def named_tuple_signature(ctx: FunctionSigContext) -> FunctionLike:
    """Inside a body, a NamedTuple output may be built from Promises: ``Fit(slope=p, ...)``."""
    if body_kind(ctx.api) is None:
        return ctx.default_signature
    signature = ctx.default_signature
    return signature.copy_modified(arg_types=[accepting(ctx.api, t) for t in signature.arg_types])


def node_call(ctx: MethodContext) -> Type:
    """Check what each input gets by the runtime's rule; inside a body, return Promises."""
    formals = _formal_inputs(ctx.type)
    name = callee_name(ctx.context) or "the task"
    if formals is not None:
        types, param_names = formals
        for i, (actual_types, actual_exprs) in enumerate(zip(ctx.arg_types, ctx.args)):
            if i >= len(types):
                break
            for actual, expr in zip(actual_types, actual_exprs):
                check_input(ctx.api, actual, types[i], expr, param_names[i] or f"#{i}", name)
    if body_kind(ctx.api) is not None:
        return call_result(ctx.api, ctx.default_return_type)
    if in_eager_body(ctx.api):  # awaited: a coroutine of the declared output
        any_type = AnyType(TypeOfAny.special_form)
        return ctx.api.named_generic_type("typing.Coroutine", [any_type, any_type, ctx.default_return_type])
    return ctx.default_return_type


def _formal_inputs(typ: Type) -> tuple[list[Type], list[str | None]] | None:
    proper = get_proper_type(typ)
    if not isinstance(proper, Instance) or not proper.args:
        return None
    params = get_proper_type(proper.args[0])
    if isinstance(params, (Parameters, CallableType)):
        return list(params.arg_types), list(params.arg_names)
    return None


def check_input(
    api: CheckerPluginInterface,
    actual: Type,
    formal: Type,
    expr: Expression,
    param: str,
    callee: str,
    *,
    plain_checked: bool = True,
) -> None:
    """Report what the runtime would reject; ``plain_checked``: mypy already checked plain values."""
    proper = get_proper_type(actual)
    items = proper.items if isinstance(proper, UnionType) else [proper]
    for item in items:
        inner = promised(item)
        if inner is not None:
            if not is_wiring_compatible(inner, formal):
                expected, got = show_pair(api, formal, item, inner)
                report(
                    api,
                    f'Input "{param}" of "{callee}" expects {expected}, but gets {got}',
                    expr,
                    codes.FLOWGEN_WIRING,
                )
                return
        elif is_instance_of(item, names.CONDITION):
            report(
                api,
                f'Input "{param}" of "{callee}" gets a comparison of Promises, whose value is known only '
                "when the workflow runs",
                expr,
                codes.FLOWGEN_PROMISE,
                "compute it in a task, or branch on it with conditional()",
            )
            return
        elif (is_subtype(item, formal) or not plain_checked) and not is_wiring_compatible(item, formal):
            expected, got = show_pair(api, formal, item, item)
            report(
                api,
                f'Input "{param}" of "{callee}" expects {expected}, but gets {got}',
                expr,
                codes.FLOWGEN_WIRING,
            )
            return

