"""Calling one task function: retries, timeout, and the located error when it fails.

This is the unit an executor runs (in-process, on a thread, in another
process, on a Dask worker): plain inputs in, plain outputs out.

A task with ``timeout=`` runs each attempt in a child process that is killed at the
deadline (:mod:`flowgen.runtime.stoppable`), on every executor and in generated code:
an attempt that timed out is dead before its retry starts or its error is raised.
A child that dies (``os._exit``, a signal, out of memory) fails the attempt with a
TaskError that says how it ended.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable
from typing import Any

from flowgen.errors import FlowgenError, TaskError, TaskTimeoutError
from flowgen.ir.model import TaskSpec
from flowgen.runtime.boundary import attach_output_hashes, deliver_inputs, prepare_inputs, split_outputs
from flowgen.runtime.cache import cache_enabled, cache_key, cacheable, get_store
from flowgen.runtime.decks import save_decks
from flowgen.runtime.stoppable import AttemptTimedOut, ProcessDied, call_in_child
from flowgen.runtime.task_context import (
    current_execution,
    missing_secrets,
    redact,
    secret_values,
    task_attempts,
    uses_context,
)

__all__ = ["TaskOutcome", "call_with_policy", "execute_task", "process_died", "task_failure"]


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
            return call_in_child(fn, kwargs, timeout, user_traceback), attempt
        except AttemptTimedOut:
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
            if isinstance(exc, ProcessDied):
                raise process_died(exc.what, attempt, describe()) from None
            raise task_failure(exc, attempt, describe()) from exc


def process_died(what: str, attempts: int, facts: dict[str, Any]) -> TaskError:
    """The located error for a task whose process ended without an answer; ``what`` says how
    (``the process running it exited with code 3``)."""
    facts = dict(facts)
    err = TaskError(f"{facts.pop('what')} failed" + (f" after {attempts} attempts" if attempts > 1 else "")
                    + f": {what}", **facts)
    err.attempts = attempts
    return err


def task_failure(exc: Exception, attempts: int, facts: dict[str, Any]) -> TaskError:
    """The located error for a task body that raised ``exc`` (chain it: ``raise ... from exc``)."""
    facts = dict(facts)
    err = TaskError.of(type(exc))(
        f"{facts.pop('what')} failed"
        + (f" after {attempts} attempts" if attempts > 1 else "")
        + f": {type(exc).__name__}: {exc}",
        **facts,
    )
    err.attempts = attempts
    err.task_traceback = user_traceback(exc)
    return err


_FLOWGEN_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def user_traceback(exc: BaseException) -> str:
    """The task's own traceback as text: the user's frames only, then the exception line.

    Kept on the TaskError as a string, so it survives the trip back from a worker process
    or a Dask worker (a traceback object does not pickle).
    """
    carried = getattr(exc, "_flowgen_traceback", None)  # made where the body ran (a timeout's child)
    if isinstance(carried, str):
        return carried
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if not os.path.abspath(f.filename).startswith(_FLOWGEN_DIR)]
    text = "".join(traceback.format_list(frames)) if frames else ""
    return text + "".join(traceback.format_exception_only(type(exc), exc))


class TaskOutcome:
    """What running one task call produced: named outputs, whether the cache served them, attempts,
    and the decks its body made (``flowgen.Deck``)."""

    __slots__ = ("attempts", "cached", "decks", "outputs")

    def __init__(self, outputs: dict[str, Any], cached: bool, attempts: int) -> None:
        self.outputs = outputs
        self.cached = cached
        self.attempts = attempts
        self.decks: list[Any] = []


def execute_task(
    spec: TaskSpec, fn: Callable[..., Any], values: dict[str, Any], *, what: str, facts: dict[str, Any],
    use_cache: bool = True,
) -> TaskOutcome:
    """One task call at a node boundary: validate inputs, serve from or fill the cache, call with
    retries and timeout, validate outputs. The unit every executor and generated code runs."""
    stored = prepare_inputs(spec.interface, values, what=what, deliver=False, **facts)
    kwargs = deliver_inputs(spec.interface, stored)
    key = None
    if spec.cache is not None and use_cache and cache_enabled() and cacheable(spec):
        store = get_store()
        key = cache_key(spec, stored, kwargs)
        hit = store.get(spec, key)
        if hit is not None:
            return TaskOutcome(hit, True, 0)
    decks: list[Any] = []
    if uses_context(fn):
        result, attempts, decks = _call_in_context(spec, fn, kwargs, what=what, facts=facts)
    else:
        result, attempts = call_with_policy(
            fn, kwargs, retries=spec.retries, timeout=spec.timeout_seconds, describe=lambda: {"what": what, **facts}
        )
    outputs = split_outputs(spec.interface, result, what=what, **facts)
    if spec.cache is not None or key is not None:
        attach_output_hashes(spec, result, outputs)
    if key is not None:
        get_store().put(spec, key, outputs)
    outcome = TaskOutcome(outputs, False, attempts)
    outcome.decks = decks
    return outcome


def _call_in_context(
    spec: TaskSpec, fn: Callable[..., Any], kwargs: dict[str, Any], *, what: str, facts: dict[str, Any]
) -> tuple[Any, int, list[Any]]:
    """A body that may use ``current_context()``: its secrets are checked before it runs, each attempt
    gets a frame (working directory, checkpoint), and secret values are kept out of its errors."""
    requested = tuple(getattr(fn, "__flowgen_secret_requests__", ()))
    missing = missing_secrets(requested)
    if missing:
        raise TaskError(f"{what} requests a secret that is not set, so it did not run: " + "; ".join(missing),
                        hint="secrets are read from _FSEC_<GROUP>_<KEY> environment variables or from files "
                        "under $FLYTE_SECRETS_DEFAULT_DIR/<group>/<key>, as flytekit reads them", **facts)
    hidden = secret_values(requested)
    with task_attempts(spec.name, facts.get("node") or "", requested) as frames:
        attempt = frames(fn)
        try:
            result, attempts = call_with_policy(
                attempt, kwargs, retries=spec.retries, timeout=spec.timeout_seconds,
                describe=lambda: {"what": what, **facts},
            )
        except FlowgenError as err:
            if hidden:
                _redact_error(err, hidden)
                raise err from None
            raise
        decks = list(attempt.state["decks"])  # type: ignore[attr-defined]
        if decks:
            save_decks(current_execution().name, facts.get("node") or spec.name, decks)
        return result, attempts, decks


def _redact_error(err: FlowgenError, hidden: list[str]) -> None:
    err.message = redact(err.message, hidden)
    if err.hint:
        err.hint = redact(err.hint, hidden)
    if isinstance(err, TaskError):
        err.task_traceback = redact(err.task_traceback, hidden)
    err.args = (err._render(),)
    err.__cause__ = None
    err.__suppress_context__ = True
