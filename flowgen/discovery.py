"""Finding the workflows of a source file: by reading it, or by importing it.

Two consumers need the same answers, so they live here rather than in either of them:
the command line (``flowgen build``, ``run``, ``test``) and :mod:`flowgen.testing` (which
builds a workflow's generated module and collects workflows for the pytest plugin).

==========================  ================================================================
function                    what it gives
==========================  ================================================================
:func:`load_programs`       the IR of every workflow a file defines, from the static front
                            end (no user code runs), plus the workflows outside the static
                            subset that a generated module traces when it runs (deferred);
                            this is what ``flowgen build`` compiles
:func:`import_file`         the module of a ``.py`` file, imported with its package context
                            (its package root on ``sys.path``, its dotted name in
                            ``sys.modules``), imported once per file
:func:`workflows_in`        the ``@workflow`` objects a file *defines* (not those it imports),
                            sorted by name
==========================  ================================================================

Failures that are the user's (a missing file, a syntax error, a file Python cannot load) raise
:class:`SourceError` with a located message and no traceback from flowgen; an exception the
user's module raises while importing propagates unchanged. Importing this module is cheap
(``flowgen run`` imports it): the static front end and the code generator load on first use.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any

from flowgen.ir.refs import module_name_for_path

if TYPE_CHECKING:
    from flowgen.codegen.build import SourceIR

__all__ = ["SourceError", "import_file", "load_programs", "package_root", "workflows_in"]


class SourceError(ValueError):
    """A source file that cannot be imported for a reason of its own (missing, syntax error, not Python)."""


def load_programs(path: str) -> SourceIR:
    """The Programs of every workflow defined in the source file ``path``, and those deferred to run time.

    Raises :class:`~flowgen.static.StaticCompileError` (with the diagnostics) when a workflow has errors.
    """
    from flowgen.codegen.build import DeferredWorkflow, SourceIR
    from flowgen.static import StaticCompileError, compile_file

    result = compile_file(path)
    failed = [name for name in result.declined if name not in result.deferred]
    if failed:
        errors = [d for d in result.diagnostics if d.severity == "error"] or result.diagnostics
        raise StaticCompileError(f"{path}: workflow(s) {', '.join(failed)} cannot be built", errors,
                                 result.sources)
    deferred = tuple(DeferredWorkflow(d.name, d.function, d.interface, d.reason) for d in result.deferred.values())
    return SourceIR(list(result.programs.values()), deferred)


def package_root(path: str) -> str:
    """The directory above the outermost package holding ``path`` (its own directory outside a package)."""
    directory = os.path.dirname(path)
    while os.path.isfile(os.path.join(directory, "__init__.py")):
        directory = os.path.dirname(directory)
    return directory


def import_file(spec: str) -> ModuleType:
    """Import the ``.py`` file ``spec`` under its dotted name (a file already imported from there is reused)."""
    path = os.path.abspath(spec)
    if not os.path.isfile(path):
        raise SourceError(f"no such file: {spec}")
    root = package_root(path)
    if root not in sys.path:
        sys.path.insert(0, root)
    name = module_name_for_path(path)
    existing = sys.modules.get(name)
    if existing is not None and os.path.abspath(getattr(existing, "__file__", "") or "") == path:
        return existing
    module_spec = importlib.util.spec_from_file_location(name, path)
    if module_spec is None or module_spec.loader is None:
        raise SourceError(f"cannot load {spec} as a Python module")
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[name] = module
    try:
        module_spec.loader.exec_module(module)
    except SyntaxError as exc:
        sys.modules.pop(name, None)
        raise SourceError(describe_syntax_error(exc)) from None
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def describe_syntax_error(exc: SyntaxError) -> str:
    """``file:line:col: SyntaxError: msg``, then the line and a caret (no traceback: nothing ran)."""
    where = f"{exc.filename}:{exc.lineno}" + (f":{exc.offset}" if exc.offset else "")
    text = f"{where}: {type(exc).__name__}: {exc.msg}"
    if exc.text:
        line = exc.text.rstrip("\n")
        stripped = line.lstrip()
        text += f"\n    {stripped}"
        if exc.offset:
            text += "\n    " + " " * max(exc.offset - 1 - (len(line) - len(stripped)), 0) + "^"
    return text


def workflows_in(path: str) -> list[Any]:
    """The ``@workflow`` objects the file ``path`` defines (imports it), sorted by name."""
    from flowgen.dsl.entities import Workflow

    module = import_file(path)
    name = module_name_for_path(os.path.abspath(path))
    found = [v for v in vars(module).values() if isinstance(v, Workflow) and v.function.partition(":")[0] == name]
    return sorted(found, key=lambda w: w.name)
