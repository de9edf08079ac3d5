"""Flyte's launch plans: a workflow with some inputs given defaults or fixed.

* ``LaunchPlan.get_or_create(wf, name=None, default_inputs=None, fixed_inputs=None)``:
  the plan of that name (created once; asking again with other inputs is an error).
  Without a name, the workflow's default plan.
* ``LaunchPlan.create(name, wf, default_inputs=None, fixed_inputs=None)``: a new plan.
* ``LaunchPlan.get_default_launch_plan(ctx, wf)``: the default plan (``ctx`` is ignored).

Calling a plan runs its workflow with the plan's inputs; inside a workflow it is a
sub-workflow node whose fixed and default inputs are bound as literals. A fixed input
cannot be given by the caller.
"""

from __future__ import annotations

import threading
from typing import Any

from flowgen.dsl.cluster_config import check_cluster_options
from flowgen.dsl.entities import Workflow
from flowgen.errors import DefinitionError, InputValidationError
from flowgen.ir.codec import to_json
from flowgen.ir.model import Interface, LiteralBinding, Program
from flowgen.ir.values import TypeMismatch, checker
from flowgen.runtime.plain import in_plain_mode
from flowgen.tracing.builder import current_builder, literal_binding
from flowgen.tracing.callsite import user_location

__all__ = ["LaunchPlan"]

_plans: dict[str, LaunchPlan] = {}
_lock = threading.Lock()


class LaunchPlan:
    kind = "workflow"

    def __init__(
        self, name: str, workflow: Workflow, default_inputs: dict[str, Any] | None,
        fixed_inputs: dict[str, Any] | None,
    ) -> None:
        if not isinstance(workflow, Workflow):
            raise DefinitionError(f"launch plan {name!r} needs a @workflow, not {workflow!r}", location=user_location(3))
        self.launch_plan_name = name
        self.workflow = workflow
        self.name = name  # as in Flyte: the plan's own name (its workflow is workflow_name)
        self.workflow_name = workflow.name
        self.default_inputs = self._validated(default_inputs or {}, "default")
        self.fixed_inputs = self._validated(fixed_inputs or {}, "fixed")
        clash = sorted(set(self.default_inputs) & set(self.fixed_inputs))
        if clash:
            raise DefinitionError(f"launch plan {name!r}: input(s) {', '.join(clash)} both default and fixed",
                                  location=user_location(3))
        params = []
        for p in workflow.interface.inputs:
            if p.name in self.fixed_inputs:
                continue
            if p.name in self.default_inputs:
                p = p.model_copy(update={"has_default": True,
                                         "default": to_json(self.default_inputs[p.name], p.type)})
            params.append(p)
        self.interface = Interface(inputs=tuple(params), outputs=workflow.interface.outputs,
                                   output_form=workflow.interface.output_form,
                                   output_ref=workflow.interface.output_ref)

    def _validated(self, values: dict[str, Any], kind: str) -> dict[str, Any]:
        out = {}
        for key, value in values.items():
            param = self.workflow.interface.input(key)
            if param is None:
                raise DefinitionError(f"launch plan {self.launch_plan_name!r}: {kind} input {key!r} is not an input "
                                      f"of {self.workflow.name}", location=user_location(4))
            try:
                out[key] = checker(param.type)(value)
            except TypeMismatch as exc:
                raise DefinitionError(f"launch plan {self.launch_plan_name!r}: {kind} input {key!r}: "
                                      f"{exc.describe()}", location=user_location(4)) from None
        return out

    def __repr__(self) -> str:
        return f"<LaunchPlan {self.launch_plan_name} of {self.workflow.name}>"

    # -- Flyte's constructors -----------------------------------------------------------------
    @classmethod
    def get_or_create(
        cls, workflow: Workflow, name: str | None = None, default_inputs: dict[str, Any] | None = None,
        fixed_inputs: dict[str, Any] | None = None, **_flyte: Any,
    ) -> LaunchPlan:
        plan_name = name or workflow.name
        with _lock:
            existing = _plans.get(plan_name)
            if existing is not None:
                same = (existing.workflow is workflow and existing.default_inputs == (default_inputs or {})
                        and existing.fixed_inputs == (fixed_inputs or {}))
                if name is None or same:
                    return existing
                raise DefinitionError(f"launch plan {plan_name!r} already exists with other inputs",
                                      location=user_location(2))
            plan = cls(plan_name, workflow, default_inputs, fixed_inputs)
            _plans[plan_name] = plan
        check_cluster_options(_flyte, f"launch plan {plan_name}", user_location(2))
        return plan

    @classmethod
    def create(
        cls, name: str, workflow: Workflow, default_inputs: dict[str, Any] | None = None,
        fixed_inputs: dict[str, Any] | None = None, **_flyte: Any,
    ) -> LaunchPlan:
        with _lock:
            if name in _plans:
                raise DefinitionError(f"launch plan {name!r} already exists", location=user_location(2))
            plan = cls(name, workflow, default_inputs, fixed_inputs)
            _plans[name] = plan
        check_cluster_options(_flyte, f"launch plan {name}", user_location(2))
        return plan

    @classmethod
    def get_default_launch_plan(cls, _ctx: Any, workflow: Workflow) -> LaunchPlan:
        return cls.get_or_create(workflow)

    # -- the builder's callee protocol --------------------------------------------------------
    def compile_program(self) -> Program:
        return self.workflow.compile_program()

    def extra_bindings(self, given: set[str]) -> dict[str, LiteralBinding]:
        """Fixed inputs, and defaults the caller did not override, as literals of the node."""
        extra = {}
        for key, value in {**self.default_inputs, **self.fixed_inputs}.items():
            if key not in given:
                param = self.workflow.interface.input(key)
                assert param is not None
                extra[key] = literal_binding(value, param.type)
        return extra

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        fixed_given = sorted(set(kwargs) & set(self.fixed_inputs))
        if fixed_given:
            raise InputValidationError(
                f"launch plan {self.launch_plan_name!r}: input(s) {', '.join(fixed_given)} are fixed",
                location=user_location(2), input=fixed_given[0],
            )
        builder = current_builder()
        if builder is not None:
            return builder.add_call(self, args, kwargs)  # type: ignore[arg-type]
        from flowgen.dsl.entities import _bind_top_level

        values = {**self.default_inputs, **_bind_top_level(self.interface, repr(self), args, kwargs),
                  **self.fixed_inputs}
        if in_plain_mode():
            return self.workflow.fn(**values)
        return self.workflow.run(values)
