"""The ``flowgen`` command: one click group, one module per command, imported when chosen.

``flowgen run`` is the start-up path users feel, so the group knows its commands by name
(module, attribute, one-line help) and imports only the module of the command being run:
``flowgen run`` never loads the static checker, the code generator, the renderers or the
language server. ``flowgen --help`` lists every command from the same table.
"""

from __future__ import annotations

import importlib
import warnings
from typing import Any

import click

from flowgen import __version__
from flowgen.cli import startup

__all__ = ["COMMANDS", "cli", "main"]

COMMANDS: dict[str, tuple[str, str, str]] = {
    "run": ("flowgen.cli.run", "run", "Run a workflow (inputs parsed by their declared types)."),
    "check": ("flowgen.cli.check", "check_command",
              "Type-check workflow sources without importing them."),
    "compile": ("flowgen.cli.compile", "compile_command", "Print a workflow's IR as JSON."),
    "build": ("flowgen.cli.build", "build_command", "Generate standalone Python modules from workflow sources."),
    "graph": ("flowgen.cli.graph", "graph_command",
              "Draw a workflow (mermaid, dot, svg, png, html) without running it."),
    "test": ("flowgen.cli.test", "test_command", "Property-test workflows with generated inputs."),
    "cache": ("flowgen.cli.cache", "cache_group", "List or clear cached task outputs."),
    "lsp": ("flowgen.cli.lsp", "lsp_command", "Serve editors over stdin/stdout (the language server)."),
}
"""Every command: name -> (module, attribute, the one line ``flowgen --help`` shows)."""


class LazyGroup(click.Group):
    """A group whose commands are imported on first use; the listing comes from :data:`COMMANDS`."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        where = COMMANDS.get(cmd_name)
        if where is None:
            return None
        command = getattr(importlib.import_module(where[0]), where[1])
        assert isinstance(command, click.Command)
        if cmd_name != "run":  # run gives the collector back once the workflow is loaded
            startup.resume()
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="flowgen")
def cli() -> None:
    """flowgen: Flyte-style workflows, type-checked before they run.

    \b
    flowgen run FILE.py:WF --INPUT VALUE   run a workflow
    flowgen COMMAND --help                 every option of a command
    """


def _show_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                  file: Any = None, line: str | None = None) -> None:
    """Warnings are one line for the user (``warning: ...``), not a source excerpt of flowgen's."""
    click.secho("warning: ", fg="yellow", bold=True, err=True, nl=False)
    click.echo(str(message), err=True)


def main() -> None:
    startup.pause()
    try:
        warnings.showwarning = _show_warning
        cli(prog_name="flowgen")
    finally:
        startup.resume()
