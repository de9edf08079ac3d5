"""How ``@workflow(on_failure=handler)`` is wired: one rule, shared by the tracer and ``check``.

flytekit compiles the failure node by calling the handler with the workflow's own input
Promises, so the handler must take exactly the workflow's inputs (an input the workflow lacks
needs a default), plus, optionally, ``err: Optional[FlyteError]``, which the run fills with the
failure. :func:`handler_node` checks that and builds the node (id ``on_failure``); a mistake is
a list of messages, which each front end raises or reports at the decorator.
"""

from __future__ import annotations

from flowgen.ir.compat import is_assignable
from flowgen.ir.model import Binding, FailureHandler, FailurePolicy, InputRef, Interface, TaskNode, WorkflowNode
from flowgen.ir.types import FieldSpec, RecordType, TypeSpec, UnionType, primitive, render_type

__all__ = ["ERROR_INPUT", "FLYTE_ERROR_REF", "FLYTE_ERROR_TYPE", "HANDLER_NODE_ID", "POLICIES", "handler_node"]

HANDLER_NODE_ID = "on_failure"
ERROR_INPUT = "err"
FLYTE_ERROR_REF = "flowgen.types.error:FlyteError"
# The IR type of flowgen.types.error.FlyteError (what ir.annotations derives from the dataclass;
# the static front end, which reads no flowgen module, uses this one; a test keeps them equal).
# Made without checks: the values are flowgen's own.
FLYTE_ERROR_TYPE = RecordType.model_construct(flavor="dataclass", ref=FLYTE_ERROR_REF, fields=(
    FieldSpec.model_construct(name="message", type=primitive("str")),
    FieldSpec.model_construct(name="failed_node_id", type=primitive("str"))))
# WorkflowFailurePolicy member names -> the IR's policy.
POLICIES: dict[str, FailurePolicy] = {
    "FAIL_IMMEDIATELY": "fail_immediately",
    "FAIL_AFTER_EXECUTABLE_NODES_COMPLETE": "fail_after_executable_nodes_complete",
}


def _is_flyte_error(spec: TypeSpec) -> bool:
    if isinstance(spec, RecordType):
        return spec.ref == FLYTE_ERROR_REF
    if isinstance(spec, UnionType):
        others = [v for v in spec.variants if not (v.kind == "primitive" and getattr(v, "name", "") == "none")]
        return len(others) == 1 and _is_flyte_error(others[0])
    return False


def handler_node(
    workflow: Interface, handler: Interface, kind: str, name: str, *, workflow_name: str | None = None
) -> tuple[FailureHandler | None, list[str]]:
    """The failure node for ``handler`` (a ``task`` or ``workflow`` called ``name``), or the problems."""
    problems: list[str] = []
    what = f"on_failure handler {kind} {name}"
    if kind not in ("task", "workflow"):
        return None, [f"{what}: the handler must be a @task or a @workflow, not a {kind}"]
    inputs: dict[str, Binding] = {}
    error_input = None
    for param in handler.inputs:
        source = workflow.input(param.name)
        if source is None and param.name == ERROR_INPUT:
            if not _is_flyte_error(param.type):
                problems.append(f"{what}: input {ERROR_INPUT!r} must be Optional[FlyteError] "
                                f"(flowgen.types.error.FlyteError), not {render_type(param.type)}")
            error_input = param.name
        elif source is not None:
            if not is_assignable(source.type, param.type):
                problems.append(f"{what}: input {param.name!r} is {render_type(param.type)} but the workflow's "
                                f"{param.name!r} is {render_type(source.type)}")
            inputs[param.name] = InputRef(name=param.name)
        elif not param.has_default:
            problems.append(f"{what}: input {param.name!r} is not an input of the workflow "
                            f"(a handler takes the workflow's inputs, and optionally {ERROR_INPUT})")
    for param in workflow.inputs:
        if handler.input(param.name) is None:
            problems.append(f"{what} does not take the workflow's input {param.name!r}: "
                            "a handler takes every input of the workflow it handles")
    if problems:
        return None, problems
    node: TaskNode | WorkflowNode
    if kind == "workflow":
        node = WorkflowNode(id=HANDLER_NODE_ID, workflow=workflow_name or name, inputs=inputs)
    else:
        node = TaskNode(id=HANDLER_NODE_ID, task=name, inputs=inputs)
    return FailureHandler(node=node, error_input=error_input), []
