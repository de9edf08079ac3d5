"""The ``flowgen`` command: one click group, one module per command."""

from __future__ import annotations

import click

from flowgen import __version__
from flowgen.cli.cache import cache_group
from flowgen.cli.compile import compile_command
from flowgen.cli.run import run

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="flowgen")
def cli() -> None:
    """flowgen: Flyte-style workflows, type-checked before they run.

    \b
    flowgen run      run a workflow (inputs parsed by their declared types)
    flowgen compile  print a workflow's IR as JSON
    flowgen cache    list or clear cached task outputs
    """


cli.add_command(run)
cli.add_command(compile_command)
cli.add_command(cache_group)


def main() -> None:
    cli(prog_name="flowgen")
