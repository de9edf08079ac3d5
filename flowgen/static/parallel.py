"""``flowgen check`` on several cores: shard the files over worker processes.

Checking a module needs the *summaries* of the modules it imports, but only its
own syntax tree. Each worker parses its shard once, keeps the trees, and gets
from the others only the summaries it can need:

1. every worker parses and summarises its files and sends back its syntax-error
   diagnostics and, per module, its name, path and the module names it imports
   (a few strings: summaries hold LibCST nodes, whose pickling is the expensive part);
2. the parent follows the import graph from each worker's modules, transitively,
   and asks each worker for exactly the summaries the *other* workers will need;
3. each worker sends those summaries pickled once, as bytes; the parent relays the
   bytes unopened to the workers that need them (no unpickle/re-pickle in between);
4. every worker checks its own modules and sends back their diagnostics (and the
   source of the files that have some).

A module no summary was sent for (an import the graph could not foresee, such
as ``pkg.sub`` reached by attribute) is still found: :class:`~flowgen.static.
symbols.Project` loads it from disk on demand under the project's roots, which
the parent sends to every worker. So the graph decides only how much is shipped,
never what is checked.

Shards keep packages together (imports are mostly within a package, so little
crosses a shard) and are balanced by file size: whole directories, largest
first, go to the lightest shard, and a directory too big to balance that way is
split into its files. A worker that dies is not fatal: its files are checked in
this process instead.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
from collections import defaultdict
from collections.abc import Iterable
from multiprocessing.connection import Connection
from typing import Any

from flowgen.static.diagnostics import Diagnostic
from flowgen.static.loader import ModuleFinder, root_of
from flowgen.static.modules import check_parsed, internal_error, load_all
from flowgen.static.summary import ImportInfo, ModuleSummary
from flowgen.static.symbols import Project

__all__ = ["check_files_parallel", "imports_of", "needed_modules", "shard"]

# (module name, path, imported names, names imported as modules) for each module of a shard.
ModuleImports = tuple[str, str, tuple[str, ...], tuple[str, ...]]


def shard(files: list[str], workers: int) -> list[list[str]]:
    """Split files into ``workers`` groups of similar total size, keeping directories together.

    Units are directories (their files in order); a directory larger than an eighth of
    a fair share is split into single files. Units go, largest first, to the lightest group.
    """
    by_dir: dict[str, list[tuple[int, str]]] = defaultdict(list)
    total = 0
    for f in files:
        try:
            size = os.path.getsize(f) + 1
        except OSError:
            size = 1
        by_dir[os.path.dirname(f)].append((size, f))
        total += size
    limit = max(1, total // (max(1, workers) * 8))
    units: list[tuple[int, list[str]]] = []
    for entries in by_dir.values():
        size = sum(s for s, _ in entries)
        if size <= limit:
            units.append((size, [f for _, f in entries]))
        else:
            units.extend((s, [f]) for s, f in entries)
    groups: list[list[str]] = [[] for _ in range(workers)]
    totals = [0] * workers
    for size, unit in sorted(units, key=lambda u: (-u[0], u[1])):
        i = totals.index(min(totals))
        groups[i].extend(unit)
        totals[i] += size
    return [sorted(g) for g in groups if g]


def imports_of(summary: ModuleSummary) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The module names a summary's imports can lead to: (``from``-imported, imported as modules).

    ``from a import b`` may reach ``a`` or its submodule ``a.b``; ``import a.b [as m]``
    reaches ``a.b`` and, through attributes, possibly its submodules.
    """
    names: set[str] = set(summary.star_imports)
    modules: set[str] = set()
    for symbol in summary.names.values():
        if isinstance(symbol, ImportInfo):
            if symbol.name is None:
                modules.add(symbol.module)
            else:
                names.add(symbol.module)
                names.add(f"{symbol.module}.{symbol.name}")
    return tuple(sorted(names)), tuple(sorted(modules))


def _prefixes(name: str) -> Iterable[str]:
    parts = name.split(".")
    return (".".join(parts[:i]) for i in range(1, len(parts) + 1))


def needed_modules(own: Iterable[str], graph: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]) -> set[str]:
    """Every module of ``graph`` reachable by imports from the modules ``own`` (them included).

    A reachable name brings its parent packages (whose ``__init__`` runs first and may
    re-export); a module imported as a module also brings its submodules.
    """
    children: dict[str, list[str]] = defaultdict(list)
    for name in graph:
        if "." in name:
            children[name.rpartition(".")[0]].append(name)
    seen: set[str] = set()
    stack = [n for n in own if n in graph]
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        names, modules = graph[name]
        for dep in names:
            stack.extend(p for p in _prefixes(dep) if p in graph and p not in seen)
        for dep in modules:
            stack.extend(p for p in _prefixes(dep) if p in graph and p not in seen)
            below = [dep]
            while below:
                sub = below.pop()
                for child in children.get(sub, ()):
                    if child not in seen:
                        stack.append(child)
                    below.append(child)
    return seen


