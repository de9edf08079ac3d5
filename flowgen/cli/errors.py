"""How the CLI reports errors: a located message, the user's own traceback for a failing
task, and never a traceback from inside flowgen (``FLOWGEN_DEBUG=1`` shows it)."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from flowgen.errors import FlowgenError, TaskError

__all__ = ["EXIT_FAILED", "EXIT_INTERNAL", "reporting_errors"]

EXIT_FAILED = 1
EXIT_INTERNAL = 3
_FLOWGEN_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _user_frames(exc: BaseException) -> list[traceback.FrameSummary]:
    return [
        f for f in traceback.extract_tb(exc.__traceback__)
        if not os.path.abspath(f.filename).startswith(_FLOWGEN_DIR) and "importlib" not in f.filename
    ]


def _echo_error(text: str) -> None:
    click.secho("error: ", fg="red", bold=True, err=True, nl=False)
    click.echo(text, err=True)


def report(exc: BaseException) -> int:
    if isinstance(exc, FlowgenError):
        _echo_error(str(exc))
        if isinstance(exc, TaskError) and exc.task_traceback:
            text = exc.task_traceback.rstrip()
            if "\n" in text:
                click.echo("\nTraceback of the task (most recent call last):", err=True)
            click.echo(text, err=True)
        return EXIT_FAILED
    frames = _user_frames(exc)
    if frames and not os.environ.get("FLOWGEN_DEBUG"):
        # An error in the user's module (while importing it, say): show the user's frames.
        _echo_error(f"{type(exc).__name__}: {exc}")
        click.echo("".join(traceback.format_list(frames)).rstrip(), err=True)
        return EXIT_FAILED
    _echo_error(f"internal error in flowgen: {type(exc).__name__}: {exc}")
    if os.environ.get("FLOWGEN_DEBUG"):
        traceback.print_exception(exc, file=sys.stderr)
    else:
        click.echo("  (set FLOWGEN_DEBUG=1 to see the traceback, and please report it)", err=True)
    return EXIT_INTERNAL


@contextmanager
def reporting_errors() -> Iterator[None]:
    """Turn any exception into a printed report and an exit status."""
    try:
        yield
    except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit, KeyboardInterrupt):
        raise
    except BaseException as exc:
        raise SystemExit(report(exc)) from None


def with_error_reporting(fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with reporting_errors():
            return fn(*args, **kwargs)

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper
