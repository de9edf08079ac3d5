"""Calling one task function: retries, timeout, and the located error when it fails.

This is the unit an executor runs (in-process, on a thread, in another
process, on a Dask worker): plain inputs in, plain outputs out.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from flowgen.errors import FlowgenError, TaskError, TaskTimeoutError

__all__ = ["call_with_policy"]


class _Timeout(Exception):
    """Our own timeout (a TimeoutError raised by the task body is an ordinary failure)."""


def _call_with_timeout(fn: Callable[..., Any], kwargs: dict[str, Any], seconds: float) -> Any:
    """Run ``fn`` on a daemon thread and stop waiting after ``seconds`` (the run never hangs)."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["result"] = fn(**kwargs)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True, name="flowgen-task")
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise _Timeout
    if "error" in box:
        raise box["error"]
    return box["result"]


def call_with_policy(
    fn: Callable[..., Any],
    kwargs: dict[str, Any],
    *,
    retries: int,
    timeout: float | None,
    describe: Callable[[], dict[str, Any]],
) -> tuple[Any, int]:
    """``fn(**kwargs)`` with up to ``retries`` extra attempts; returns (result, attempts).

    Only exceptions raised by the task body are retried; flowgen's own errors
    (validation of a nested call, for instance) are not. ``describe`` gives the
    facts for the error message (workflow, node, task, call site) lazily.
    """
    attempt = 0
    while True:
        attempt += 1
        try:
            if timeout is None:
                return fn(**kwargs), attempt
            return _call_with_timeout(fn, kwargs, timeout), attempt
        except _Timeout:
            if attempt <= retries:
                continue
            facts = describe()
            err = TaskTimeoutError(
                f"{facts.pop('what')} timed out after {timeout:g} s (its timeout)"
                + (f" ({attempt} attempts)" if attempt > 1 else ""),
                **facts,
            )
            err.attempts = attempt
            raise err from None
        except FlowgenError:
            raise
        except Exception as exc:
            if attempt <= retries:
                continue
            facts = describe()
            err = TaskError(
                f"{facts.pop('what')} failed"
                + (f" after {attempt} attempts" if attempt > 1 else "")
                + f": {type(exc).__name__}: {exc}",
                **facts,
            )
            err.attempts = attempt
            raise err from exc