def _worker(conn: Connection, files: list[str]) -> None:
    gc.disable()  # see engine.no_cyclic_gc (not imported: engine imports this module); this process ends when its shard is checked
    try:
        modules, found = load_all(files)
        conn.send((found, [(m.name, m.path, *imports_of(m.summary)) for m in modules]))
        roots, export = conn.recv()
        own = {m.name: m.summary for m in modules}
        conn.send_bytes(pickle.dumps([own[n] for n in export if n in own], pickle.HIGHEST_PROTOCOL))
        blobs: list[bytes] = conn.recv()
        project = Project(finder=ModuleFinder(roots))
        for blob in blobs:
            for summary in pickle.loads(blob):
                project.add(summary)
        for m in modules:
            project.add_parsed(m)
        diagnostics = check_parsed(modules, project)
        with_findings = {d.path for d in (*found, *diagnostics)}
        conn.send((diagnostics, {m.path: m.source for m in modules if m.path in with_findings}))
    except BaseException as exc:  # reported by the parent, which checks these files itself
        with contextlib.suppress(Exception):
            conn.send(("failed", repr(exc)))
    finally:
        conn.close()
    # Everything is sent: end the process here, without tearing down the millions of
    # objects of the shard's trees one by one (the parent waits for this exit).
    os._exit(0)


def _serial(files: list[str], roots: list[str]) -> tuple[list[Diagnostic], dict[str, str]]:
    modules, found = load_all(files)
    project = Project(finder=ModuleFinder(roots))
    for m in modules:
        project.add_parsed(m)
    found.extend(check_parsed(modules, project))
    return found, {m.path: m.source for m in modules}


def _receive(conn: Connection, raw: bool = False) -> Any:
    try:
        message = conn.recv_bytes() if raw else conn.recv()
    except (EOFError, OSError):
        return None
    if isinstance(message, tuple) and message and message[0] == "failed":
        return None
    return message


def _send(conn: Connection, message: Any) -> bool:
    try:
        conn.send(message)
    except (OSError, ValueError):
        return False
    return True


class _Shard:
    def __init__(self, proc: Any, conn: Connection, files: list[str]) -> None:
        self.proc = proc
        self.conn = conn
        self.files = files
        self.modules: list[ModuleImports] = []
        self.alive = True
        self.blob: bytes | None = None


def check_files_parallel(files: list[str], workers: int) -> tuple[list[Diagnostic], dict[str, str]]:
    ctx: Any
    try:
        ctx = multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - platforms without fork
        ctx = multiprocessing.get_context("spawn")
    shards: list[_Shard] = []
    for group in shard(files, workers):
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_worker, args=(child, group), daemon=True)
        proc.start()
        child.close()
        shards.append(_Shard(proc, parent, group))
    diagnostics: list[Diagnostic] = []
    sources: dict[str, str] = {}
    roots: list[str] = []
    try:
        # 1. syntax errors and the import graph
        for s in shards:
            message = _receive(s.conn)
            if message is None:
                s.alive = False
                continue
            found, s.modules = message
            diagnostics.extend(found)
        graph = {name: (names, modules) for s in shards for name, _, names, modules in s.modules}
        owner = {name: i for i, s in enumerate(shards) for name, _, _, _ in s.modules}
        roots = list(dict.fromkeys(root_of(path, name) for s in shards for name, path, _, _ in s.modules))
        # 2. what each worker needs from the others, and so what each must export
        needs: list[set[str]] = []
        export: list[set[str]] = [set() for _ in shards]
        for i, s in enumerate(shards):
            own = [name for name, _, _, _ in s.modules]
            need = {n for n in needed_modules(own, graph) if owner[n] != i} if s.alive else set()
            needs.append(need)
            for n in need:
                export[owner[n]].add(n)
        for i, s in enumerate(shards):
            if s.alive:
                s.alive = _send(s.conn, (roots, sorted(export[i])))
        # 3. summaries out, pickled once, relayed as bytes
        for s in shards:
            if s.alive:
                s.blob = _receive(s.conn, raw=True)
                s.alive = s.blob is not None
        for i, s in enumerate(shards):
            if s.alive:
                sent_by = {owner[n] for n in needs[i]}
                blobs = [o.blob for j, o in enumerate(shards) if j in sent_by and o.blob is not None]
                s.alive = _send(s.conn, blobs)
        # 4. diagnostics back
        for s in shards:
            if s.alive:
                message = _receive(s.conn)
                if message is None:
                    s.alive = False
                    continue
                found, texts = message
                diagnostics.extend(found)
                sources.update(texts)
    finally:
        for s in shards:
            s.conn.close()
            s.proc.join(timeout=5)
            if s.proc.is_alive():
                s.proc.kill()
    failed = sorted({f for s in shards if not s.alive for f in s.files})
    if failed:
        try:
            found, texts = _serial(failed, roots)
            diagnostics.extend(found)
            sources.update(texts)
        except Exception as exc:
            diagnostics.extend(internal_error(f, exc) for f in failed)
    return diagnostics, sources

