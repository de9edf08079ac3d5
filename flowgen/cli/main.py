"""The ``flowgen`` command: one click group, one module per command."""

from __future__ import annotations

import warnings
from typing import Any

import click

from flowgen import __version__
from flowgen.cli.build import build_command
from flowgen.cli.cache import cache_group
from flowgen.cli.check import check_command
from flowgen.cli.compile import compile_command
from flowgen.cli.graph import graph_command
from flowgen.cli.lsp import lsp_command
from flowgen.cli.run import run
from flowgen.cli.test import test_command

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="flowgen")
def cli() -> None:
    """flowgen: Flyte-style workflows, type-checked before they run.

    \b
    flowgen run      run a workflow (inputs parsed by their declared types)
    flowgen compile  print a workflow's IR as JSON
    flowgen build    generate standalone Python modules from workflow sources
    flowgen graph    draw a workflow (mermaid, dot, svg, png, html) without running it
    flowgen cache    list or clear cached task outputs
    flowgen test     property-test workflows with generated inputs
    """


cli.add_command(run)
cli.add_command(compile_command)
cli.add_command(cache_group)
cli.add_command(graph_command)
cli.add_command(build_command)
cli.add_command(check_command)
cli.add_command(test_command)
cli.add_command(lsp_command)


def _show_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                  file: Any = None, line: str | None = None) -> None:
    """Warnings are one line for the user (``warning: ...``), not a source excerpt of flowgen's."""
    click.secho("warning: ", fg="yellow", bold=True, err=True, nl=False)
    click.echo(str(message), err=True)


def main() -> None:
    warnings.showwarning = _show_warning
    cli(prog_name="flowgen")
