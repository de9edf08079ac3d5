"""Checking loaded modules: each module's definitions and bodies, in one process.

:func:`load_all` reads and parses files (a file that cannot be read or parsed
yields its diagnostic); :func:`check_parsed` runs :func:`check_module` over
modules of one :class:`~flowgen.static.symbols.Project`. An internal error while
checking a module becomes an ``FG000`` diagnostic naming the file, never a
traceback. Both :mod:`flowgen.static.engine` (in-process) and
:mod:`flowgen.static.parallel` (worker processes) use these, so neither imports
the other's internals.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterable, Sequence

import libcst as cst

from flowgen.static.abstract_values import ExternalValue, OutsideSubset
from flowgen.static.bodies import BodyCompiler
from flowgen.static.checks import RAISES
from flowgen.static.compiler import ProgramCompiler
from flowgen.static.diagnostics import Diagnostic, apply_suppressions, suppressed_codes
from flowgen.static.flyte_objects import PlanRegistry
from flowgen.static.loader import ParsedModule, load_module
from flowgen.static.specs import Entity, Problem
from flowgen.static.summary import FunctionInfo
from flowgen.static.symbols import FunctionRef, Project
from flowgen.static.values import Indeterminate, Misuse

__all__ = ["INTERNAL_ERROR", "check_module", "check_parsed", "internal_error", "load_all", "module_functions",
           "report_definition"]

INTERNAL_ERROR = "FG000"


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
    if not entity.problems and not entity.warnings:
        return  # nothing to place: the module's syntax tree is not needed (see loader.ParsedModule)
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


def check_module_plans(parsed: ParsedModule, compiler: ProgramCompiler) -> None:
    """``plan = LaunchPlan.get_or_create(wf, fixed_inputs=..., default_inputs=...)`` at module level.

    The runtime builds (and validates) a launch plan when the module is imported, so its
    inputs are checked against the workflow's interface here, used or not: an unknown input
    is FG202, a value of the wrong type FG201 (located at the call). Module-level code the
    static compiler cannot evaluate is not reported (it need not be in the static subset).
    A declarations-only module (imports and ``@task`` definitions) has no such call.
    """
    if parsed.declarations_only:
        return
    for stmt in parsed.module.body:
        small = stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 else None
        value = small.value if isinstance(small, (cst.Assign, cst.AnnAssign, cst.Expr)) else None
        if not isinstance(value, cst.Call):
            continue
        body = BodyCompiler(compiler, module=parsed.name, mode="constant", parsed=parsed, stmt=stmt)
        try:
            func = body.ev(value.func)
        except Exception:  # not a name the compiler knows: not a launch plan
            continue
        if not (isinstance(func, ExternalValue) and func.qualname.startswith("flowgen.LaunchPlan.")):
            continue
        saved, compiler.plans = compiler.plans, PlanRegistry()  # a check, not the plan the module defines
        try:
            body.ev(value)
        except Misuse as m:
            if m.check is not RAISES:  # FG2xx: wrong or unknown inputs; other refusals are the runtime's to say
                body.report(m.check, m.message, m.node if m.node is not None else value, m.hint)
        except (OutsideSubset, Indeterminate, RecursionError):
            pass
        finally:
            compiler.plans = saved


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
        check_module_plans(parsed, compiler)
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
    """The files parsed for checking (task bodies left out, see :mod:`flowgen.static.skeleton`)."""
    modules: list[ParsedModule] = []
    found: list[Diagnostic] = []
    for path in files:
        try:
            parsed, problems = load_module(path, task_bodies=False)
        except Exception as exc:
            parsed, problems = None, [internal_error(path, exc)]
        found.extend(problems)
        if parsed is not None:
            modules.append(parsed)
    return modules, found
