"""``flowgen check`` for an editor: one file at a time, from its unsaved text, the rest from disk.

:func:`~flowgen.static.engine.check_paths` reads every file it checks from disk and
builds its project anew. An editor (``flowgen lsp``) re-checks one file per keystroke,
from text that is not saved yet, in a project that may have a thousand modules.
:class:`Workspace` keeps the parsed modules between checks:

- ``check(path, text)`` parses only ``text`` (the buffer) and checks that one module,
  with the same per-module check, suppressions, sorting and code filters as
  ``check_paths`` (so an editor shows exactly what ``flowgen check --format json``
  prints for the same text: tests/lsp asserts it);
- the modules it imports are parsed from disk on first use and kept; a kept module is
  parsed again only when its file changed on disk (size or mtime) or
  :meth:`Workspace.forget` is told so; an open buffer's text replaces its file's.

The project and compiler of the last check stay available, for an editor's questions
about that module, answered with the static front end's own name resolution:
:meth:`Workspace.function` (what a top-level function is), :meth:`Workspace.called` (what
a call calls, and where it is defined) and :meth:`Workspace.program` (a workflow's compiled
IR, whose nodes carry their call sites).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst

from flowgen.ir.model import Interface, Program
from flowgen.static.compiler import ProgramCompiler
from flowgen.static.diagnostics import filter_codes, sort_diagnostics
from flowgen.static.engine import CheckResult, no_cyclic_gc
from flowgen.static.loader import ParsedModule, load_module
from flowgen.static.modules import check_module, internal_error
from flowgen.static.specs import Entity
from flowgen.static.summary import FunctionInfo
from flowgen.static.symbols import FunctionRef, Project

__all__ = ["EntityInfo", "LastCheck", "Workspace"]


@dataclass(frozen=True)
class EntityInfo:
    """A task, workflow or dynamic, and where its ``def`` is (1-based line, 0-based column of the name)."""

    kind: str  # "task" | "workflow" | "dynamic"
    name: str  # e.g. "pipelines.etl.clean"
    interface: Interface | None
    path: str
    line: int
    column: int
    entity: Entity = field(repr=False, compare=False)


@dataclass
class LastCheck:
    """What the last :meth:`Workspace.check` saw: the module and the compiler that checked it."""

    parsed: ParsedModule
    project: Project
    compiler: ProgramCompiler


class Workspace:
    """Parsed modules kept between checks of single files (see the module docstring)."""

    def __init__(self, *, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> None:
        self.select, self.ignore = list(select), list(ignore)
        self.project = Project()
        self._stamps: dict[str, tuple[int, int]] = {}  # module name -> (size, mtime_ns) when parsed
        self._buffers: set[str] = set()  # module names whose text came from an editor
        self.last: LastCheck | None = None
        self.parses = 0  # modules parsed so far (a measure for bench/bench_lsp.py)

    def check(self, path: str, text: str | None = None) -> CheckResult:
        """Diagnostics of ``path``, read from ``text`` when given (an unsaved buffer)."""
        path = os.path.abspath(path)
        with no_cyclic_gc():
            self._drop_stale()
            data = text.encode("utf-8") if text is not None else None
            try:
                parsed, problems = load_module(path, data)
            except Exception as exc:
                parsed, problems = None, [internal_error(path, exc)]
            self.parses += 1
            found = list(problems)
            if parsed is not None:
                self._buffers.discard(parsed.name)
                if text is not None:
                    self._buffers.add(parsed.name)
                else:
                    self._stamp(parsed.name, path)
                self.project.add_parsed(parsed)
                compiler = ProgramCompiler(self.project)
                found.extend(check_module(parsed, compiler))
                self.last = LastCheck(parsed, self.project, compiler)
                self._stamp_new_modules()
        kept = filter_codes(sort_diagnostics(found), self.select, self.ignore)
        sources = {path: parsed.source} if parsed is not None else {}
        return CheckResult(kept, sources, 1)

    def forget(self, path: str) -> None:
        """``path`` changed (or was closed unsaved): parse it again from disk when next needed."""
        path = os.path.abspath(path)
        for name, parsed in list(self.project.parsed.items()):
            if parsed.path == path:
                self._drop(name)

    # -- questions about the last checked module ------------------------------------------------
    def function(self, name: str) -> EntityInfo | None:
        """The task/workflow/dynamic the last checked module's top-level function ``name`` is."""
        last = self.last
        if last is None:
            return None
        info = last.parsed.summary.names.get(name)
        if not isinstance(info, FunctionInfo):
            return None
        return self._info(last.compiler.specs.entity(FunctionRef(last.parsed.name, info)))

    def called(self, callee: cst.BaseExpression) -> EntityInfo | None:
        """What a call's callee (a name or ``module.attr`` in the last checked module) is."""
        last = self.last
        if last is None:
            return None
        ref = last.project.resolve_expr(last.parsed.name, callee)
        if not isinstance(ref, FunctionRef):
            return None
        return self._info(last.compiler.specs.entity(ref))

    def program(self, workflow: EntityInfo) -> Program | None:
        """The compiled IR of a workflow (None when it is outside the static subset)."""
        last = self.last
        if last is None or workflow.kind != "workflow":
            return None
        return last.compiler.compile_workflow(workflow.entity)

    def _info(self, entity: Entity | None) -> EntityInfo | None:
        last = self.last
        if entity is None or last is None:
            return None
        module = entity.ref.module
        parsed = last.parsed if module == last.parsed.name else self.project.parsed_module(module)
        if parsed is None:
            return None
        line, column = entity.ref.info.line, 0
        lines = parsed.source.splitlines()
        pattern = re.compile(rf"^\s*(async\s+)?def\s+({re.escape(entity.ref.info.name)})\b")
        for number in range(entity.ref.info.line, min(len(lines), entity.ref.info.line + 200) + 1):
            match = pattern.match(lines[number - 1])
            if match:
                line, column = number, match.start(2)
                break
        return EntityInfo(
            entity.kind, entity.name, entity.interface, os.path.abspath(parsed.path), line, column, entity
        )

    # -- keeping the project current ------------------------------------------------------------
    def _stamp(self, name: str, path: str) -> None:
        try:
            st = os.stat(path)
        except OSError:
            return
        self._stamps[name] = (st.st_size, st.st_mtime_ns)

    def _stamp_new_modules(self) -> None:
        for name, parsed in self.project.parsed.items():
            if name not in self._stamps and name not in self._buffers:
                self._stamp(name, parsed.path)
                self.parses += 1  # parsed on demand by the project during the check

    def _drop_stale(self) -> None:
        self.project._missing.clear()  # a module created since may now be found
        for name, (size, mtime) in list(self._stamps.items()):
            parsed = self.project.parsed.get(name)
            try:
                st = os.stat(parsed.path) if parsed is not None else None
            except OSError:
                st = None
            if st is None or (st.st_size, st.st_mtime_ns) != (size, mtime):
                self._drop(name)

    def _drop(self, name: str) -> None:
        self.project.parsed.pop(name, None)
        self.project.summaries.pop(name, None)
        self._stamps.pop(name, None)
        self._buffers.discard(name)
