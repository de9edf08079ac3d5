"""The program compiler: module-level objects and the compiled workflow of each entity.

:class:`ProgramCompiler` is the per-project state of the static compiler. It
evaluates module-level constants (``constant``, ``value_of``: a symbol of the
project as a value of the abstract interpreter, cached, cycles giving
:class:`Opaque`), finds each entity's CST, and compiles a workflow once
(``compile_workflow``) or checks a ``@dynamic`` (``check_dynamic``) by running
its body with :class:`~flowgen.static.bodies.BodyCompiler`. Recursion between
workflows is caught by the stack of workflows being compiled.
"""

from __future__ import annotations

import copy
from typing import Any

import libcst as cst

from flowgen.ir.model import Program, WorkflowSpec
from flowgen.static.abstract_values import (
    BoundMethod,
    ClassValue,
    EntityValue,
    ExternalValue,
    MapTaskValue,
    ModuleValue,
    OutsideSubset,
    PartialValue,
    PlainFunction,
    contains_opaque,
    find_function,
)
from flowgen.static.annotations import TypeResolver, expr_code
from flowgen.static.bodies import BodyCompiler
from flowgen.static.checks import RAISES
from flowgen.static.diagnostics import Diagnostic
from flowgen.static.failure_handling import failure_fields
from flowgen.static.flyte_objects import LaunchPlanValue, PlanRegistry
from flowgen.static.graph import Graph
from flowgen.static.loader import ParsedModule
from flowgen.static.specs import Entity, NotConstant, SpecBuilder
from flowgen.static.symbols import ClassRef, ConstantRef, ExternalRef, FunctionRef, ModuleRef, Project, Ref
from flowgen.static.values import Indeterminate, Misuse, Opaque, contains_placeholder

__all__ = ["ProgramCompiler"]


class ProgramCompiler:
    """Compiles workflows and checks dynamics of one project, caching per workflow."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.types = TypeResolver(project)
        self.specs = SpecBuilder(project, self.types, self.constant)
        self.diagnostics: list[Diagnostic] = []
        self._programs: dict[str, Program | None] = {}
        self.active: list[str] = []
        self.callees_failed: dict[str, dict[str, Entity]] = {}
        self.callees_broken: dict[str, dict[str, Entity]] = {}
        self._constants: dict[tuple[str, str], Any] = {}
        self._evaluating: set[tuple[str, str]] = set()
        self.plans = PlanRegistry()

    def constant(self, expr: cst.BaseExpression, module: str, stmt: cst.CSTNode | None = None,
                 entities: bool = False) -> Any:
        """The value of a constant expression at a module's top level (in statement ``stmt``); raises NotConstant.

        With ``entities``, flowgen objects built by calls (``Echo(...)``, launch plans) are values too.
        """
        body = BodyCompiler(self, module=module, mode="constant", stmt=stmt)
        try:
            value = body.ev(expr)
        except (Misuse, OutsideSubset, Indeterminate) as exc:
            raise NotConstant(getattr(exc, "message", str(exc))) from None
        except (RecursionError, MemoryError):
            raise NotConstant("nested too deeply") from None
        if contains_placeholder(value) or contains_opaque(value) is not None:
            raise NotConstant(f"{expr_code(expr)} is not a constant")
        if entities and isinstance(value, (EntityValue, LaunchPlanValue)):
            return value
        if isinstance(value, (EntityValue, PlainFunction, ModuleValue, BoundMethod, PartialValue, MapTaskValue,
                              LaunchPlanValue)):
            raise NotConstant(f"{expr_code(expr)} is not a value")
        return value

    def value_of(self, ref: Ref) -> Any:
        """A module-level symbol as a value of the abstract interpreter."""
        if isinstance(ref, FunctionRef):
            entity = self.specs.entity(ref)
            return EntityValue(entity) if entity is not None else PlainFunction(ref)
        if isinstance(ref, ClassRef):
            return ClassValue(ref)
        if isinstance(ref, ModuleRef):
            return ModuleValue(ref)
        if isinstance(ref, ExternalRef):
            return ExternalValue(ref.qualname)
        if isinstance(ref, ConstantRef):
            key = (ref.module, ref.name)
            if key not in self._constants:
                if ref.info.value is None or key in self._evaluating:
                    self._constants[key] = Opaque(None, f"module variable {ref.name!r}")
                else:
                    self._evaluating.add(key)
                    try:
                        self._constants[key] = self.constant(ref.info.value, ref.module, self._statement(ref),
                                                             entities=True)
                    except NotConstant:
                        self._constants[key] = Opaque(None, f"module variable {ref.name!r}")
                    finally:
                        self._evaluating.discard(key)
            value = self._constants[key]
            return value if isinstance(value, (Opaque, EntityValue, LaunchPlanValue)) else copy.deepcopy(value)
        raise Misuse(RAISES, f"name {ref.name!r} is not defined", "NameError when the workflow is compiled")

    def _statement(self, ref: ConstantRef) -> cst.CSTNode | None:
        parsed = self.project.parsed_module(ref.module)
        body = parsed.module.body if parsed is not None else ()
        return body[ref.info.index] if 0 <= ref.info.index < len(body) else None

    def entity_parsed(self, entity: Entity) -> tuple[ParsedModule, cst.FunctionDef, cst.CSTNode] | None:
        parsed = self.project.parsed_module(entity.ref.module)
        if parsed is None:
            return None
        stmt = parsed.module.body[entity.ref.info.index]
        fn = find_function(stmt, entity.ref.info.name)
        if fn is None:
            return None
        return parsed, fn, stmt

    def compile_workflow(self, entity: Entity) -> Program | None:
        """The Program of a workflow, or None when it has errors (reported as diagnostics)."""
        if entity.name in self._programs:
            return self._programs[entity.name]
        located = self.entity_parsed(entity)
        if located is None or entity.interface is None or entity.problems:
            self._programs[entity.name] = None
            return None
        parsed, fn, stmt = located
        self.active.append(entity.name)
        try:
            tasks: dict[str, Any] = {}
            workflows: dict[str, WorkflowSpec] = {}
            graph = Graph("workflow", entity.name, tasks, workflows)
            body = BodyCompiler(self, module=entity.ref.module, mode="workflow", parsed=parsed, stmt=stmt,
                                entity=entity, graph=graph)
            outputs = body.run(fn)
            failure = None if body.failed or outputs is None else failure_fields(self, body, entity, tasks, workflows)
            if body.failed or outputs is None or failure is None:
                program = None
            else:
                workflows[entity.name] = WorkflowSpec(
                    name=entity.name, function=entity.function, interface=entity.interface,
                    nodes=tuple(graph.nodes), outputs=outputs, source=entity.source, **failure)
                program = Program(entry=entity.name, workflows=workflows, tasks=tasks)
        finally:
            self.active.pop()
        self._programs[entity.name] = program
        return program

    def check_dynamic(self, entity: Entity) -> None:
        located = self.entity_parsed(entity)
        if located is None or entity.interface is None:
            return
        parsed, fn, stmt = located
        graph = Graph("dynamic", entity.name, {}, {})
        BodyCompiler(self, module=entity.ref.module, mode="dynamic", parsed=parsed, stmt=stmt, entity=entity,
                     graph=graph).run(fn)
