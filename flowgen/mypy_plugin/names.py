"""Fully qualified names the plugin dispatches on (as mypy sees them through the stubs)."""

from __future__ import annotations

from typing import Final

PROMISE: Final = "flowgen.tracing.promise.Promise"
CONDITION: Final = "flowgen.tracing.promise.ConditionExpr"
NODE_HANDLE: Final = "flowgen.tracing.promise.NodeHandle"

TASK: Final = "flowgen.dsl.entities.Task"
DYNAMIC: Final = "flowgen.dsl.entities.Dynamic"
WORKFLOW: Final = "flowgen.dsl.entities.Workflow"
LAUNCH_PLAN: Final = "flowgen.dsl.launch_plan.LaunchPlan"
MAP_TASK_CLASS: Final = "flowgen.dsl.map_task.MapTask"
EAGER: Final = "flowgen.dsl.eager.Eager"
MAP_TASK: Final = "flowgen.dsl.map_task.map_task"
ECHO: Final = "flowgen.dsl.echo.Echo"
CASE_THEN: Final = "flowgen.dsl.conditional._CaseThen.then"
ELSE_THEN: Final = "flowgen.dsl.conditional._ElseThen.then"
ELSE_FAIL: Final = "flowgen.dsl.conditional._ElseThen.fail"
FUNCTOOLS_PARTIAL: Final = "functools.partial"

# Classes whose instances are nodes when called inside a @workflow or @dynamic body.
CALLABLE_NODES: Final = (TASK, WORKFLOW, LAUNCH_PLAN, MAP_TASK_CLASS, EAGER)

# The decorators, bare (`@workflow`) and as factories (`@workflow(name=...)`).
DECORATORS: Final = {
    "flowgen.dsl.decorators.task": "task",
    "flowgen.dsl.decorators.dynamic": "dynamic",
    "flowgen.dsl.decorators.workflow": "workflow",
    "flowgen.dsl.eager.eager": "eager",  # an async body of plain typed Python whose task calls are awaited
}
DECORATOR_FACTORIES: Final = {
    "flowgen.dsl.decorators._TaskDecorator.__call__": "task",
    "flowgen.dsl.decorators._DynamicDecorator.__call__": "dynamic",
    "flowgen.dsl.decorators._WorkflowDecorator.__call__": "workflow",
}

LAUNCH_PLAN_CONSTRUCTORS: Final = (
    f"{LAUNCH_PLAN}.get_or_create",
    f"{LAUNCH_PLAN}.create",
)

# Marker classes in stubs/flowgen/tracing/promise.pyi, bound in user modules under private
# names by the parse-time rewrite (see rewrite.py).
MARKER_MODULE: Final = "flowgen.tracing.promise"
MARKER_INPUT: Final = "flowgen.tracing.promise._FlowgenWorkflowInput"
MARKER_RESULT: Final = "flowgen.tracing.promise._FlowgenBodyResult"
MARKER_REBINDABLE: Final = "flowgen.tracing.promise._flowgen_rebindable"
MARKER_PROBE: Final = "flowgen.tracing.promise._flowgen_probe"
ALIAS_INPUT: Final = "_flowgen_workflow_input_"
ALIAS_RESULT: Final = "_flowgen_body_result_"
ALIAS_REBINDABLE: Final = "_flowgen_rebindable_"
ALIAS_PROBE: Final = "_flowgen_probe_"

# Members of Promise that are real attributes, not fields of the promised value.
PROMISE_MEMBERS: Final = frozenset(
    {"ref", "type", "node_id", "is_true", "is_false", "is_none", "with_overrides"}
)
