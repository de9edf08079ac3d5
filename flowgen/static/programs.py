"""Compiling workflows from source to IR: one workflow, or every workflow of a file.

``compile_file(path)`` is what a back end asks for (``flowgen build``): the
Programs of every ``@workflow`` defined in the file, keyed by the name the
function has in the file, plus the diagnostics of those that are outside the
static subset. It never raises for a workflow it cannot compile: the result
lists it in ``declined`` and ``raise_if_declined()`` turns that into a
:class:`StaticCompileError` for callers that want all or nothing.
``compile_static(path, name)`` is the one-workflow form (``flowgen compile
--static``, ``flowgen graph``) and raises at once.

A declined workflow whose only findings are FG401 (outside the static subset, no
error) is *deferrable*: ``result.deferred`` gives its name, interface and the
reason, so ``flowgen build`` can emit a run-time compile hook for it instead of
importing the file (:mod:`flowgen.runtime.deferred`). A workflow that calls a
deferred workflow is deferred too.

A file that cannot be read or parsed raises :class:`StaticCompileError` from
both, with the syntax error as its diagnostic. Nothing here imports the file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from flowgen.errors import CompileError
from flowgen.ir.model import Interface, Program
from flowgen.static.compiler import ProgramCompiler
from flowgen.static.diagnostics import Diagnostic, render_text, sort_diagnostics
from flowgen.static.loader import ParsedModule, load_module
from flowgen.static.modules import module_functions, report_definition
from flowgen.static.specs import Entity
from flowgen.static.symbols import FunctionRef, Project

__all__ = ["Deferred", "FileCompileResult", "StaticCompileError", "compile_file", "compile_static"]


class StaticCompileError(CompileError):
    """The workflow cannot be compiled statically; ``diagnostics`` says why."""

    def __init__(self, message: str, diagnostics: list[Diagnostic], sources: dict[str, str]) -> None:
        self.diagnostics = diagnostics
        detail = render_text(diagnostics, sources).rstrip()
        super().__init__(f"{message}\n{detail}" if detail else message)


@dataclass(frozen=True)
class Deferred:
    """A workflow outside the static subset without errors: compiled when the built module runs."""

    name: str  # the workflow's IR name (module.qualname)
    function: str  # "module:qualname"
    interface: Interface
    reason: str  # the first FG401 finding, as one line located by file name (no directory: builds are portable)


@dataclass(frozen=True)
class FileCompileResult:
    """The workflows of one source file, compiled statically."""

    path: str
    programs: dict[str, Program]  # name in the file -> Program, sorted by name
    declined: tuple[str, ...] = ()  # workflows outside the static subset (or with errors)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    deferred: dict[str, Deferred] = field(default_factory=dict)  # declined names that only left the subset

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
            for callee in self.compiler.callees_broken.get(entity.name, {}).values():
                parsed = self.project.parsed_module(callee.ref.module)
                if parsed is not None:
                    report_definition(parsed, self.compiler, callee)
            found = self.compiler.diagnostics[start:]
        return None, sort_diagnostics(found)

    def deferral_reason(self, entity: Entity, seen: frozenset[str] = frozenset()) -> str | None:
        """Why a declined workflow can be compiled at run time, or None when it has errors (no build).

        It may be deferred when neither it nor anything it calls has an error: its own FG401
        finding (``(in @workflow NAME)``) is the reason, or else a sub-workflow it calls is deferred.
        """
        if entity.problems or entity.interface is None or self.compiler.callees_broken.get(entity.name):
            return None
        own = f"(in @workflow {entity.name})"
        mine = [d for d in self.compiler.diagnostics if d.message.endswith(own)]
        if any(d.severity == "error" for d in mine):
            return None
        callees = self.compiler.callees_failed.get(entity.name, {})
        reasons = []
        for name, callee in callees.items():
            if name in seen or self.deferral_reason(callee, seen | {entity.name}) is None:
                return None
            reasons.append(name)
        outside = [d for d in mine if d.code == "FG401"]
        if outside:
            d = outside[0]
            return f"{os.path.basename(d.path)}:{d.line}:{d.column + 1}: FG401 {d.message}"
        if reasons:
            return f"calls workflow {reasons[0]}, which is compiled at run time"
        return None


def compile_file(path: str) -> FileCompileResult:
    """Every ``@workflow`` defined in ``path``, compiled from source alone."""
    file = _File(path)
    programs: dict[str, Program] = {}
    declined: list[str] = []
    deferred: dict[str, Deferred] = {}
    diagnostics: list[Diagnostic] = []
    for name, entity in file.workflows.items():
        program, found = file.compile(entity)
        if program is None:
            declined.append(name)
            diagnostics.extend(found)
            reason = file.deferral_reason(entity)
            if reason is not None and entity.interface is not None:
                deferred[name] = Deferred(entity.name, entity.function, entity.interface, reason)
        else:
            programs[name] = program
    return FileCompileResult(file.path, programs, tuple(declined), sort_diagnostics(diagnostics),
                             file.sources() if declined else {}, deferred)


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
