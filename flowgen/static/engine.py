"""``flowgen check``: load the project, check every module, collect the diagnostics.

The work per module is :func:`check_module`; :func:`check_paths` runs it over a
tree, in this process or sharded over worker processes
(:mod:`flowgen.static.parallel`), and returns every diagnostic sorted, deduplicated,
filtered by ``select``/``ignore`` and by inline suppressions. A module that
cannot be read or parsed yields its diagnostic and the others are checked anyway;
an internal error while checking a module becomes an ``FG000`` diagnostic naming
the file, never a traceback.
"""

from __future__ import annotations

import gc
import os
import traceback
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import libcst as cst

from flowgen.static.compiler import ProgramCompiler
from flowgen.static.diagnostics import (
    Diagnostic,
    apply_suppressions,
    filter_codes,
    sort_diagnostics,
    suppressed_codes,
)
from flowgen.static.loader import ParsedModule, discover, load_module
from flowgen.static.specs import Entity, Problem
from flowgen.static.summary import FunctionInfo
from flowgen.static.symbols import FunctionRef, Project

__all__ = ["INTERNAL_ERROR", "CheckResult", "check_module", "check_paths", "internal_error", "module_functions",
           "report_definition"]

INTERNAL_ERROR = "FG000"


@dataclass
class CheckResult:
    diagnostics: list[Diagnostic]
    sources: dict[str, str] = field(default_factory=dict)
    files: int = 0

    @property
    def errors(self) -> int:
        return sum(d.severity == "error" for d in self.diagnostics)


def internal_error(path: str, exc: BaseException) -> Diagnostic:
    try:
        where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
        at = f" at {os.path.basename(where.filename)}:{where.lineno}" if where else ""
        detail = str(exc)[:300]
    except BaseException:  # str() of the error failed too (e.g. a RecursionError in its repr)
        at, detail = "", "(no detail)"
    return Diagnostic(os.path.abspath(path), 1, 0, 1, 0, INTERNAL_ERROR, "error",
                      f"internal error while checking {os.path.basename(path)}: {type(exc).__name__}: {detail}{at}",
                      "please report this; the rest of the project was checked")


def _param_nodes(fn: cst.FunctionDef) -> list[cst.Param]:
    p = fn.params
    nodes = [*p.posonly_params, *p.params]
    if isinstance(p.star_arg, cst.Param):
        nodes.append(p.star_arg)
    nodes.extend(p.kwonly_params)
    if p.star_kwarg is not None:
        nodes.append(p.star_kwarg)
    return nodes


def _anchor(fn: cst.FunctionDef, problem: Problem) -> cst.CSTNode:
    kind, index = problem.anchor
    if kind == "param":
        params = _param_nodes(fn)
        if index < len(params):
            return params[index]
    if kind == "return" and fn.returns is not None:
        return fn.returns.annotation
    if kind == "decorator" and index < len(fn.decorators):
        return fn.decorators[index]
    return fn.name


def report_definition(parsed: ParsedModule, compiler: ProgramCompiler, entity: Entity) -> None:
    located = compiler.entity_parsed(entity)
    if located is None:
        return
    _, fn, stmt = located
    for problem in (*entity.problems, *entity.warnings):
        span = parsed.positions.span(_anchor(fn, problem), stmt)
        line, col, end_line, end_col = (span.line, span.column, span.end_line, span.end_column) if span else (
            entity.source.line, 0, entity.source.line, 0)
        compiler.diagnostics.append(Diagnostic(os.path.abspath(parsed.path), line, col, end_line, end_col,
                                               problem.check.code, problem.check.severity, problem.message,
                                               problem.hint if problem.hint is not None else problem.check.hint))


def module_functions(parsed: ParsedModule) -> list[FunctionInfo]:
    return [s for s in parsed.summary.names.values() if isinstance(s, FunctionInfo)]


def check_module(parsed: ParsedModule, compiler: ProgramCompiler) -> list[Diagnostic]:
    """Check one module's definitions and bodies; its diagnostics (this file only) are returned."""
    path = os.path.abspath(parsed.path)
    start = len(compiler.diagnostics)
    try:
        for info in module_functions(parsed):
            entity = compiler.specs.entity(FunctionRef(parsed.name, info))
            if entity is None:
                continue
            report_definition(parsed, compiler, entity)
            if entity.kind == "workflow":
                compiler.compile_workflow(entity)
            elif entity.kind == "dynamic":
                compiler.check_dynamic(entity)
        found = [d for d in compiler.diagnostics[start:] if d.path == path]
    except Exception as exc:  # the catch-all promised by the CLI: never a traceback
        found = [internal_error(path, exc)]
    return apply_suppressions(found, suppressed_codes(parsed.source))


def check_parsed(modules: Sequence[ParsedModule], project: Project) -> list[Diagnostic]:
    compiler = ProgramCompiler(project)
    found: list[Diagnostic] = []
    for parsed in modules:
        found.extend(check_module(parsed, compiler))
    return found


def load_all(files: Iterable[str]) -> tuple[list[ParsedModule], list[Diagnostic]]:
    modules: list[ParsedModule] = []
    found: list[Diagnostic] = []
    for path in files:
        try:
            parsed, problems = load_module(path)
        except Exception as exc:
            parsed, problems = None, [internal_error(path, exc)]
        found.extend(problems)
        if parsed is not None:
            modules.append(parsed)
    return modules, found


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while checking.

    A loaded project is millions of small, long-lived objects (syntax trees); every
    collection would walk all of them again, which makes checking superlinear in the
    tree's size. Checking creates little cyclic garbage, so it is collected once, after.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check_paths(paths: Sequence[str], *, exclude: Sequence[str] = (), select: Sequence[str] = (),
                ignore: Sequence[str] = (), jobs: int | None = None) -> CheckResult:
    """Check every Python file under ``paths``; ``jobs`` > 1 shards the files over processes."""
    with no_cyclic_gc():
        return _check_paths(paths, exclude, select, ignore, jobs)


def _check_paths(paths: Sequence[str], exclude: Sequence[str], select: Sequence[str], ignore: Sequence[str],
                 jobs: int | None) -> CheckResult:
    files = discover(paths, exclude)
    workers = jobs if jobs is not None else min(os.cpu_count() or 1, 8)
    if workers > 1 and len(files) >= 2 * workers * 4:
        from flowgen.static.parallel import check_files_parallel

        diagnostics, sources = check_files_parallel(files, workers)
    else:
        modules, diagnostics = load_all(files)
        project = Project()
        for parsed in modules:
            project.add_parsed(parsed)
        diagnostics.extend(check_parsed(modules, project))
        sources = {m.path: m.source for m in modules}
        for d in diagnostics:
            if d.path not in sources:
                sources[d.path] = _read_text(d.path)
    kept = filter_codes(sort_diagnostics(diagnostics), select, ignore)
    return CheckResult(kept, sources, len(files))


def _read_text(path: str) -> str:
    try:
        with open(path, "rb") as fh:
            return fh.read().decode("utf-8", "replace")
    except OSError:
        return ""
