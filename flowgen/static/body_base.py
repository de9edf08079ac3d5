"""The state every construct module of the body compiler shares, and how it reports.

:class:`BodyState` holds one body's environment, mode (``workflow``,
``dynamic`` or ``constant``), graph and step budget, and turns a finding at a
CST node into a located :class:`~flowgen.static.diagnostics.Diagnostic`.
The construct mixins (statements, expressions, calls, ...) all derive from it
and call each other's methods through ``self``.
"""

from __future__ import annotations

import functools
import os
from typing import Any, Protocol

import libcst as cst

from flowgen.ir.model import Program, SourceSpan
from flowgen.static.abstract_values import STEP_BUDGET, OutsideSubset
from flowgen.static.annotations import TypeResolver, expr_code
from flowgen.static.checks import OUTSIDE_SUBSET, Check
from flowgen.static.diagnostics import Diagnostic
from flowgen.static.flyte_objects import PlanRegistry
from flowgen.static.graph import Graph
from flowgen.static.loader import ParsedModule
from flowgen.static.specs import Entity, SpecBuilder
from flowgen.static.symbols import Project, Ref

__all__ = ["BodyState", "Compiler"]


class Compiler(Protocol):
    """What a body asks of the program compiler (:class:`flowgen.static.compiler.ProgramCompiler`)."""

    project: Project
    types: TypeResolver
    specs: SpecBuilder
    plans: PlanRegistry
    diagnostics: list[Diagnostic]
    active: list[str]  # the workflows being compiled, outermost first
    callees_failed: dict[str, dict[str, Entity]]  # workflow -> sub-workflows it calls that did not compile
    callees_broken: dict[str, dict[str, Entity]]  # body -> entities it calls whose definitions have errors

    def constant(self, expr: cst.BaseExpression, module: str, stmt: cst.CSTNode | None = None,
                 entities: bool = False) -> Any: ...

    def value_of(self, ref: Ref) -> Any: ...

    def compile_workflow(self, entity: Entity) -> Program | None: ...


@functools.lru_cache(maxsize=4096)
def _absolute(path: str) -> str:
    return os.path.abspath(path)


class BodyState:
    """The state of one body being run, and how findings in it are located and reported."""

    def __init__(self, compiler: Compiler, *, module: str, mode: str, parsed: ParsedModule | None = None,
                 stmt: cst.CSTNode | None = None, entity: Entity | None = None, graph: Graph | None = None) -> None:
        self.compiler = compiler
        self.project = compiler.project
        self.module = module
        self.mode = mode
        self.parsed = parsed
        self.stmt = stmt
        self.entity = entity
        self.graph = graph
        self.env: dict[str, Any] = {}
        self.failed = False
        self.steps = 0
        self.what = f"@{mode} {entity.name}" if entity is not None else "module"
        self._current: cst.CSTNode | None = None

    def span(self, node: cst.CSTNode | None) -> tuple[int, int, int, int]:
        if self.parsed is not None and node is not None:
            span = self.parsed.positions.span(node, self.stmt)
            if span is not None:
                return span.line, span.column, span.end_line, span.end_column
        if self.parsed is not None and self._current is not None and node is not self._current:
            return self.span(self._current)
        line = self.entity.source.line if self.entity is not None else 1
        return line, 0, line, 0

    def site(self, node: cst.CSTNode) -> SourceSpan | None:
        if self.parsed is None:
            return None
        start = self.parsed.positions.call_start(node, self.stmt) if isinstance(node, cst.Call) else None
        line, column = start if start is not None else self.span(node)[:2]
        # Built without validation: a path and two ints from the parsers (one per node of every workflow).
        return SourceSpan.model_construct(file=_absolute(self.parsed.path), line=line, column=column)

    def report(self, check: Check, message: str, node: cst.CSTNode | None, hint: str | None = None) -> None:
        if check.severity == "error" or check is OUTSIDE_SUBSET:
            self.failed = True
        if self.parsed is None:
            return
        line, column, end_line, end_column = self.span(node)
        self.compiler.diagnostics.append(Diagnostic(
            os.path.abspath(self.parsed.path), line, column, end_line, end_column, check.code, check.severity,
            f"{message} (in {self.what})" if self.entity is not None else message,
            hint if hint is not None else check.hint))

    def code(self, node: cst.CSTNode) -> str:
        try:
            text = " ".join(expr_code(node).split())
        except RecursionError:
            return "<a deeply nested expression>"
        return text if len(text) <= 60 else text[:57] + "..."

    def tick(self, node: cst.CSTNode) -> None:
        self.steps += 1
        if self.steps > STEP_BUDGET:
            raise OutsideSubset("the body runs too many steps to unroll statically (loops too long)", node)
