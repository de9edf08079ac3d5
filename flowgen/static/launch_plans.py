"""``Echo(...)`` and ``LaunchPlan.create/get_or_create/get_default_launch_plan(...)``.

Their arguments are read from the CST (an Echo's input types are annotations)
and registered in :class:`~flowgen.static.flyte_objects.PlanRegistry`; calling a
launch plan in a workflow appends a workflow node naming it, with its fixed
and default inputs bound.
"""

from __future__ import annotations

import os
from typing import Any

import libcst as cst

from flowgen.ir.model import Param, SourceSpan
from flowgen.static.abstract_values import EntityValue, OutsideSubset, contains_opaque
from flowgen.static.annotations import UnsupportedType
from flowgen.static.body_base import BodyState
from flowgen.static.checks import INVALID_OPTION, RAISES, UNKNOWN_INPUT, UNSUPPORTED_TYPE
from flowgen.static.flyte_objects import LaunchPlanValue, PlanError, echo_entity
from flowgen.static.specs import FLYTE_ONLY_OPTIONS, TASK_OPTIONS
from flowgen.static.values import Misuse, Opaque, contains_placeholder

__all__ = ["FLYTE_BUILDERS", "LaunchPlansMixin"]


FLYTE_BUILDERS: dict[str, tuple[str, ...]] = {
    "flowgen.Echo": ("name", "inputs"),
    "flowgen.LaunchPlan.get_or_create": ("workflow", "name", "default_inputs", "fixed_inputs"),
    "flowgen.LaunchPlan.create": ("name", "workflow", "default_inputs", "fixed_inputs"),
    "flowgen.LaunchPlan.get_default_launch_plan": ("ctx", "workflow"),
}


