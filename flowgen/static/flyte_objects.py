"""Flyte's ``Echo`` and ``LaunchPlan`` as the static front end sees them.

Both are objects the user builds by *calling* flowgen (usually at module level:
``keep = Echo(name="keep", inputs={"n": float})``, ``excited =
LaunchPlan.get_or_create(greeting, fixed_inputs={...})``), so the static compiler
evaluates those calls itself, from the CST, and this module holds what they
build. The reference is the runtime (``flowgen.dsl.echo``, ``flowgen.dsl.launch_plan``):

=====================  ==================================================================
runtime                static
=====================  ==================================================================
``Echo(name, inputs)``  an :class:`~flowgen.static.specs.Entity` of kind ``task`` named
                        ``flowgen.echo.<name>``, function ``flowgen.dsl.echo:echo``,
                        outputs ``o0..`` typed like the inputs, source = the ``Echo(...)``
                        call (both front ends record the construction site)
``LaunchPlan.*``        a :class:`LaunchPlanValue`: the workflow entity, the plan name,
                        fixed and default inputs as literals (validated here, as the
                        runtime validates them), and the plan's interface
plan registry           one per :class:`~flowgen.static.compiler.ProgramCompiler`:
                        ``create`` of an existing name and ``get_or_create`` of a name
                        with other inputs are errors, as at run time
=====================  ==================================================================

Errors are raised as :class:`PlanError` with a message; the compiler turns them
into located diagnostics.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flowgen.ir.model import Interface, LiteralBinding, Output, Param, SourceSpan
from flowgen.static.checks import TYPE_MISMATCH, UNKNOWN_INPUT, Check
from flowgen.static.literals import LiteralMismatch, literal_binding
from flowgen.static.specs import Entity
from flowgen.static.summary import FunctionInfo
from flowgen.static.symbols import FunctionRef

__all__ = ["ECHO_FUNCTION", "LaunchPlanValue", "PlanError", "PlanRegistry", "echo_entity", "launch_plan"]

ECHO_FUNCTION = "flowgen.dsl.echo:echo"


class PlanError(Exception):
    """An Echo or launch plan the runtime would refuse to build; ``check`` is its FG code when it has one."""

    def __init__(self, message: str, check: Check | None = None) -> None:
        super().__init__(message)
        self.check = check


def echo_entity(module: str, name: str, params: list[Param], source: SourceSpan | None, line: int) -> Entity:
    """The task ``Echo(name=name, inputs=...)`` builds (its spec is added by the caller, with options)."""
    outputs = tuple(Output(name=f"o{i}", type=p.type) for i, p in enumerate(params))
    form = "none" if not outputs else ("single" if len(outputs) == 1 else "tuple")
    info = FunctionInfo(name=f"Echo({name!r})", index=-1, line=line, decorators=(), params=(), returns=None)
    return Entity(kind="task", ref=FunctionRef(module, info), name=f"flowgen.echo.{name}", function=ECHO_FUNCTION,
                  interface=Interface(inputs=tuple(params), outputs=outputs, output_form=form),  # type: ignore[arg-type]
                  source=source or SourceSpan(file=module, line=line, column=0))


@dataclass(frozen=True)
class LaunchPlanValue:
    """A launch plan: calling it in a body adds a workflow node with ``launch_plan=name``."""

    name: str
    workflow: Entity
    defaults: dict[str, LiteralBinding]
    fixed: dict[str, LiteralBinding]
    raw: tuple[tuple[str, Any], ...]  # the given inputs, to compare plans of the same name
    interface: Interface

    def extra_bindings(self, given: set[str]) -> dict[str, LiteralBinding]:
        """Fixed inputs, and defaults the caller did not override (``LaunchPlan.extra_bindings``)."""
        return {k: b for k, b in {**self.defaults, **self.fixed}.items() if k not in given}


def _validated(name: str, workflow: Entity, values: Any, kind: str) -> dict[str, LiteralBinding]:
    if values is None:
        return {}
    if not isinstance(values, dict):
        raise PlanError(f"launch plan {name!r}: {kind}_inputs must be a dict, not {values!r}")
    assert workflow.interface is not None
    out = {}
    for key, value in values.items():
        param = workflow.interface.input(key)
        if param is None:
            known = ", ".join(p.name for p in workflow.interface.inputs) or "none"
            raise PlanError(f"launch plan {name!r}: {kind} input {key!r} is not an input of {workflow.name} "
                            f"(inputs: {known})", UNKNOWN_INPUT)
        try:
            out[key] = literal_binding(value, param.type)
        except LiteralMismatch as exc:
            raise PlanError(f"launch plan {name!r}: {kind} input {key!r}: {exc.describe()}", TYPE_MISMATCH) from None
    return out


def launch_plan(name: str, workflow: Entity, default_inputs: Any, fixed_inputs: Any) -> LaunchPlanValue:
    """``LaunchPlan(name, workflow, default_inputs, fixed_inputs)``, validated like the runtime's."""
    if workflow.kind != "workflow" or workflow.interface is None:
        raise PlanError(f"launch plan {name!r} needs a @workflow, not {workflow.kind} {workflow.name}")
    defaults = _validated(name, workflow, default_inputs, "default")
    fixed = _validated(name, workflow, fixed_inputs, "fixed")
    clash = sorted(set(defaults) & set(fixed))
    if clash:
        raise PlanError(f"launch plan {name!r}: input(s) {', '.join(clash)} both default and fixed")
    params = []
    for p in workflow.interface.inputs:
        if p.name in fixed:
            continue
        if p.name in defaults:
            p = p.model_copy(update={"has_default": True, "default": defaults[p.name].value})
        params.append(p)
    wf = workflow.interface
    interface = Interface(inputs=tuple(params), outputs=wf.outputs, output_form=wf.output_form,
                          output_ref=wf.output_ref)
    raw = (("default", repr(default_inputs or {})), ("fixed", repr(fixed_inputs or {})))
    return LaunchPlanValue(name, workflow, defaults, fixed, raw, interface)


class PlanRegistry:
    """Launch plans by name, as ``flowgen.dsl.launch_plan`` keeps them."""

    def __init__(self) -> None:
        self._plans: dict[str, LaunchPlanValue] = {}

    def get_or_create(self, workflow: Entity, name: Any, default_inputs: Any, fixed_inputs: Any) -> LaunchPlanValue:
        if name is not None and not isinstance(name, str):
            raise PlanError(f"a launch plan name is a str, not {name!r}")
        plan_name = name or workflow.name
        existing = self._plans.get(plan_name)
        if existing is not None:
            if name is None:
                return existing
            plan = launch_plan(plan_name, workflow, default_inputs, fixed_inputs)
            same = existing.workflow is workflow and existing.raw == plan.raw
            if same:
                return existing
            raise PlanError(f"launch plan {plan_name!r} already exists with other inputs")
        plan = launch_plan(plan_name, workflow, default_inputs, fixed_inputs)
        self._plans[plan_name] = plan
        return plan

    def create(self, name: Any, workflow: Entity, default_inputs: Any, fixed_inputs: Any) -> LaunchPlanValue:
        if not isinstance(name, str):
            raise PlanError(f"a launch plan name is a str, not {name!r}")
        if name in self._plans:
            raise PlanError(f"launch plan {name!r} already exists")
        plan = launch_plan(name, workflow, default_inputs, fixed_inputs)
        self._plans[name] = plan
        return plan
