"""The project loader: find the files, parse each once, summarise it.

Nothing is imported or executed: a file is read as bytes, parsed by LibCST and
summarised (:mod:`flowgen.static.summary`). A file that cannot be read or
parsed becomes a diagnostic at its position, and the others are loaded anyway.

Module names come from :func:`flowgen.ir.refs.module_name_for_path` (walking up
through packages), so they match what the tracing front end records. The
directory above a file's top package is a *root*: modules imported from the
checked files but not given on the command line are looked up under the roots
and loaded on demand (:meth:`ModuleFinder.find`).
"""

from __future__ import annotations

import ast
import os
import re
import stat
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Sequence

import libcst as cst

from flowgen.ir.refs import module_name_for_path
from flowgen.source_files import excluded
from flowgen.static.checks import SYNTAX_ERROR
from flowgen.static.cst_parse import parse_trusted
from flowgen.static.declarations import summarize_declarations
from flowgen.static.diagnostics import Diagnostic
from flowgen.static.positions import PositionIndex, top_level_lines, top_level_lines_slow
from flowgen.static.skeleton import checked_source
from flowgen.static.summary import ModuleSummary, summarize

__all__ = ["DEFAULT_EXCLUDES", "ModuleFinder", "ParsedModule", "discover", "load_module", "root_of"]

DEFAULT_EXCLUDES = (".git", ".hg", ".venv", "venv", ".tox", ".nox", "__pycache__", "build", "dist",
                    "node_modules", ".mypy_cache", ".ruff_cache", ".pytest_cache", "*.egg-info")

READ_ERROR = "FG002"
MAX_SOURCE_BYTES = 4 * 1024 * 1024  # a larger .py file is generated data, not a workflow: FG002


class ParsedModule:
    """One loaded module: its source, summary, LibCST tree and the positions of its nodes.

    A module summarised from CPython's parse alone (:mod:`flowgen.static.declarations`:
    imports and ``@task`` definitions only) is parsed by LibCST the first time its tree or
    positions are asked for, which for ``flowgen check`` is only when it has a diagnostic
    to place; ``declarations_only`` then says it holds no module-level code to check.
    """

    def __init__(self, path: str, name: str, source: str, summary: ModuleSummary,
                 module: cst.Module | None = None, positions: PositionIndex | None = None, *,
                 parse: Callable[[], tuple[cst.Module, PositionIndex]] | None = None) -> None:
        self.path = path
        self.name = name
        self.source = source
        self.summary = summary
        self._module = module
        self._positions = positions
        self._parse = parse
        self.declarations_only = parse is not None

    def _load(self) -> None:
        assert self._parse is not None
        self._module, self._positions = self._parse()
        self._parse = None

    @property
    def module(self) -> cst.Module:
        if self._module is None:
            self._load()
        assert self._module is not None
        return self._module

    @property
    def positions(self) -> PositionIndex:
        if self._positions is None:
            self._load()
        assert self._positions is not None
        return self._positions


def _excluded(path: str, patterns: Sequence[str]) -> bool:
    return excluded(path, patterns)


def discover(paths: Iterable[str], exclude: Sequence[str] = ()) -> list[str]:
    """Python files under ``paths`` (files as given, directories recursively), sorted, unique."""
    patterns = (*DEFAULT_EXCLUDES, *exclude)
    found: list[str] = []
    for path in paths:
        path = os.path.abspath(path)
        if os.path.isdir(path):
            tree = os.path.realpath(path) + os.sep
            for directory, subdirs, files in os.walk(path):  # never into linked directories: no cycles
                subdirs[:] = sorted(d for d in subdirs if not _excluded(os.path.join(directory, d), patterns))
                for f in sorted(files):
                    full = os.path.join(directory, f)
                    if not f.endswith(".py") or _excluded(full, exclude):
                        continue
                    if os.path.islink(full) and not os.path.realpath(full).startswith(tree):
                        continue  # a link out of the tree is not part of it
                    found.append(full)
        elif not _excluded(path, exclude):
            found.append(path)
    seen: set[str] = set()
    out = []
    for f in found:
        if f not in seen:
            seen.add(f)
            out.append(f)
    return out


def root_of(path: str, module_name: str) -> str:
    """The directory a module's top package lives in (what sys.path would hold)."""
    path = os.path.abspath(path)
    depth = module_name.count(".") + (1 if os.path.basename(path) == "__init__.py" else 0)
    root = os.path.dirname(path)
    for _ in range(depth):
        root = os.path.dirname(root)
    return root


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _syntax(path: str, line: int, column: int, message: str) -> list[Diagnostic]:
    return [Diagnostic(path, max(1, line), max(0, column), max(1, line), max(0, column) + 1, SYNTAX_ERROR.code,
                       "error", f"syntax error: {message}", SYNTAX_ERROR.hint)]


_AT = re.compile(r"error at (\\d+):(\\d+)")


class _NFKC(cst.CSTTransformer):
    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        value = updated_node.value
        if value.isascii():
            return updated_node
        normal = unicodedata.normalize("NFKC", value)
        return updated_node if normal == value else updated_node.with_changes(value=normal)


