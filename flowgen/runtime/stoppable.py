"""One task attempt in a child process, so that a timeout can stop it.

A Python thread cannot be stopped, so a task with ``timeout=`` runs each attempt
in a child process of whatever runs the call (the driver in-process, a pool
thread, a worker process, a Dask worker): at the deadline the child and anything
it started are killed (``SIGKILL`` to its process group) and reaped *before* the
attempt is reported as timed out, so a timed-out attempt writes nothing after its
timeout and a retry never overlaps the attempt before it. Only tasks with a
timeout pay for this; every other task runs where it is called, as before.

Decisions
---------
* **fork, not spawn.** The child is a ``fork`` of the caller: it starts in about a
  millisecond, already holds the function and its inputs (nothing is pickled on the
  way in, a function defined in ``__main__`` or a test works), and only the result
  comes back pickled through a pipe. A fresh interpreter (``spawn``/forkserver)
  would cost ~50-100 ms plus the import of the task's module on every attempt.
  The price of ``fork`` in a multi-threaded process (threads and Dask executors) is
  that only the calling thread exists in the child: a lock another thread held at
  that moment stays held there. The child runs nothing but the task body and the
  pickling of its result, and CPython re-initialises its own locks (imports,
  logging, stdio buffers) after a fork. ``bench/bench_timeouts.py`` measures the cost.
* **What comes back.** The body's return value, or the exception it raised with its
  traceback as text (the user's frames), and the attempt's context state (decks,
  attempt number) for tasks that use ``current_context()``. A result that does not
  pickle fails the attempt with a clear message.
* **Death.** A child that ends without answering (``os._exit``, a signal, the kernel's
  out-of-memory killer) fails the attempt with :class:`ProcessDied`, which names the
  exit code or the signal; like any failure of the body it is retried.
* **Orphans.** The child asks the kernel to kill it if the thread that forked it dies
  (``PR_SET_PDEATHSIG`` on Linux), and the parent kills live children at exit, so a
  Ctrl-C or a crash of the driver never leaves a task running.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

__all__ = ["AttemptTimedOut", "ProcessDied", "call_in_child", "describe_exit"]

_live: set[int] = set()
_live_lock = threading.Lock()


class AttemptTimedOut(Exception):
    """The attempt ran past its timeout; its process has been killed and reaped."""


class ProcessDied(Exception):
    """The process running the attempt ended without an answer (``os._exit``, a signal, out of memory)."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def describe_exit(status: int | None = None, *, exitcode: int | None = None) -> str:
    """``exited with code 3`` / ``was killed by signal SIGKILL (9)`` from a wait status or an exit code
    (a negative exit code is a signal, as ``multiprocessing`` reports it)."""
    if status is not None:
        if os.WIFSIGNALED(status):
            exitcode = -os.WTERMSIG(status)
        else:
            exitcode = os.waitstatus_to_exitcode(status)
    if exitcode is None:
        return "ended without an exit code"
    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        hint = " (out of memory?)" if -exitcode == signal.SIGKILL else ""
        return f"was killed by {name} ({-exitcode}){hint}"
    return f"exited with code {exitcode}"


