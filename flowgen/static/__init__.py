"""The static front end: check and compile workflow source without importing it.

``check_paths`` is ``flowgen check``; ``compile_static`` is
``flowgen compile --static FILE.py:WF``. Both read source with LibCST and never
import or execute the user's code (see DESIGN.md, "Static front end").
"""

from __future__ import annotations

import os

from flowgen.errors import CompileError
from flowgen.ir.model import Program
from flowgen.static.checks import ALL_CHECKS, Check
from flowgen.static.diagnostics import Diagnostic, render, render_text
from flowgen.static.engine import CheckResult, check_paths

__all__ = [
    "ALL_CHECKS",
    "Check",
    "CheckResult",
    "Diagnostic",
    "StaticCompileError",
    "check_paths",
    "compile_static",
    "render",
]


class StaticCompileError(CompileError):
    """The workflow cannot be compiled statically; ``diagnostics`` says why."""

    def __init__(self, message: str, diagnostics: list[Diagnostic], sources: dict[str, str]) -> None:
        self.diagnostics = diagnostics
        detail = render_text(diagnostics, sources).rstrip()
        super().__init__(f"{message}\n{detail}" if detail else message)


def compile_static(path: str, workflow_name: str) -> Program:
    """The IR of workflow ``workflow_name`` (its qualname or full name) in ``path``, from source alone."""
    from flowgen.static.compiler import ProgramCompiler
    from flowgen.static.diagnostics import sort_diagnostics
    from flowgen.static.loader import load_module
    from flowgen.static.summary import FunctionInfo
    from flowgen.static.symbols import FunctionRef, Project

    path = os.path.abspath(path)
    parsed, problems = load_module(path)
    if parsed is None:
        raise StaticCompileError(f"cannot parse {path}", problems, {})
    project = Project()
    project.add_parsed(parsed)
    compiler = ProgramCompiler(project)
    qualname = workflow_name.removeprefix(parsed.name + ".")
    info = parsed.summary.names.get(qualname)
    entity = compiler.specs.entity(FunctionRef(parsed.name, info)) if isinstance(info, FunctionInfo) else None
    if entity is None or entity.kind != "workflow":
        known = sorted(
            n for n, s in parsed.summary.names.items()
            if isinstance(s, FunctionInfo) and (e := compiler.specs.entity(FunctionRef(parsed.name, s))) is not None
            and e.kind == "workflow"
        )
        raise StaticCompileError(f"{path} has no @workflow {workflow_name!r} (workflows: {', '.join(known) or 'none'})",
                                 [], {})
    program = compiler.compile_workflow(entity)
    if program is None:
        sources = {m.path: m.source for m in project.parsed.values()}
        found = sort_diagnostics(compiler.diagnostics)
        if not found:
            from flowgen.static.engine import _report_definition

            _report_definition(parsed, compiler, entity)
            found = sort_diagnostics(compiler.diagnostics)
        raise StaticCompileError(f"workflow {entity.name} cannot be compiled statically", found, sources)
    return program
