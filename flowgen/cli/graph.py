"""``flowgen graph FILE.py:WORKFLOW [--format mermaid|dot|svg|png|html] [-o FILE]``.

The picture comes from the static front end (``flowgen.static.compile_static``:
the file is read, nothing is imported or run). A workflow outside the static
subset is reported with the static diagnostics and a hint; ``--traced`` draws
it from the tracing front end instead (imports the module). Both front ends
produce the same IR, so the picture is the same either way.
The format defaults to the extension of ``-o`` (``.mmd``/``.mermaid``, ``.dot``/``.gv``,
``.svg``, ``.png``, ``.html``), else Mermaid. SVG and PNG need Graphviz's ``dot``;
without it the command prints one line naming the package to install.
"""

from __future__ import annotations

import os
import sys

import click

from flowgen.cli.errors import reporting_errors
from flowgen.cli.target import split_target
from flowgen.errors import CompileError
from flowgen.ir.model import Program
from flowgen.render import FORMATS, render

__all__ = ["graph_command"]

_EXTENSIONS = {".mmd": "mermaid", ".mermaid": "mermaid", ".dot": "dot", ".gv": "dot", ".svg": "svg",
               ".png": "png", ".html": "html", ".htm": "html"}


def compile_for_graph(target: str, *, traced: bool = False) -> Program:
    """The IR of ``target``: from source by the static front end, or by importing and tracing it."""
    if traced:
        from flowgen.cli.target import load_target
        from flowgen.dsl.entities import Workflow

        return load_target(target, (Workflow,)).compile_program()  # type: ignore[no-any-return]
    from flowgen.static import StaticCompileError, compile_static

    path, name = split_target(target)
    if not path.endswith(".py"):
        raise click.UsageError(f"{target}: the static front end reads files: write FILE.py:WORKFLOW "
                               "(or add --traced to import a module by name)")
    if not os.path.isfile(path):
        raise click.UsageError(f"no such file: {path}")
    try:
        return compile_static(path, name)
    except StaticCompileError as exc:
        raise CompileError(exc.message, hint=f"`flowgen graph {target} --traced` draws it by importing the "
                                             "module and tracing the workflow") from None


@click.command("graph")
@click.argument("target")
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format (default: from the -o extension, else mermaid).")
@click.option("--output", "-o", "output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file instead of standard output.")
@click.option("--traced", is_flag=True,
              help="Import the module and trace the workflow instead of reading its source statically "
                   "(for workflows outside the static subset).")
def graph_command(target: str, fmt: str | None, output: str | None, traced: bool) -> None:
    """Draw the graph of TARGET (FILE.py:WORKFLOW) without running it.

    \b
    One box per node (task name and node id), edges labelled with the value's
    name and type, sub-workflows as clusters, conditional branches, map_task
    and @dynamic nodes ("expands at run time") marked as such.

    \b
    Examples:
      flowgen graph examples/subworkflows.py:pipeline
      flowgen graph examples/subworkflows.py:pipeline -o pipeline.svg
      flowgen graph examples/subworkflows.py:pipeline --format html -o pipeline.html
    """
    if fmt is None:
        ext = os.path.splitext(output)[1].lower() if output else ""
        if ext and ext not in _EXTENSIONS:
            known = ", ".join(sorted(_EXTENSIONS))
            raise click.BadParameter(
                f"{output}: flowgen graph cannot write {ext} files; the formats are {', '.join(FORMATS)} "
                f"(extensions {known}); or choose one with --format", param_hint="-o/--output")
        fmt = _EXTENSIONS.get(ext, "mermaid")
    if fmt == "png" and output is None and sys.stdout.isatty():
        raise click.UsageError("PNG is binary: write it to a file with -o FILE.png")
    with reporting_errors():
        program = compile_for_graph(target, traced=traced)
        data = render(program, fmt, source=split_target(target)[0])
        if output is None:
            if isinstance(data, bytes):
                sys.stdout.buffer.write(data)
                sys.stdout.buffer.flush()
            else:
                click.echo(data, nl=False)
            return
        try:
            with open(output, "wb") as f:
                f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
        except OSError as exc:
            raise click.FileError(output, exc.strerror) from None
        click.echo(f"wrote {output} ({fmt})", err=True)
