"""``map_task(t)`` and ``functools.partial(t, ...)``: typed from the task.

``map_task(t, min_success_ratio=r)`` where ``t: Task[(a: A, b: B), R]`` is
``MapTask[(a: list[A], b: list[B]), list[R]]`` -- ``list[R | None]`` when ``r`` is a
literal below 1 (failed items become None). With ``functools.partial(t, b=...)`` the
fixed inputs drop out of the map's signature. The partial itself is checked here:
its keywords must be inputs of the task and fit them (a Promise is fine inside a
body), which mypy's own partial plugin would reject for Promises.
"""

from __future__ import annotations

from mypy.nodes import ARG_NAMED, CallExpr, Expression, FloatExpr, IntExpr, MemberExpr, NameExpr, RefExpr
from mypy.plugin import FunctionContext
from mypy.plugins.functools import partial_new_callback
from mypy.types import Instance, NoneType, Parameters, Type, UnionType, get_proper_type

import flowgen.mypy_plugin.codes as codes
import flowgen.mypy_plugin.names as names
from flowgen.mypy_plugin.entities import check_input
from flowgen.mypy_plugin.messages import report
from flowgen.mypy_plugin.types_util import flowgen_instance, is_instance_of


def _task_parameters(typ: Type) -> tuple[Instance, Parameters] | None:
    proper = get_proper_type(typ)
    if not isinstance(proper, Instance) or not is_instance_of(proper, names.TASK) or len(proper.args) != 2:
        return None
    params = get_proper_type(proper.args[0])
    if not isinstance(params, Parameters):
        return None
    return proper, params


def partial_call(ctx: FunctionContext) -> Type:
    """``functools.partial(task, name=value)``: check the fixed inputs by flowgen's rules."""
    if not ctx.arg_types or not ctx.arg_types[0]:
        return partial_new_callback(ctx)
    found = _task_parameters(ctx.arg_types[0][0])
    if found is None:
        return partial_new_callback(ctx)
    _, params = found
    task_name = _name(ctx.args[0][0])
    for actual_types, actual_exprs, actual_names in zip(ctx.arg_types[1:], ctx.args[1:], ctx.arg_names[1:]):
        for actual, expr, name in zip(actual_types, actual_exprs, actual_names):
            if name is None:
                report(ctx.api, "map_task: fix inputs of a partial by keyword, not by position", expr,
                       codes.FLOWGEN_WIRING)
                continue
            if name not in params.arg_names:
                report(ctx.api, f'"{task_name}" has no input "{name}"', expr, codes.FLOWGEN_WIRING)
                continue
            formal = params.arg_types[params.arg_names.index(name)]
            # mypy's own partial plugin is not run for a task, so plain values are checked here too
            check_input(ctx.api, actual, formal, expr, name, task_name, plain_checked=False)
    return ctx.default_return_type


def _name(expr: Expression) -> str:
    return expr.name if isinstance(expr, (NameExpr, MemberExpr)) else "the task"


def _ratio_below_one(ctx: FunctionContext) -> bool:
    for formal_name, exprs in zip(ctx.callee_arg_names, ctx.args):
        if formal_name == "min_success_ratio" and exprs:
            value = exprs[0]
            if isinstance(value, (FloatExpr, IntExpr)):
                return value.value < 1
            # None means the default (1.0); anything else not a literal: items may fail
            return not (isinstance(value, NameExpr) and value.fullname == "builtins.None")
    return False


def map_task_call(ctx: FunctionContext) -> Type:
    if not ctx.args or not ctx.args[0]:
        return ctx.default_return_type
    target_expr = ctx.args[0][0]
    target_type = ctx.arg_types[0][0]
    fixed: set[str] = set()
    if isinstance(target_expr, CallExpr) and isinstance(target_expr.callee, RefExpr) \
            and target_expr.callee.fullname == names.FUNCTOOLS_PARTIAL and target_expr.args:
        lookup = getattr(ctx.api, "lookup_type_or_none", None)
        inner = lookup(target_expr.args[0]) if lookup is not None else None
        if inner is None:
            return ctx.default_return_type
        target_type = inner
        fixed = {name for name in target_expr.arg_names[1:] if name is not None}
    found = _task_parameters(target_type)
    if found is None:
        return ctx.default_return_type
    task, params = found
    if is_instance_of(task, names.DYNAMIC):
        report(ctx.api, "map_task maps a @task, not a @dynamic", target_expr, codes.FLOWGEN_WIRING)
    keep = [i for i, name in enumerate(params.arg_names) if name not in fixed]
    mapped = params.copy_modified(
        arg_types=[ctx.api.named_generic_type("builtins.list", [params.arg_types[i]]) for i in keep],
        arg_kinds=[params.arg_kinds[i] if params.arg_kinds[i] != ARG_NAMED else ARG_NAMED for i in keep],
        arg_names=[params.arg_names[i] for i in keep],
    )
    item = task.args[1]
    if _ratio_below_one(ctx) and not isinstance(get_proper_type(item), NoneType):
        item = UnionType.make_union([item, NoneType()])
    result = ctx.api.named_generic_type("builtins.list", [item])
    return flowgen_instance(ctx.api, names.MAP_TASK_CLASS, [mapped, result])
