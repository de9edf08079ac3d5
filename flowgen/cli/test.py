"""``flowgen test PATH[:WF] ...``: property-test workflows with :func:`flowgen.testing.check_workflow`.

=====================  ==================================================================
decision               rule
=====================  ==================================================================
what is tested         every ``@workflow`` defined in each ``.py`` file under PATH (files
                       are imported: the workflows run), or the one ``FILE.py:WF`` names
output                 one line per workflow: ``ok``/``FAIL``/``skip``, examples run, time;
                       a progress bar on a terminal; a failure's message (inputs, runs,
                       reproducer) below its line; ``--format json`` prints one object
                       (what tasks print in-process goes to stderr then)
exit status            0 when every workflow passed (or was skipped because no inputs can
                       be drawn for it: a line says why), 1 on any failure, 2 for bad usage
input domains          every ``flowgen_domains.py`` in the tree under each PATH and in
                       the directories above it is imported first (``--domains FILE``
                       names more): :func:`flowgen.testing.domain` calls there say what
                       inputs and secrets a workflow is meant for
                       (:mod:`flowgen.testing.domains`)
example database       hypothesis's, in ``<flowgen cache dir>/hypothesis``: a failure found
                       once is replayed first next time, until it is fixed
=====================  ==================================================================
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from typing import Any

import click

from flowgen.cli.errors import reporting_errors

__all__ = ["test_command"]

_EXECUTORS = ("inprocess", "threads", "processes", "dask")


def _targets(paths: tuple[str, ...]) -> list[tuple[str, Any]]:
    """(label, workflow or the error text of a file that cannot be loaded) for every target."""
    from flowgen.cli.target import TargetError, load_target, split_target
    from flowgen.codegen.build import find_sources
    from flowgen.discovery import SourceError, workflows_in
    from flowgen.dsl.entities import Workflow
    from flowgen.testing.domains import DOMAIN_FILE

    out: list[tuple[str, Any]] = []
    for path in paths:
        file_part, sep, _name = path.rpartition(":")
        if sep and file_part and os.path.isfile(file_part):
            split_target(path)
            try:
                wf = load_target(path, (Workflow,))
            except TargetError:
                raise
            except Exception as exc:  # the user's module raised while importing
                out.append((path, f"cannot import {file_part}: {type(exc).__name__}: {exc}"))
                continue
            out.append((path, wf))
            continue
        if not os.path.exists(path):
            raise click.BadParameter(f"no such file or directory: {path}", param_hint="PATH")
        for source in find_sources([path]):
            if os.path.basename(source) == DOMAIN_FILE:
                continue
            rel = os.path.relpath(source)
            try:
                workflows = workflows_in(source)
            except SourceError as exc:
                out.append((rel, str(exc)))
                continue
            except Exception as exc:
                out.append((rel, f"cannot import {rel}: {type(exc).__name__}: {exc}"))
                continue
            out += [(f"{rel}::{wf.function.rpartition(':')[2]}", wf) for wf in workflows]
    return out


def _load_domains(paths: tuple[str, ...], extra: tuple[str, ...]) -> None:
    """Import the domain files of ``paths`` and those named; an error in one names the file."""
    from flowgen.cli.target import TargetError
    from flowgen.testing.domains import domain_files, load_domain_files

    roots = [p.rpartition(":")[0] if ":" in p and not os.path.exists(p) else p for p in paths]
    for file in [*domain_files(r for r in roots if os.path.exists(r)), *extra]:
        try:
            load_domain_files([file])
        except Exception as exc:
            raise TargetError(f"{os.path.relpath(file)}: cannot import this domain file: "
                                       f"{type(exc).__name__}: {exc}") from None


def _database() -> Any:
    from hypothesis.database import DirectoryBasedExampleDatabase

    from flowgen.paths import default_cache_dir

    return DirectoryBasedExampleDatabase(os.path.join(default_cache_dir(), "hypothesis"))


@click.command("test")
@click.argument("paths", nargs=-1, required=True)
@click.option("--max-examples", type=click.IntRange(min=1), default=100, show_default=True,
              help="Generated inputs per workflow.")
@click.option("--seed", type=int, default=None, help="Seed hypothesis for a reproducible run.")
@click.option("--executor", "executors", multiple=True, type=click.Choice(_EXECUTORS),
              help="Also run on this executor and compare (repeatable); the interpreter in-process always runs.")
@click.option("--no-generated", is_flag=True, help="Do not build and compare the module `flowgen build` makes.")
@click.option("--deadline", type=click.FloatRange(min=0, min_open=True), default=None, metavar="MS",
              help="Fail an example that takes longer than MS milliseconds (default: no limit).")
@click.option("--domains", "domain_paths", multiple=True, type=click.Path(exists=True, dir_okay=False),
              metavar="FILE", help="Also import this file of flowgen.testing.domain(...) calls (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def test_command(paths: tuple[str, ...], max_examples: int, seed: int | None, executors: tuple[str, ...],
                 no_generated: bool, deadline: float | None, domain_paths: tuple[str, ...], fmt: str) -> None:
    """Property-test workflows: generated inputs, every run compared, failures shrunk.

    PATH is a file or directory (every workflow defined there) or FILE.py:WF (one).
    For each generated input the workflow runs in the interpreter, in the module
    `flowgen build` makes for it, and on each --executor; the runs must agree, outputs must
    fit their types, and nothing may fail. A failure prints the smallest input found and
    the `flowgen run` command that reproduces it. Every flowgen_domains.py under and
    above PATH is imported first: its flowgen.testing.domain(wf, ...) calls say which
    inputs (and secrets) a workflow is meant for.

    \b
    Examples:
      flowgen test examples/
      flowgen test pipelines/etl.py:daily --max-examples 500 --executor threads
      flowgen test pipelines/ --format json
      flowgen test vendored/ --domains tests/vendored_domains.py
    """
    from flowgen.testing.check import WorkflowCheckFailure, check_workflow
    from flowgen.testing.strategies import NoStrategy

    text = fmt == "text"
    results: list[dict[str, Any]] = []
    # What user code prints goes to stderr under --format json, so stdout stays one JSON document.
    with contextlib.redirect_stdout(sys.stderr) if not text else contextlib.nullcontext():
        with reporting_errors():
            _load_domains(paths, domain_paths)
            targets = _targets(paths)
        database = _database()
        for label, wf in targets:
            started = time.perf_counter()
            entry: dict[str, Any] = {"target": label, "workflow": getattr(wf, "name", None)}
            if isinstance(wf, str):
                entry.update(status="error", message=wf)
            else:
                with _Progress(label, max_examples, enabled=text and sys.stderr.isatty()) as bar:
                    try:
                        result = check_workflow(wf, max_examples=max_examples, executors=("inprocess", *executors),
                                                generated=not no_generated, seed=seed, deadline=deadline,
                                                database=database, progress=bar.update)
                        entry.update(status="ok", examples=result.examples, runs=result.runs)
                    except WorkflowCheckFailure as exc:
                        entry.update(status="failed", message=str(exc), inputs=repr(exc.inputs), command=exc.command,
                                     node=exc.node, task=exc.task)
                    except NoStrategy as exc:
                        entry.update(status="skipped", message=str(exc))
                    except Exception as exc:  # a build or check that could not start: say so, located by target
                        entry.update(status="error", message=f"{type(exc).__name__}: {exc}")
            entry["seconds"] = round(time.perf_counter() - started, 3)
            results.append(entry)
            if text:
                _echo_line(entry)
    failed = [r for r in results if r["status"] in ("failed", "error")]
    if text:
        counts = {s: sum(r["status"] == s for r in results) for s in ("ok", "failed", "error", "skipped")}
        summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n) or "no workflows found"
        click.echo(f"{len(results)} workflow(s): {summary}")
    else:
        click.echo(json.dumps({"results": results, "passed": not failed}, indent=2))
    if failed:
        raise SystemExit(1)


def _echo_line(entry: dict[str, Any]) -> None:
    status = entry["status"]
    mark = {"ok": ("ok", "green"), "failed": ("FAIL", "red"), "error": ("ERROR", "red"),
            "skipped": ("skip", "yellow")}[status]
    detail = f"{entry['examples']} examples" if status == "ok" else ""
    click.echo(f"{click.style(mark[0].ljust(5), fg=mark[1], bold=True)} {entry['target']}"
               f"{'  ' + detail if detail else ''}  ({entry['seconds']:.2f} s)")
    if status != "ok":
        for line in entry["message"].splitlines():
            click.echo(f"      {line}")


class _Progress:
    """A one-line progress bar on stderr while a workflow is checked (terminals only)."""

    def __init__(self, label: str, total: int, enabled: bool) -> None:
        self.label, self.total, self.enabled = label, total, enabled

    def __enter__(self) -> _Progress:
        return self

    def update(self, done: int) -> None:
        if not self.enabled:
            return
        width = 24
        filled = min(width, width * done // max(self.total, 1))
        sys.stderr.write(f"\r  [{'#' * filled}{'.' * (width - filled)}] {done}/{self.total} {self.label}")
        sys.stderr.flush()

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
