"""``flowgen check`` on several cores: shard the files over worker processes, in two rounds.

Checking a module needs the *summaries* of the modules it imports, but only its
own syntax tree. So each worker parses its shard once and keeps the trees:

1. round one: every worker parses and summarises its files and sends back the
   summaries (small, picklable) and any syntax-error diagnostics;
2. the parent merges the summaries and sends the whole table to every worker;
3. round two: every worker checks its own modules against the whole project and
   sends back their diagnostics (and the source of files that have some).

Shards are balanced by file size. A worker that dies is not fatal: its files are
checked in this process instead.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
from multiprocessing.connection import Connection
from typing import Any

from flowgen.static.diagnostics import Diagnostic
from flowgen.static.engine import check_parsed, internal_error, load_all
from flowgen.static.summary import ModuleSummary
from flowgen.static.symbols import Project

__all__ = ["check_files_parallel", "shard"]


def shard(files: list[str], workers: int) -> list[list[str]]:
    """Split files into ``workers`` groups of similar total size (largest first, greedy)."""
    sizes = []
    for f in files:
        try:
            sizes.append((os.path.getsize(f), f))
        except OSError:
            sizes.append((0, f))
    groups: list[list[str]] = [[] for _ in range(workers)]
    totals = [0] * workers
    for size, f in sorted(sizes, reverse=True):
        i = totals.index(min(totals))
        groups[i].append(f)
        totals[i] += size + 1
    return [g for g in groups if g]


def _worker(conn: Connection, files: list[str]) -> None:
    gc.disable()  # see engine.no_cyclic_gc; this process ends when its shard is checked
    try:
        modules, found = load_all(files)
        conn.send(([m.summary for m in modules], found))
        summaries: list[ModuleSummary] = conn.recv()
        project = Project(summaries)
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


def _serial(files: list[str], summaries: list[ModuleSummary]) -> tuple[list[Diagnostic], dict[str, str]]:
    modules, found = load_all(files)
    project = Project(summaries)
    for m in modules:
        project.add_parsed(m)
    found.extend(check_parsed(modules, project))
    return found, {m.path: m.source for m in modules}


def _receive(conn: Connection) -> Any:
    try:
        message = conn.recv()
    except (EOFError, OSError):
        return None
    if isinstance(message, tuple) and message and message[0] == "failed":
        return None
    return message


def check_files_parallel(files: list[str], workers: int) -> tuple[list[Diagnostic], dict[str, str]]:
    ctx: Any
    try:
        ctx = multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - platforms without fork
        ctx = multiprocessing.get_context("spawn")
    groups = shard(files, workers)
    procs = []
    for group in groups:
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_worker, args=(child, group), daemon=True)
        proc.start()
        child.close()
        procs.append((proc, parent, group))
    diagnostics: list[Diagnostic] = []
    sources: dict[str, str] = {}
    summaries: list[ModuleSummary] = []
    alive: list[tuple[Connection, list[str]]] = []
    failed: list[str] = []
    for _, conn, group in procs:
        message = _receive(conn)
        if message is None:
            failed.extend(group)
            continue
        found_summaries, found = message
        summaries.extend(found_summaries)
        diagnostics.extend(found)
        alive.append((conn, group))
    listening = []
    for conn, group in alive:
        try:
            conn.send(summaries)
            listening.append((conn, group))
        except (OSError, ValueError):
            failed.extend(group)
    for conn, group in listening:
        message = _receive(conn)
        if message is None:
            failed.extend(group)
            continue
        found, texts = message
        diagnostics.extend(found)
        sources.update(texts)
    for proc, conn, _ in procs:
        conn.close()
        proc.join(timeout=5)
        if proc.is_alive():
            proc.kill()
    if failed:
        try:
            found, texts = _serial(sorted(set(failed)), summaries)
            diagnostics.extend(found)
            sources.update(texts)
        except Exception as exc:
            diagnostics.extend(internal_error(f, exc) for f in failed)
    return diagnostics, sources
