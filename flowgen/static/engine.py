"""``flowgen check``: load the project, check every module, collect the diagnostics.

The work per module is :func:`flowgen.static.modules.check_module`; :func:`check_paths` runs it over a
tree, in this process or sharded over worker processes
(:mod:`flowgen.static.parallel`), and returns every diagnostic sorted, deduplicated,
filtered by ``select``/``ignore`` and by inline suppressions. A module that
cannot be read or parsed yields its diagnostic and the others are checked anyway;
an internal error while checking a module becomes an ``FG000`` diagnostic naming
the file, never a traceback.

Two files with the same module name (``a/x.py`` and ``b/x.py`` outside packages)
cannot live in one project: one would shadow the other. When names collide, the
files are checked per root (the directory their top-level package sits in), each
root a project of its own, as Python would run them from there; a name that
still repeats within a root (``x.py`` beside ``x/__init__.py``) is checked alone.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from flowgen.ir.refs import module_name_for_path
from flowgen.static.diagnostics import Diagnostic, filter_codes, sort_diagnostics
from flowgen.static.loader import MAX_SOURCE_BYTES, discover, root_of
from flowgen.static.modules import INTERNAL_ERROR, check_parsed, load_all
from flowgen.static.parallel import check_files_parallel
from flowgen.static.symbols import Project

__all__ = ["INTERNAL_ERROR", "CheckResult", "check_paths", "no_cyclic_gc"]


@dataclass
class CheckResult:
    diagnostics: list[Diagnostic]
    sources: dict[str, str] = field(default_factory=dict)
    files: int = 0

    @property
    def errors(self) -> int:
        return sum(d.severity == "error" for d in self.diagnostics)


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
    diagnostics: list[Diagnostic] = []
    sources: dict[str, str] = {}
    for group in _projects(files):
        if workers > 1 and len(group) >= 2 * workers * 4:
            found, more = check_files_parallel(group, workers)
        else:
            found, more = _check_together(group)
        diagnostics.extend(found)
        sources.update(more)
    for d in diagnostics:
        if d.path not in sources:
            sources[d.path] = _read_text(d.path)
    kept = filter_codes(sort_diagnostics(diagnostics), select, ignore)
    return CheckResult(kept, sources, len(files))


def _projects(files: list[str]) -> list[list[str]]:
    """The files in groups checked as one project each: one group unless module names collide."""
    names = {path: module_name_for_path(path) for path in files}
    if len(set(names.values())) == len(files):
        return [files] if files else []
    by_root: dict[str, list[str]] = {}
    for path in files:
        by_root.setdefault(root_of(path, names[path]), []).append(path)
    groups: list[list[str]] = []
    for group in by_root.values():
        first: dict[str, str] = {}
        for path in group:
            if names[path] in first:
                groups.append([path])
            else:
                first[names[path]] = path
        groups.append(list(first.values()))
    return groups


def _check_together(files: list[str]) -> tuple[list[Diagnostic], dict[str, str]]:
    modules, diagnostics = load_all(files)
    project = Project()
    for parsed in modules:
        project.add_parsed(parsed)
    diagnostics.extend(check_parsed(modules, project))
    return diagnostics, {m.path: m.source for m in modules}


def _read_text(path: str) -> str:
    """A file's text for showing a diagnostic's line; nothing for what is not a regular file (a FIFO)."""
    try:
        if not os.path.isfile(path) or os.path.getsize(path) > MAX_SOURCE_BYTES:
            return ""
        with open(path, "rb") as fh:
            return fh.read().decode("utf-8", "replace")
    except OSError:
        return ""
