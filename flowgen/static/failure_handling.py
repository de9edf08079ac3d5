"""``@workflow(on_failure=..., failure_policy=...)`` read statically, into the same WorkflowSpec
fields the tracer records (:mod:`flowgen.tracing.failure`), by the same wiring rule
(:func:`flowgen.ir.failure_handlers.handler_node`). A mistake is an FG304 at the option."""

from __future__ import annotations

from typing import Any, Protocol

from flowgen.ir.failure_handlers import POLICIES, handler_node
from flowgen.ir.model import Program, TaskSpec, WorkflowSpec
from flowgen.static.abstract_values import EntityValue, ExternalValue
from flowgen.static.checks import INVALID_OPTION
from flowgen.static.specs import Entity, NotConstant

__all__ = ["failure_fields"]


class _Compiler(Protocol):  # flowgen.static.compiler.ProgramCompiler (which imports this module)
    specs: Any

    def constant(self, expr: Any, module: str, stmt: Any = None, entities: bool = False) -> Any: ...

    def compile_workflow(self, entity: Entity) -> Program | None: ...


class _Reporter(Protocol):  # a BodyCompiler
    stmt: Any

    def report(self, check: Any, message: str, node: Any, hint: str | None = None) -> None: ...


def _policy(value: Any) -> str | None:
    name = value.qualname.rsplit(".", 1)[-1] if isinstance(value, ExternalValue) else getattr(value, "name", value)
    if isinstance(value, ExternalValue) and ".WorkflowFailurePolicy." not in value.qualname:
        return None
    return POLICIES.get(name) if isinstance(name, str) else None


def failure_fields(compiler: _Compiler, body: _Reporter, entity: Entity, tasks: dict[str, TaskSpec],
                   workflows: dict[str, WorkflowSpec]) -> dict[str, Any] | None:
    """The workflow's failure fields, or None after reporting a mistake."""
    found = compiler.specs.decorator_kind(entity.ref.info, entity.ref.module)
    if found is None:
        return {}
    module, stmt = entity.ref.module, body.stmt
    fields: dict[str, Any] = {}
    for arg in found[2].args:
        key = arg.keyword.value if arg.keyword is not None else None
        if key == "failure_policy":
            try:
                value = compiler.constant(arg.value, module, stmt)
            except NotConstant:
                value = None
            policy = None if value is None else _policy(value)
            if policy is None:
                body.report(INVALID_OPTION, f"@workflow {entity.name}: failure_policy must be a "
                            f"WorkflowFailurePolicy ({', '.join(POLICIES)})", arg.value)
                return None
            if policy != "fail_immediately":
                fields["failure_policy"] = policy
        elif key == "on_failure":
            try:
                value = compiler.constant(arg.value, module, stmt, entities=True)
            except NotConstant:
                value = None
            if value is None:
                continue
            handler = value.entity if isinstance(value, EntityValue) else None
            if handler is None or handler.interface is None:
                body.report(INVALID_OPTION, f"@workflow {entity.name}: on_failure must be a @task or a @workflow",
                            arg.value)
                return None
            assert entity.interface is not None
            node, problems = handler_node(entity.interface, handler.interface, handler.kind, handler.name)
            if problems:
                body.report(INVALID_OPTION, f"@workflow {entity.name}: " + "; ".join(problems), arg.value)
                return None
            if handler.kind == "workflow":
                program: Program | None = compiler.compile_workflow(handler)
                if program is None:
                    return None
                workflows.update(program.workflows)
                tasks.update(program.tasks)
            elif handler.spec is not None:
                tasks[handler.name] = handler.spec
            fields["on_failure"] = node
    return fields
