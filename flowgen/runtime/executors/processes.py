"""The process executor: calls run in a pool of worker processes, for CPU-bound Python.

Workers are started with ``forkserver`` (never ``fork``: the driver has threads)
with flowgen preloaded, so a worker costs one fork of an already initialized
server rather than a fresh interpreter. Functions travel as described in
:mod:`flowgen.runtime.executors.shipping`; inputs and outputs are pickled, so a
worker process never shares a value with the driver (value semantics for free).
Results come back to the driver, which is the only place a process pool can
send them. The default size is the number of CPUs. On cancel, queued calls are
dropped and the workers are terminated, so running calls stop too; workers
ignore SIGINT, so a Ctrl-C on the terminal is handled once, by the driver.

**A worker that dies** (``os._exit``, a signal, the out-of-memory killer) breaks a
``ProcessPoolExecutor``: every call in it fails with ``BrokenProcessPool``, which
names nothing. So each call first writes its serial number to a small file named
by its worker's pid (about 20 us); when the pool breaks, the dead worker's file
names the call it was running, and every call of that pool fails with that call's
TaskError: its node, its task and how the process ended (``exited with code 3``,
``was killed by SIGKILL (9)``). The next call starts a fresh pool. Work finished
before stays finished (and cached).

**Starts are heard live.** When an event stream listens, each step a worker starts
is announced on a Unix datagram socket in the same folder
(:func:`flowgen.runtime.events.announce_to`); a reader thread here hands it to the
run's listener (:func:`flowgen.runtime.events.deliver`), so the progress bar counts
what is running now, not only what has finished. A datagram takes no lock, so a
worker dying mid-send cannot block the others.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import os
import select
import shutil
import signal
import socket
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, ClassVar

from flowgen.errors import FlowgenError
from flowgen.runtime.events import announce_to, deliver, parse_announcement
from flowgen.runtime.executors.local import LocalExecutor
from flowgen.runtime.executors.units import process_died_error, task_of
from flowgen.runtime.stoppable import describe_exit

__all__ = ["ProcessExecutor"]

_PRELOAD = ["flowgen.runtime.executors.units"]
_STARTS = "starts"  # the datagram socket workers announce step starts on, in the records folder


class ProcessExecutor(LocalExecutor):
    name: ClassVar[str] = "processes"

    def __init__(self, max_parallelism: int | None = None) -> None:
        super().__init__(max_parallelism)
        self.size = max_parallelism or os.cpu_count() or 1
        self._pool: ProcessPoolExecutor | None = None
        self._records: str | None = None  # the folder of "what each worker runs" files
        self._serial = itertools.count()
        self._calls: dict[int, Any] = {}  # running or queued call -> its task step (task_of), if any
        self._broken: dict[int, FlowgenError] = {}  # id(pool) -> the error of the call that broke it
        self._starts: socket.socket | None = None  # where workers announce the steps they start
        self._hearing: threading.Thread | None = None

    def start(self) -> None:
        with self._lock:
            if self._pool is None or getattr(self._pool, "_broken", False):
                if self._pool is not None:
                    self._pool.shutdown(wait=False)
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload(_PRELOAD)
                self._pool = ProcessPoolExecutor(max_workers=self.size, mp_context=context,
                                                 initializer=_ignore_sigint)
            if self._records is None:
                self._records = tempfile.mkdtemp(prefix="flowgen-workers-")
                self._starts = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
                self._starts.bind(os.path.join(self._records, _STARTS))
                self._hearing = threading.Thread(target=_hear_starts, args=(self._starts,), daemon=True,
                                                 name="flowgen-process-starts")
                self._hearing.start()
            self._closed = False

    def settle_starts(self) -> None:
        """Hand over the starts workers have sent and the reader has not (the run is stopping)."""
        with self._lock:
            starts = self._starts
        if starts is not None:
            with _READING:
                _hear_all(starts, block=False)

    def warm_up(self) -> None:
        """Start every worker process now rather than on first use (benchmarks, interactive use)."""
        self.start()
        assert self._pool is not None
        for f in [self._pool.submit(os.getpid) for _ in range(self.size)]:
            f.result()

    def _launch(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> Future[Any]:
        pool = self._pool
        if pool is None or getattr(pool, "_broken", False):
            self.start()
            pool = self._pool
        assert pool is not None and self._records is not None
        call = next(self._serial)
        self._calls[call] = task_of(fn, args)
        processes = getattr(pool, "_processes", None) or {}
        outer: Future[Any] = Future()
        inner = pool.submit(_tracked, self._records, call, fn, *args)
        inner.add_done_callback(lambda done: self._settle(call, done, outer, pool, processes))
        return outer

    def _settle(self, call: int, inner: Future[Any], outer: Future[Any], pool: ProcessPoolExecutor,
                processes: dict[int, Any]) -> None:
        step = self._calls.pop(call, None)
        if inner.cancelled():
            outer.cancel()
            return
        error = inner.exception()
        if isinstance(error, BrokenProcessPool) and pool is self._pool:
            error = self._why_broken(pool, processes, call, step)
        if error is not None:
            outer.set_exception(error)
        else:
            outer.set_result(inner.result())

    def _why_broken(self, pool: ProcessPoolExecutor, processes: dict[int, Any], call: int, step: Any
                    ) -> FlowgenError:
        """The error of the call whose worker died (the pool calls this while the others still run)."""
        with self._lock:
            known = self._broken.get(id(pool))
            if known is not None:
                return known
            error: FlowgenError | None = None
            for pid, process in list(processes.items()):
                if process.exitcode is None:
                    continue
                ended = describe_exit(exitcode=process.exitcode)
                culprit = _recorded(self._records, pid)
                if culprit == call:
                    error = process_died_error(step, f"the worker process running it {ended}")
                elif culprit is not None and culprit in self._calls:
                    error = process_died_error(self._calls[culprit], f"the worker process running it {ended}")
                else:
                    error = FlowgenError(f"a worker process of the processes executor {ended} between tasks")
                break
            if error is None:
                error = FlowgenError("a worker process of the processes executor ended abruptly")
            self._broken[id(pool)] = error
            return error

    def shutdown(self, cancel: bool = False) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
            records, self._records = self._records, None
            self._closed = True
            self._broken.clear()
            starts, self._starts = self._starts, None
            hearing, self._hearing = self._hearing, None
        if starts is not None and records is not None:
            _stop_hearing(starts, os.path.join(records, _STARTS), hearing)
        if records is not None:
            shutil.rmtree(records, ignore_errors=True)
        if pool is None:
            return
        if cancel:
            # Stop running calls too: Python 3.11's pool has no terminate(); end the workers ourselves.
            processes = list((getattr(pool, "_processes", None) or {}).values())
            manager = getattr(pool, "_executor_manager_thread", None)  # shutdown() forgets it
            pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                if process.is_alive():
                    process.terminate()
            for process in processes:
                process.join(timeout=5)
            # The pool's manager thread closes its wake-up pipe once it sees the workers gone. Wait
            # for it here: at exit, Python 3.11 wakes every pool's manager through that pipe with an
            # unlocked check-then-write (concurrent.futures.process._python_exit), and a close racing
            # that write printed "Exception ignored ... Bad file descriptor" after the summary of a
            # Ctrl-C'd run (seen once under load).
            if manager is not None:
                manager.join(timeout=5)
        else:
            pool.shutdown(wait=True)


def _tracked(records: str, call: int, fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)`` in a worker, after noting which call this worker runs (read if it dies)."""
    announce_to(os.path.join(records, _STARTS))
    with open(os.path.join(records, str(os.getpid())), "w") as f:
        f.write(str(call))
    return fn(*args)


