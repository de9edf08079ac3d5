"""``flowgen check PATH...``: type-check workflow source without importing it."""

from __future__ import annotations

import dataclasses
import os
import sys
from typing import Any

import click

__all__ = ["check_command"]


def _codes(values: tuple[str, ...]) -> list[str]:
    return [c.strip() for v in values for c in v.split(",") if c.strip()]


def _relative(diagnostics: list[Any], sources: dict[str, str]) -> tuple[list[Any], dict[str, str]]:
    """Paths under the working directory are shown relative to it, as compilers do."""
    cwd = os.getcwd() + os.sep

    def short(path: str) -> str:
        return path[len(cwd):] if path.startswith(cwd) else path

    return ([dataclasses.replace(d, path=short(d.path)) for d in diagnostics],
            {short(p): text for p, text in sources.items()})


@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True,
              help="text for people, json for tools, github for CI annotations.")
@click.option("--select", multiple=True, metavar="CODES", help="Report only these codes (prefixes work: FG2).")
@click.option("--ignore", multiple=True, metavar="CODES", help="Never report these codes (prefixes work).")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Skip files and directories matching GLOB.")
@click.option("--jobs", "-j", type=int, default=None, help="Worker processes (default: one per core).")
def check_command(paths: tuple[str, ...], fmt: str, select: tuple[str, ...], ignore: tuple[str, ...],
                  exclude: tuple[str, ...], jobs: int | None) -> None:
    """Check the workflows, tasks and dynamics in PATHS (files or directories; default: .).

    Reads source with LibCST and never imports or runs it. Exits 1 when an error is
    reported. Silence a line with `# flowgen: ignore[FG123]`.
    """
    from flowgen.static import INTERNAL_ERROR, Diagnostic, check_paths, render

    try:
        result = check_paths(list(paths) or ["."], exclude=list(exclude), select=_codes(select),
                             ignore=_codes(ignore), jobs=jobs)
        diagnostics, sources = result.diagnostics, result.sources
    except Exception as exc:  # never a traceback: the failure is a diagnostic too
        diagnostics = [Diagnostic("<flowgen>", 1, 0, 1, 0, INTERNAL_ERROR, "error",
                                  f"internal error: {type(exc).__name__}: {exc}")]
        sources = {}
    diagnostics, sources = _relative(diagnostics, sources)
    sys.stdout.write(render(fmt, diagnostics, sources))
    if fmt == "text" and not diagnostics:
        click.echo(f"No problems found in {result.files} file(s).", err=True)
    sys.exit(1 if any(d.severity == "error" for d in diagnostics) else 0)
