"""A traced workflow's failure handling: ``@workflow(on_failure=..., failure_policy=...)``.

The handler's node is built by the shared rule (:func:`flowgen.ir.failure_handlers.handler_node`);
its task or workflow joins the program's tables like any callee's. A mistake is a
DefinitionError at the workflow's definition, as flytekit raises when it compiles the failure node.
"""

from __future__ import annotations

from typing import Any

from flowgen.errors import DefinitionError, SourceLocation
from flowgen.ir.failure_handlers import POLICIES, handler_node
from flowgen.ir.model import FailureHandler, FailurePolicy, Interface, TaskSpec, WorkflowSpec

__all__ = ["failure_fields", "failure_policy"]


def failure_policy(value: Any, what: str, location: SourceLocation | None) -> FailurePolicy:
    """The IR's policy for ``failure_policy=`` (a WorkflowFailurePolicy member, its name, or None)."""
    if value is None:
        return "fail_immediately"
    name = getattr(value, "name", value)
    policy: FailurePolicy | None = POLICIES.get(name) if isinstance(name, str) else None
    if policy is None:
        raise DefinitionError(
            f"{what}: failure_policy must be a WorkflowFailurePolicy "
            f"({', '.join(POLICIES)}), not {value!r}", location=location)
    return policy


def failure_fields(
    name: str, interface: Interface, handler: Any, policy: str, tasks: dict[str, TaskSpec],
    workflows: dict[str, WorkflowSpec], location: SourceLocation | None,
) -> dict[str, Any]:
    """The WorkflowSpec fields for the workflow's failure handling (empty when it has none)."""
    fields: dict[str, Any] = {}
    if policy != "fail_immediately":
        fields["failure_policy"] = policy
    if handler is None:
        return fields
    kind = getattr(handler, "kind", None)
    if kind not in ("task", "workflow", "dynamic") or not hasattr(handler, "interface"):
        raise DefinitionError(f"@workflow {name}: on_failure must be a @task or a @workflow, not {handler!r}",
                              location=location)
    found: FailureHandler | None
    found, problems = handler_node(interface, handler.interface, kind, handler.name,
                                   workflow_name=getattr(handler, "workflow_name", None))
    if problems:
        raise DefinitionError(f"@workflow {name}: " + "; ".join(problems), location=location)
    if kind == "workflow":
        program = handler.compile_program()
        workflows.update(program.workflows)
        tasks.update(program.tasks)
    else:
        tasks[handler.name] = handler.spec()
    fields["on_failure"] = found
    return fields