_READING = threading.Lock()  # held while a datagram is taken and delivered (settle_starts waits for it)


def _hear_starts(sock: socket.socket) -> None:
    """The driver's reader of the workers' step starts, until an empty datagram (or a closed socket)."""
    while True:
        try:
            select.select([sock], [], [])
        except (OSError, ValueError):
            return
        with _READING:
            if not _hear_all(sock, block=False):
                return


def _hear_all(sock: socket.socket, block: bool) -> bool:
    """Deliver the datagrams waiting on ``sock``; False at the end (an empty datagram, a closed socket)."""
    while True:
        try:
            data = sock.recv(65536, 0 if block else socket.MSG_DONTWAIT)
        except BlockingIOError:
            return True
        except OSError:
            return False
        if not data:
            return False
        found = parse_announcement(data)
        if found is not None:
            deliver(*found)


def _stop_hearing(sock: socket.socket, address: str, hearing: threading.Thread | None) -> None:
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as stop:
        stop.settimeout(1.0)
        with contextlib.suppress(OSError):
            stop.sendto(b"", address)
    if hearing is not None:
        hearing.join(timeout=5)
    sock.close()


def _recorded(records: str | None, pid: int) -> int | None:
    try:
        with open(os.path.join(records or "", str(pid))) as f:
            return int(f.read())
    except (OSError, ValueError):
        return None


def _ignore_sigint() -> None:
    """Ctrl-C on a terminal reaches the whole process group: only the driver handles it (and stops us)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
