"""``flowgen compile TARGET``: print a workflow's IR as JSON."""

from __future__ import annotations

import click

from flowgen.cli.errors import reporting_errors
from flowgen.cli.target import load_target, split_target

__all__ = ["compile_command"]


@click.command("compile")
@click.argument("target")
@click.option("--static", "use_static", is_flag=True,
              help="Compile with the static front end (reads source, imports nothing).")
@click.option("--indent", default=2, show_default=True, help="JSON indentation.")
def compile_command(target: str, use_static: bool, indent: int) -> None:
    """Print the IR of TARGET (FILE.py:WORKFLOW or package.module:WORKFLOW) as JSON.

    Exits non-zero with the error when the workflow does not compile.
    """
    with reporting_errors():
        if use_static:
            from flowgen.static import compile_static  # type: ignore[attr-defined]

            path, name = split_target(target)
            program = compile_static(path, name)
        else:
            from flowgen.dsl.entities import Workflow

            program = load_target(target, (Workflow,)).compile_program()
        click.echo(program.model_dump_json(indent=indent or None))
