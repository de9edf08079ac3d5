"""The static front end: check and compile workflow source without importing it.

Public surface:

* ``check_paths(paths, ...) -> CheckResult`` is ``flowgen check``: every diagnostic
  of a tree of files (``render`` prints them as text, JSON or GitHub annotations).
* ``compile_file(path) -> FileCompileResult`` compiles every ``@workflow`` of one
  source file: ``result.programs`` maps each workflow's name in the file to its
  :class:`~flowgen.ir.model.Program`; ``result.declined`` names those outside the
  static subset, ``result.diagnostics`` says why, and ``result.raise_if_declined()``
  raises :class:`StaticCompileError` for all-or-nothing callers (``flowgen build``).
* ``compile_static(path, name) -> Program`` compiles one workflow
  (``flowgen compile --static FILE.py:WF``, ``flowgen graph``) and raises
  :class:`StaticCompileError` with the diagnostics when it cannot.

* ``Workspace`` is ``flowgen check`` for an editor (``flowgen lsp``): one file at a time,
  from its unsaved text, the modules it imports parsed once and kept until they change.

Everything reads source with LibCST and never imports or executes the user's code
(see DESIGN.md, "Static front end"); the IR is the one the tracing front end
produces for the same workflow. The other modules of this package are private.
"""

from __future__ import annotations

from flowgen.static.checks import ALL_CHECKS, Check
from flowgen.static.diagnostics import Diagnostic, render
from flowgen.static.engine import INTERNAL_ERROR, CheckResult, check_paths
from flowgen.static.programs import FileCompileResult, StaticCompileError, compile_file, compile_static
from flowgen.static.workspace import EntityInfo, Workspace

__all__ = [
    "ALL_CHECKS",
    "INTERNAL_ERROR",
    "Check",
    "CheckResult",
    "Diagnostic",
    "EntityInfo",
    "FileCompileResult",
    "StaticCompileError",
    "Workspace",
    "check_paths",
    "compile_file",
    "compile_static",
    "render",
]
