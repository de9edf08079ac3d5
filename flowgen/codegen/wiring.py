"""The module-level objects generated bodies use, each allocated once (deduplicated).

Task functions (``_f_<task>``, by import), task specs (``_T_<task>``: the task's IR as
JSON), type specs, call sites, and node helpers. A node helper belongs to a node *shape*
-- (workflow, kind, task or sub-workflow, call site, map options) -- so the 20,000 nodes a
loop makes share one (``_n_<workflow>_<task>``); each node names itself at the call.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from flowgen.codegen.context import ModuleContext, SourceInfo, attr_chain
from flowgen.codegen.pyast import assign, call, const, load
from flowgen.codegen.validate import function_parts
from flowgen.ir.model import Program, SourceSpan, TaskSpec
from flowgen.ir.types import TypeSpec

__all__ = ["NodeLine", "Wiring"]


@dataclass
class NodeLine:
    """A node statement of a fast body and what its failure should name: the node id (or a
    fan-out run's ``(id prefix, first, count)``) and the node's shape helper."""

    stmt: ast.stmt
    ref: str | tuple[str, int, int]
    helper: str


class Wiring:
    """The module-level objects the bodies use, allocated once each (deduplicated)."""

    def __init__(self, ctx: ModuleContext, program: Program, source: SourceInfo, root_var: str) -> None:
        self.ctx = ctx
        self.program = program
        self.source = source
        self.root_var = root_var
        self.statements: list[ast.stmt] = []
        self._functions: dict[str, str] = {}
        self._specs: dict[str, str] = {}
        self._types: dict[str, str] = {}
        self._helpers: dict[Hashable, str] = {}

    def _define(self, base: str, value: ast.expr) -> str:
        name = self.ctx.scope.new(base)
        self.statements.append(assign(name, value))
        return name

    def function(self, spec: TaskSpec) -> str:
        """``_f_<task> = _fg.function_of(_m_mod.task)``: the task's plain function, by import."""
        name = self._functions.get(spec.name)
        if name is None:
            module, parts = function_parts(spec.function, f"task {spec.name}")
            entity = attr_chain(self.ctx.module(module), *parts)
            name = self._define("_f_" + parts[-1], call(self.ctx.helper_attr("function_of"), [entity]))
            self._functions[spec.name] = name
        return name

    def spec(self, spec: TaskSpec) -> str:
        """``_T_<task> = _fg.task_spec("{...}")``: the IR of a task (interface, retries, cache...)."""
        name = self._specs.get(spec.name)
        if name is None:
            data = spec.model_copy(update={"source": None}).model_dump_json()
            short = function_parts(spec.function, f"task {spec.name}")[1][-1]
            name = self._define("_T_" + short, call(self.ctx.helper_attr("task_spec"), [const(data)]))
            self._specs[spec.name] = name
        return name

    def type_const(self, spec: TypeSpec) -> ast.expr:
        data = json.dumps(spec.model_dump(mode="json"), sort_keys=True)
        name = self._types.get(data)
        if name is None:
            name = self._define("_TYPE", call(self.ctx.helper_attr("type_spec"), [const(data)]))
            self._types[data] = name
        return load(name)

    def site(self, span: SourceSpan | None) -> ast.expr:
        if span is None:
            return const(None)
        return call(self.ctx.helper_attr("site"),
                    [load(self.root_var), const(self.source.relative(span.file)), const(span.line),
                     const(span.column)])

    def helper(self, base: str, value: ast.expr) -> str:
        return self._define(base, value)

    def shape_helper(self, key: Hashable, base: str, make: Callable[[], ast.expr]) -> str:
        """The helper of a node shape (``key``), defined by ``make()`` the first time it is asked for."""
        name = self._helpers.get(key)
        if name is None:
            name = self._define(base, make())
            self._helpers[key] = name
        return name


def site_key(span: SourceSpan | None) -> tuple[str, int, int] | None:
    return None if span is None else (span.file, span.line, span.column)
