"""``LaunchPlan.get_or_create(wf, ...)`` / ``LaunchPlan.create(name, wf, ...)``: the plan's signature.

A plan is called like its workflow, less what the plan decides, when the dicts are
written literally (``fixed_inputs={"punctuation": "!"}``):

===================  ===========================================  ==================
input in             in the plan's signature                      checked
===================  ===========================================  ==================
``fixed_inputs``     gone (the runtime rejects it if given)       value fits input
``default_inputs``   optional                                     value fits input
neither              as in the workflow                           --
===================  ===========================================  ==================

A key that is not an input of the workflow is a flowgen-wiring error, as at run time.
"""

from __future__ import annotations

from mypy.nodes import ARG_NAMED, ARG_NAMED_OPT, ARG_OPT, ARG_POS, ArgKind, DictExpr, Expression, StrExpr
from mypy.plugin import MethodContext
from mypy.types import Instance, Parameters, Type, get_proper_type

import flowgen.mypy_plugin.codes as codes
from flowgen.mypy_plugin.entities import check_input
from flowgen.mypy_plugin.messages import report


def _literal_dict(ctx: MethodContext, formal: str) -> list[tuple[str, Expression, Type]] | None:
    for name, exprs, _types in zip(ctx.callee_arg_names, ctx.args, ctx.arg_types):
        if name == formal and exprs:
            value = exprs[0]
            if not isinstance(value, DictExpr):
                return None
            lookup = getattr(ctx.api, "lookup_type_or_none", None)
            entries = []
            for key, item in value.items:
                if isinstance(key, StrExpr):
                    item_type = lookup(item) if lookup is not None else None
                    if item_type is not None:
                        entries.append((key.value, item, item_type))
            return entries
    return []


def _optional(kind: ArgKind) -> ArgKind:
    return {ARG_POS: ARG_OPT, ARG_NAMED: ARG_NAMED_OPT}.get(kind, kind)


def plan_construction(ctx: MethodContext) -> Type:
    plan = get_proper_type(ctx.default_return_type)
    if not isinstance(plan, Instance) or len(plan.args) != 2:
        return ctx.default_return_type
    params = get_proper_type(plan.args[0])
    if not isinstance(params, Parameters):
        return ctx.default_return_type
    fixed = _literal_dict(ctx, "fixed_inputs")
    defaults = _literal_dict(ctx, "default_inputs")
    names = list(params.arg_names)
    for entries, what in ((fixed or [], "fixed"), (defaults or [], "default")):
        for key, expr, typ in entries:
            if key not in names:
                report(ctx.api, f'Launch plan {what} input "{key}" is not an input of the workflow', expr,
                       codes.FLOWGEN_WIRING)
            else:
                check_input(ctx.api, typ, params.arg_types[names.index(key)], expr, key, "the launch plan",
                            plain_checked=False)
    if fixed is None or defaults is None:  # not literal: keep the workflow's signature
        return ctx.default_return_type
    gone = {key for key, _, _ in fixed}
    optional = {key for key, _, _ in defaults}
    keep = [i for i, name in enumerate(names) if name not in gone]
    # Once an input is dropped, later ones are passed by keyword.
    kinds = []
    dropped = False
    for i, name in enumerate(names):
        if name in gone:
            dropped = True
            continue
        kind = params.arg_kinds[i]
        if dropped and kind in (ARG_POS, ARG_OPT):
            kind = ARG_NAMED if kind == ARG_POS else ARG_NAMED_OPT
        kinds.append(_optional(kind) if name in optional else kind)
    new_params = params.copy_modified(
        arg_types=[params.arg_types[i] for i in keep],
        arg_kinds=kinds,
        arg_names=[names[i] for i in keep],
    )
    return plan.copy_modified(args=[new_params, plan.args[1]])