def normalise_identifiers(module: cst.Module) -> cst.Module:
    """Every identifier NFKC-normalised, as Python's parser does (``ℌ`` and ``H`` are one name).

    Only sources with non-ASCII text need it; positions stay on the same lines.
    """
    return module.visit(_NFKC())


def _too_large(path: str, size: int) -> Diagnostic:
    return Diagnostic(path, 1, 0, 1, 0, READ_ERROR, "error",
                      f"file too large to check ({size:,} bytes; the limit is {MAX_SOURCE_BYTES:,})")


def load_module(path: str, data: bytes | None = None, *,
                task_bodies: bool = True) -> tuple[ParsedModule | None, list[Diagnostic]]:
    """Read, parse and summarise one file; problems come back as diagnostics, never raised.

    Without ``task_bodies`` the bodies of ``@task`` functions are left out of the tree
    (:mod:`flowgen.static.skeleton`): ``flowgen check`` never reads them.

    CPython's parser reads the file first: it is cheap, its syntax errors carry exact
    positions, and it refuses nesting deep enough to overflow LibCST's native parser
    (which would crash the process rather than raise).
    """
    path = os.path.abspath(path)
    try:
        if data is None:
            info = os.stat(path)
            if not stat.S_ISREG(info.st_mode):  # a FIFO, socket or device would block or never end
                return None, [Diagnostic(path, 1, 0, 1, 0, READ_ERROR, "warning",
                                         "not a regular file (a FIFO, socket or device): skipped, not read")]
            if info.st_size > MAX_SOURCE_BYTES:
                return None, [_too_large(path, info.st_size)]
            with open(path, "rb") as fh:
                data = fh.read(MAX_SOURCE_BYTES + 1)
    except OSError as exc:
        return None, [Diagnostic(path, 1, 0, 1, 0, READ_ERROR, "error", f"cannot read file: {exc.strerror or exc}")]
    if len(data) > MAX_SOURCE_BYTES:
        return None, [_too_large(path, len(data))]
    source = _decode(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(data)
    except SyntaxError as err:
        return None, _syntax(path, err.lineno or 1, (err.offset or 1) - 1, err.msg)
    except (RecursionError, MemoryError):
        return None, _syntax(path, 1, 0, "the source is nested too deeply to parse")
    except ValueError as err:  # null bytes
        return None, _syntax(path, 1, 0, str(err))
    name = module_name_for_path(path)
    if not task_bodies:
        declared = summarize_declarations(tree, source, name, path)
        if declared is not None:
            blanked = checked_source(tree, data).data
            return ParsedModule(path, name, source, declared, parse=lambda: _parse_declarations(tree, blanked)), []
    checked = None if task_bodies else checked_source(tree, data)
    module = _parse(path, data if checked is None else checked.data)
    if isinstance(module, list):
        return None, module
    if not source.isascii():
        module = normalise_identifiers(module)
    lines: list[tuple[int, int]] | None = top_level_lines(tree, module)
    if lines is None and checked is not None and checked.imports:
        return load_module(path, data, task_bodies=True)  # the parsers disagree: imports cannot be matched
    if lines is None:
        lines = top_level_lines_slow(module)
    summary = summarize(module, name, path, lines, checked.imports if checked is not None else None)
    return ParsedModule(path, name, source, summary, module, PositionIndex(module, lines)), []


def _parse(path: str, data: bytes) -> cst.Module | list[Diagnostic]:
    """LibCST's tree of ``data``, or the syntax error it found."""
    try:
        return parse_trusted(data)
    except cst.ParserSyntaxError as exc:
        text = str(exc.message).strip()
        match = _AT.search(text)
        line, column = (int(match.group(1)), int(match.group(2))) if match else (exc.raw_line, exc.raw_column)
        return _syntax(path, line, column, text.splitlines()[0] if text else "invalid syntax")
    except (RecursionError, MemoryError):
        return _syntax(path, 1, 0, "the source is nested too deeply to parse")
    except Exception as exc:  # LibCST reports some invalid sources with other exceptions
        return _syntax(path, 1, 0, f"cannot parse: {type(exc).__name__}: {exc}"[:300])


def _parse_declarations(tree: ast.Module, data: bytes) -> tuple[cst.Module, PositionIndex]:
    """The LibCST tree and positions of a module first summarised from ``ast`` (ASCII, parsed by CPython)."""
    module = parse_trusted(data)
    lines: list[tuple[int, int]] | None = top_level_lines(tree, module)
    return module, PositionIndex(module, lines if lines is not None else top_level_lines_slow(module))


class ModuleFinder:
    """Finds a module's file by dotted name under the project's roots (never via sys.path)."""

    def __init__(self, roots: Iterable[str]) -> None:
        self.roots = list(dict.fromkeys(os.path.abspath(r) for r in roots))

    def add_root(self, root: str) -> None:
        root = os.path.abspath(root)
        if root not in self.roots:
            self.roots.append(root)

    def find(self, name: str) -> str | None:
        if not name or name.startswith("flowgen"):
            return None
        parts = name.split(".")
        for root in self.roots:
            base = os.path.join(root, *parts)
            for candidate in (base + ".py", os.path.join(base, "__init__.py")):
                if os.path.isfile(candidate) and module_name_for_path(candidate) == name:
                    return candidate
        return None
