"""``flowgen cache list`` and ``flowgen cache clear [TASK]``."""

from __future__ import annotations

import datetime as dt

import click

from flowgen.runtime.cache import get_store, set_cache_dir

__all__ = ["cache_dir_option", "cache_group"]

cache_dir_option = click.option(
    "--cache-dir", type=click.Path(file_okay=False), default=None,
    help="Cache directory (default: $FLOWGEN_CACHE_DIR, else ~/.cache/flowgen).",
)


@click.group("cache")
def cache_group() -> None:
    """Inspect or clear the task cache (an SQLite file of task outputs stored as JSON)."""


@cache_group.command("list")
@cache_dir_option
def list_entries(cache_dir: str | None) -> None:
    """List cached task outputs: task, cache_version, when stored."""
    set_cache_dir(cache_dir)
    store = get_store()
    entries = list(store.entries())
    if store.unusable is not None:
        raise click.ClickException(f"cache {store.path} cannot be used: {store.unusable}")
    click.echo(f"cache: {store.path} ({len(entries)} entries)")
    for e in entries:
        when = dt.datetime.fromtimestamp(e.created).isoformat(timespec="seconds")
        click.echo(f"  {e.task}  version={e.version or '-'}  {when}  {e.key[:12]}")


@cache_group.command("clear")
@click.argument("task", required=False)
@cache_dir_option
def clear(task: str | None, cache_dir: str | None) -> None:
    """Delete cached outputs: all of them, or those of TASK (full name or its last part)."""
    set_cache_dir(cache_dir)
    store = get_store()
    removed = store.clear(task)
    if store.unusable is not None:
        raise click.ClickException(f"cache {store.path} cannot be used: {store.unusable}")
    click.echo(f"removed {removed} entr{'y' if removed == 1 else 'ies'}" + (f" of {task}" if task else ""))


