"""``flowgen check``: load the project, check every module, collect the diagnostics.

The work per module is :func:`flowgen.static.modules.check_module`; :func:`check_paths` runs it over a
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
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from flowgen.static.diagnostics import Diagnostic, filter_codes, sort_diagnostics
from flowgen.static.loader import MAX_SOURCE_BYTES, discover
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
    if workers > 1 and len(files) >= 2 * workers * 4:
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
    """A file's text for showing a diagnostic's line; nothing for what is not a regular file (a FIFO)."""
    try:
        if not os.path.isfile(path) or os.path.getsize(path) > MAX_SOURCE_BYTES:
            return ""
        with open(path, "rb") as fh:
            return fh.read().decode("utf-8", "replace")
    except OSError:
        return ""