def call_in_child(
    fn: Callable[..., Any], kwargs: dict[str, Any], seconds: float, traceback_text: Callable[[BaseException], str]
) -> Any:
    """``fn(**kwargs)`` in a forked child; raises :class:`AttemptTimedOut` once ``seconds`` have passed
    (the child is dead by then), :class:`ProcessDied` if it died, or the exception the body raised,
    carrying ``traceback_text(exc)`` (made in the child) as ``exc._flowgen_traceback``."""
    import pickle  # imported when first needed: not on flowgen run's start-up path
    state = getattr(fn, "state", None)
    _find_prctl()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child (coverage does not follow os._exit)
        os.close(read_end)
        _child(fn, kwargs, write_end, state, traceback_text)
    os.close(write_end)
    with contextlib.suppress(OSError):
        os.setpgid(pid, pid)  # also done in the child: whichever runs first
    with _live_lock:
        _live.add(pid)
    reaped = False
    try:
        data = _read_until(read_end, time.monotonic() + seconds)
        if data is None:
            _kill(pid)
            reaped = True
            _count_lost_attempt(state)
            raise AttemptTimedOut
        _, status = os.waitpid(pid, 0)
        reaped = True
    finally:
        os.close(read_end)
        if not reaped:
            _kill(pid)
        with _live_lock:
            _live.discard(pid)
    if not data:
        _count_lost_attempt(state)
        raise ProcessDied(f"the process running it {describe_exit(status)}")
    outcome = pickle.loads(data)
    if isinstance(state, dict):
        state.update(outcome[2])
    if outcome[0] == "error":
        raise outcome[1]
    return outcome[1]


def _count_lost_attempt(state: Any) -> None:
    if isinstance(state, dict) and "attempt" in state:
        state["attempt"] += 1  # the child counted this attempt, and its count died with it


def _read_until(fd: int, deadline: float) -> bytes | None:
    """Everything the child writes until it closes the pipe, or None at the deadline."""
    chunks: list[bytes] = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        readable, _, _ = select.select([fd], [], [], remaining)
        if not readable:
            continue
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _kill(pid: int) -> None:
    """Kill the child's process group (what it started too), then reap the child."""
    for kill in (os.killpg, os.kill):
        with contextlib.suppress(OSError):
            kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def _child(  # pragma: no cover
    fn: Callable[..., Any], kwargs: dict[str, Any], fd: int, state: Any, traceback_text: Callable[[BaseException], str]
) -> None:
    code = 0
    import pickle
    try:
        with contextlib.suppress(OSError):
            os.setpgid(0, 0)
        _die_with_parent()
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the driver handles Ctrl-C, and then kills us
        try:
            outcome: tuple[Any, ...] = ("ok", fn(**kwargs))
        except BaseException as exc:  # everything goes back to the parent
            outcome = ("error", _portable(exc, traceback_text))
        outcome += (dict(state) if isinstance(state, dict) else {},)
        try:
            data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:
            what = "its result" if outcome[0] == "ok" else f"its {type(outcome[1]).__name__}"
            data = pickle.dumps(
                (
                    "error",
                    TypeError(
                        f"{what} cannot be sent back from the process that ran "
                        f"it (a task with a timeout runs in one): {exc}"
                    ),
                    outcome[2],
                )
            )
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:
        code = 70
    finally:
        os._exit(code)


def _portable(exc: BaseException, traceback_text: Callable[[BaseException], str]) -> BaseException:
    """The exception with its traceback as text, ready to pickle."""
    import pickle
    try:
        exc._flowgen_traceback = traceback_text(exc)  # type: ignore[attr-defined]
        pickle.dumps(exc)
        return exc
    except Exception:  # an exception that does not pickle: keep its type name and text
        plain = RuntimeError(f"{type(exc).__name__}: {exc}")
        plain._flowgen_traceback = getattr(exc, "_flowgen_traceback", "")  # type: ignore[attr-defined]
        return plain


_prctl: list[Any] = []


def _find_prctl() -> None:
    """Look up ``prctl`` once, in the parent (importing ctypes in every child would cost ~10 ms)."""
    if _prctl or not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        _prctl.append(ctypes.CDLL(None, use_errno=True).prctl)
    except Exception:  # no libc prctl: children are still killed at exit
        _prctl.append(None)


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    if _prctl and _prctl[0] is not None:
        with contextlib.suppress(Exception):
            _prctl[0](1, signal.SIGKILL)  # PR_SET_PDEATHSIG


@atexit.register
def _kill_live_children() -> None:
    with _live_lock:
        pids = list(_live)
    for pid in pids:
        _kill(pid)
