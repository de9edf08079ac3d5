"""``flowgen build PATH... --out DIR [--check]``: generate standalone modules from workflow sources.

Each source file that defines workflows becomes ``DIR/<package path>/<module>_flowgen.py``
(see :mod:`flowgen.codegen.build`). ``--check`` writes nothing and exits 1 when any
generated module is missing or stale (for CI).

Neither ``build`` nor ``build --check`` imports or runs a line of the user's code: the
IR comes from :func:`load_programs`, the static front end (:mod:`flowgen.static`),
which reads source only. A workflow outside the static subset (FG401, no error) is
still built, as a run-time compile hook (:mod:`flowgen.runtime.deferred`) that traces
it when the generated module runs; build prints one line per such workflow with the
FG401 reason. A workflow with errors fails the build with its diagnostics.
"""

from __future__ import annotations

import os

import click

from flowgen import __version__
from flowgen.cli.errors import reporting_errors
from flowgen.discovery import load_programs

__all__ = ["build_command", "load_programs"]


@click.command("build")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Directory for the generated modules (package paths are preserved).")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any generated module is missing or stale.")
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="Skip files and directories matching GLOB (repeatable; the syntax of flowgen check --exclude).")
def build_command(paths: tuple[str, ...], out_dir: str, check: bool, exclude: tuple[str, ...]) -> None:
    """Generate a standalone Python module for every source file with workflows.

    \b
    Examples:
      flowgen build examples/ --out build/
      python build/dynamic_workflows_flowgen.py wf --s1 Pear --s2 Earth
      flowgen build examples/ --out build/ --check    # CI: fail when stale
    """
    from flowgen.codegen.build import build

    with reporting_errors():
        results = build(paths, out_dir, load_programs, __version__, check=check, exclude=exclude)
    cwd = os.getcwd()
    stale = [r for r in results if r.status in ("stale", "missing")]
    for r in results:
        for d in r.deferred:
            click.echo(f"deferred: {d.name} is traced when the generated module runs (outside the static subset: "
                       f"{d.reason})", err=True)
    for r in results:
        shown = os.path.relpath(r.output, cwd)
        if check and r.status != "unchanged":
            click.echo(f"{r.status}: {shown} (from {os.path.relpath(r.source, cwd)})", err=True)
        elif not check:
            click.echo(f"{r.status}: {shown}")
    if not results:
        click.echo("no workflows found", err=True)
    if stale:
        click.echo(f"{len(stale)} generated module(s) out of date: run flowgen build without --check", err=True)
        raise SystemExit(1)