class LaunchPlansMixin(BodyState):
    """``Echo(...)`` and ``LaunchPlan.*(...)``: objects built by calls, and calls of launch plans."""

    def construction_site(self, node: cst.Call) -> SourceSpan | None:
        """Where ``node`` starts, also for a module-level constant (what the tracer's ``user_span`` records)."""
        parsed = self.parsed or self.project.parsed_module(self.module)
        if parsed is None:
            return None
        start = parsed.positions.call_start(node, self.stmt)
        if start is None:
            span = parsed.positions.span(node, self.stmt)
            if span is None:
                return None
            start = (span.line, span.column)
        return SourceSpan(file=os.path.abspath(parsed.path), line=start[0], column=start[1])

    def cst_arguments(self, node: cst.Call, names: tuple[str, ...],
                      what: str) -> tuple[dict[str, cst.BaseExpression], dict[str, cst.BaseExpression]]:
        """The argument expressions of a call by parameter name, and the other keywords (unevaluated)."""
        given: dict[str, cst.BaseExpression] = {}
        extra: dict[str, cst.BaseExpression] = {}
        for i, arg in enumerate(node.args):
            if arg.star:
                raise OutsideSubset(f"`{arg.star}` arguments of {what} are outside the static subset", arg)
            if arg.keyword is None:
                if i >= len(names):
                    raise Misuse(RAISES, f"{what} takes at most {len(names)} positional argument(s)", None, node)
                key = names[i]
            else:
                key = arg.keyword.value
            if key in given or key in extra:
                raise Misuse(RAISES, f"{what} got argument {key!r} twice", None, arg)
            (given if key in names else extra)[key] = arg.value
        return given, extra

    def make_echo(self, node: cst.Call) -> EntityValue:
        given, extra = self.cst_arguments(node, ("name", "inputs"), "Echo()")
        name = self.ev(given["name"]) if "name" in given else None
        if not isinstance(name, str):
            raise Misuse(RAISES, "Echo() takes a constant str name", None, given.get("name", node))
        params: list[Param] = []
        inputs = given.get("inputs")
        if inputs is not None and not (isinstance(inputs, cst.Name) and inputs.value == "None"):
            if not isinstance(inputs, cst.Dict):
                raise OutsideSubset(f"Echo {name!r}: inputs are followed statically as a dict literal "
                                    "{\"name\": type, ...}", inputs)
            for e in inputs.elements:
                if not isinstance(e, cst.DictElement):
                    raise OutsideSubset(f"Echo {name!r}: `**` in inputs is outside the static subset", e)
                key = self.ev(e.key)
                if not isinstance(key, str):
                    raise Misuse(RAISES, f"Echo {name!r}: input names are str, not {key!r}", None, e.key)
                try:
                    spec = self.compiler.types.spec(e.value, self.module)
                except UnsupportedType as exc:
                    raise Misuse(UNSUPPORTED_TYPE, f"Echo {name!r}: input {key!r}: {exc}", None, e.value) from None
                params = [p for p in params if p.name != key] + [Param(name=key, type=spec)]
        options: dict[str, Any] = {}
        for key, expr in extra.items():
            if key in FLYTE_ONLY_OPTIONS:
                continue
            if key not in TASK_OPTIONS or key == "name":
                raise Misuse(INVALID_OPTION, f"Echo {name!r}: unknown option(s) {key}",
                             f"known options: {', '.join(sorted(TASK_OPTIONS - {'name'}))}", expr)
            options[key] = self.ev(expr)
        site = self.construction_site(node)
        entity = echo_entity(self.module, name, params, site, site.line if site is not None else 1)
        entity.spec = self.compiler.specs.task_spec(entity, options, 0)
        if entity.problems:
            problem = entity.problems[0]
            raise Misuse(problem.check, problem.message, problem.hint, node)
        return EntityValue(entity)

    def make_launch_plan(self, qualname: str, node: cst.Call) -> LaunchPlanValue:
        method = qualname.rpartition(".")[2]
        what = f"LaunchPlan.{method}()"
        given, _ = self.cst_arguments(node, FLYTE_BUILDERS[qualname], what)  # other keywords: Flyte's, ignored
        values = {k: self.ev(v) for k, v in given.items() if k != "ctx"}
        for key, value in values.items():
            if contains_placeholder(value) or contains_opaque(value) is not None:
                raise OutsideSubset(f"{what}: {key} cannot be computed statically", given[key])
        workflow = values.get("workflow")
        if not isinstance(workflow, EntityValue) or workflow.entity.kind != "workflow":
            raise Misuse(RAISES, f"{what} needs a @workflow", None, given.get("workflow", node))
        entity = workflow.entity
        if not entity.ok:
            raise OutsideSubset(f"{what} of workflow {entity.name}, whose definition has errors", node)
        plans = self.compiler.plans
        try:
            if method == "create":
                return plans.create(values.get("name"), entity, values.get("default_inputs"),
                                    values.get("fixed_inputs"))
            if method == "get_or_create":
                return plans.get_or_create(entity, values.get("name"), values.get("default_inputs"),
                                           values.get("fixed_inputs"))
            return plans.get_or_create(entity, None, None, None)
        except PlanError as exc:
            raise Misuse(exc.check or RAISES, str(exc), None, node) from None

    def call_launch_plan(self, plan: LaunchPlanValue, args: tuple[Any, ...], kwargs: dict[str, Any], node: cst.Call,
                         arg_nodes: dict[Any, cst.CSTNode]) -> Any:
        if self.mode == "constant" or self.graph is None:
            raise OutsideSubset(f"launch plan {plan.name!r} called outside a workflow body", node)
        fixed_given = sorted(set(kwargs) & set(plan.fixed))
        if fixed_given:
            self.report(UNKNOWN_INPUT, f"launch plan {plan.name!r}: input(s) {', '.join(fixed_given)} are fixed",
                        arg_nodes.get(fixed_given[0], node), "a fixed input of a launch plan cannot be given")
            kwargs = {k: v for k, v in kwargs.items() if k not in plan.fixed}
        entity = plan.workflow
        if not self.callee_ok(entity, node):
            return Opaque(None, f"the result of launch plan {plan.name!r}", poisoned=True)
        inputs = self.bind_inputs(plan.interface, entity.kind, entity.name, args, kwargs, node, arg_nodes)
        inputs.update(plan.extra_bindings(set(inputs)))
        return self.add_node(entity, plan.interface, inputs, node, launch_plan=plan.name)
