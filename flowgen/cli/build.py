"""``flowgen build PATH... --out DIR [--check]``: generate standalone modules from workflow sources.

Each source file that defines workflows becomes ``DIR/<package path>/<module>_flowgen.py``
(see :mod:`flowgen.codegen.build`). ``--check`` writes nothing and exits 1 when any
generated module is missing or stale (for CI).

The IR comes from :func:`load_programs`: the static front end (:mod:`flowgen.static`,
which never imports user code) compiles every workflow of the file. While the static
front end does not yet cover a construct (it reports a ``StaticCompileError``), that
file is compiled by the tracing front end instead, which imports it, and a warning on
stderr says so. Both front ends produce identical IR (tested in tests/static).
"""

from __future__ import annotations

import os

import click

from flowgen import __version__
from flowgen.cli.errors import reporting_errors
from flowgen.ir.model import Program

__all__ = ["build_command", "load_programs"]


def _traced_programs(path: str) -> list[Program]:
    """IR of every workflow defined in ``path``, by the tracing front end (imports the file)."""
    from flowgen.cli.target import load_module
    from flowgen.dsl.entities import Workflow
    from flowgen.ir.refs import module_name_for_path

    module = load_module(path)
    name = module_name_for_path(path)
    workflows = [v for v in vars(module).values()
                 if isinstance(v, Workflow) and v.function.partition(":")[0] == name]
    return [wf.compile_program() for wf in sorted(workflows, key=lambda w: w.name)]


def _static_programs(path: str) -> list[Program]:
    """IR of every workflow defined in ``path``, by the static front end (reads source only)."""
    from flowgen.static import compile_file

    result = compile_file(path)
    result.raise_if_declined()
    return list(result.programs.values())


def load_programs(path: str) -> list[Program]:
    """The Programs of every workflow defined in the source file ``path``."""
    from flowgen.static import StaticCompileError

    try:
        return _static_programs(path)
    except StaticCompileError as exc:
        first = str(exc).splitlines()[0]
        click.echo(f"warning: {path}: {first}; compiling it by importing it (tracing front end)", err=True)
        return _traced_programs(path)


@click.command("build")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Directory for the generated modules (package paths are preserved).")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any generated module is missing or stale.")
@click.option("--exclude", multiple=True, type=click.Path(), help="Directory to skip (repeatable).")
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
