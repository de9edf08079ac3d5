"""Compiling workflows from source to IR: one workflow, or every workflow of a file.

``compile_file(path)`` is what a back end asks for (``flowgen build``): the
Programs of every ``@workflow`` defined in the file, keyed by the name the
function has in the file, plus the diagnostics of those that are outside the
static subset. It never raises for a workflow it cannot compile: the result
lists it in ``declined`` and ``raise_if_declined()`` turns that into a
:class:`StaticCompileError` for callers that want all or nothing.
``compile_static(path, name)`` is the one-workflow form (``flowgen compile
--static``, ``flowgen graph``) and raises at once.

A file that cannot be read or parsed raises :class:`StaticCompileError` from
both, with the syntax error as its diagnostic. Nothing here imports the file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from flowgen.errors import CompileError
from flowgen.ir.model import Program
from flowgen.static.compiler import ProgramCompiler
from flowgen.static.diagnostics import Diagnostic, render_text, sort_diagnostics
from flowgen.static.loader import ParsedModule, load_module
from flowgen.static.modules import module_functions, report_definition
from flowgen.static.specs import Entity
from flowgen.static.symbols import FunctionRef, Project

__all__ = ["FileCompileResult", "StaticCompileError", "compile_file", "compile_static"]


class StaticCompileError(CompileError):
    """The workflow cannot be compiled statically; ``diagnostics`` says why."""

    def __init__(self, message: str, diagnostics: list[Diagnostic], sources: dict[str, str]) -> None:
        self.diagnostics = diagnostics
        detail = render_text(diagnostics, sources).rstrip()
        super().__init__(f"{message}\n{detail}" if detail else message)


@dataclass(frozen=True)
class FileCompileResult:
    """The workflows of one source file, compiled statically."""

    path: str
    programs: dict[str, Program]  # name in the file -> Program, sorted by name
    declined: tuple[str, ...] = ()  # workflows outside the static subset (or with errors)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.declined

    def raise_if_declined(self) -> None:
        if self.declined:
            names = ", ".join(self.declined)
            raise StaticCompileError(f"{self.path}: workflow(s) {names} cannot be compiled statically",
                                     self.diagnostics, self.sources)


class _File:
    """One parsed file, its project and compiler, and its workflows (name in the file -> entity)."""

    def __init__(self, path: str) -> None:
        self.path = os.path.abspath(path)
        parsed, problems = load_module(self.path)
        if parsed is None:
            raise StaticCompileError(f"cannot parse {self.path}", problems, {})
        self.parsed: ParsedModule = parsed
        self.project = Project()
        self.project.add_parsed(parsed)
        self.compiler = ProgramCompiler(self.project)
        self.workflows: dict[str, Entity] = {}
        for info in sorted(module_functions(parsed), key=lambda i: i.name):
            entity = self.compiler.specs.entity(FunctionRef(parsed.name, info))
            if entity is not None and entity.kind == "workflow":
                self.workflows[info.name] = entity

    def sources(self) -> dict[str, str]:
        return {m.path: m.source for m in self.project.parsed.values()}

    def compile(self, entity: Entity) -> tuple[Program | None, list[Diagnostic]]:
        """The Program, or None and the diagnostics that say why."""
        start = len(self.compiler.diagnostics)
        program = self.compiler.compile_workflow(entity)
        if program is not None:
            return program, []
        found = self.compiler.diagnostics[start:]
        if not found:  # cached failure, or a definition problem: say it again for this workflow
            report_definition(self.parsed, self.compiler, entity)
            found = self.compiler.diagnostics[start:]
        return None, sort_diagnostics(found)


def compile_file(path: str) -> FileCompileResult:
    """Every ``@workflow`` defined in ``path``, compiled from source alone."""
    file = _File(path)
    programs: dict[str, Program] = {}
    declined: list[str] = []
    diagnostics: list[Diagnostic] = []
    for name, entity in file.workflows.items():
        program, found = file.compile(entity)
        if program is None:
            declined.append(name)
            diagnostics.extend(found)
        else:
            programs[name] = program
    return FileCompileResult(file.path, programs, tuple(declined), sort_diagnostics(diagnostics),
                             file.sources() if declined else {})


def compile_static(path: str, workflow_name: str) -> Program:
    """The IR of workflow ``workflow_name`` (its qualname or full name) in ``path``, from source alone."""
    file = _File(path)
    qualname = workflow_name.removeprefix(file.parsed.name + ".")
    entity = file.workflows.get(qualname)
    if entity is None:
        known = ", ".join(file.workflows) or "none"
        raise StaticCompileError(f"{file.path} has no @workflow {workflow_name!r} (workflows: {known})", [], {})
    program, found = file.compile(entity)
    if program is None:
        raise StaticCompileError(f"workflow {entity.name} cannot be compiled statically", found, file.sources())
    return program
