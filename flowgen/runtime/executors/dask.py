"""The Dask executor: calls run on a ``dask.distributed`` cluster.

Handles are :class:`distributed.Future` objects and ``submit`` is
``client.submit(fn, *args, key=..., pure=False)`` with the handles of earlier
calls among ``args``: the scheduler starts a call when its inputs exist and
moves them from worker to worker; the client (the flowgen driver) sees a value
only where it must decide something (see :mod:`flowgen.runtime.scheduler`).

Decisions
---------
* **Cluster.** Without an address, ``start`` creates a :class:`LocalCluster` of
  worker *processes* for this executor and ``shutdown`` closes it. Its size
  comes from ``max_parallelism`` (default: one thread per CPU): ``min(N, CPUs)``
  processes with enough threads each to make ``N`` slots. With ``address`` the
  executor connects to a running scheduler and leaves it running; the cluster's
  worker threads bound concurrency there, and ``max_parallelism``, when given,
  is enforced with a :class:`distributed.Semaphore` that each task call holds
  while it runs.
* **Lost workers.** A worker that dies takes its running calls and the data it
  held with it; the scheduler reruns them elsewhere from the graph it keeps, as
  long as the driver holds the futures, which it does for the whole run. So a
  run survives killed workers. The run's inputs are a call too (``put``), not
  scattered data, so that they can be recomputed as well.
* **The node that killed its worker is named**, even inside a fused call or chunk, and even
  when Dask first fails a call that was only queued on that worker: each local worker
  overwrites one small file with the path of each task node or item as it starts
  (:func:`~flowgen.runtime.executors.units.note_steps`, one ``pwrite``), which the driver
  reads once the worker has died; on a remote cluster a fused call's last node stands for it.
* **A call that kills its worker** (``os._exit``, a signal, out of memory) would
  kill every worker it is retried on. Our local clusters allow one such death per
  call (``allowed-failures=1``: a worker killed from outside does not fail the
  run; the second death of the same call does), then Dask's ``KilledWorker``
  becomes the call's TaskError: its node, its task and how the process ended. The
  exit code comes from the cluster's nannies, which run in the driver's process
  (:class:`_Nanny` notes it); on a remote cluster the error says it is unknown.
* **Retries.** A task's ``retries`` run inside the worker call, through the same
  ``call_with_policy`` as on every other executor, not through Dask's
  ``retries=``: Dask would also retry flowgen's own validation errors (which
  must fail at once) and would lose the attempt count that errors report, so
  the same workflow would behave differently on Dask. What Dask adds on top is
  the rescheduling of calls lost with a worker, above.
* **Batches.** Besides fusing narrow chains, the driver cuts the independent task nodes
  that become ready together (a fan-out, a fan-in's leaves) into chunks of about
  ``2 * slots`` calls (:func:`flowgen.runtime.executors.fusion.chunk_groups`), where
  ``slots`` is the cluster's worker threads (or ``max_parallelism`` when smaller): each
  chunk is one Dask task running its nodes one after the other, so a wave of 10,000 tiny
  tasks costs the scheduler a few dozen tasks, not 10,000. ``batch=False`` turns it off.
* **Functions** travel as in :mod:`flowgen.runtime.executors.shipping`; local
  workers inherit the driver's ``sys.path``, so workflow modules loaded from a
  file (``flowgen run path/to/wf.py:wf``) import on the workers too.
* **Counting after Ctrl-C** without an observer (``flowgen run`` off a terminal hears only
  the completions it must): :meth:`DaskExecutor.stopped_steps` asks the scheduler once which
  of the run's calls finished (in memory, or already forgotten because every reader has
  finished with it: held futures keep the rest alive) and every worker which calls it is
  running, how far each fused call or chunk got, and which paths its cache served
  (:mod:`flowgen.runtime.executors.in_flight`), before the driver cancels anything.
* **Ctrl-C** on a terminal reaches every process of the group: local workers
  ignore SIGINT (this module is their preload, :func:`dask_setup`), and a Ctrl-C
  while the cluster starts is held until it has started, so that the driver can
  then shut it down cleanly.
"""

from __future__ import annotations

import logging
import math
import os
import shutil
import signal
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import CancelledError
from contextlib import contextmanager
from typing import Any, ClassVar

import dask
from distributed import Client, Future, LocalCluster, Nanny, Semaphore
from distributed.scheduler import KilledWorker

from flowgen.runtime.events import observed
from flowgen.runtime.executors.base import Executor, Handle, _identity
from flowgen.runtime.executors.in_flight import stopped_steps as worker_stopped_steps
from flowgen.runtime.executors.units import map_items, member_step, note_steps, process_died_error, run_fused, task_of
from flowgen.runtime.stoppable import describe_exit

__all__ = ["DaskExecutor", "dask_setup"]


class DaskExecutor(Executor):
    name: ClassVar[str] = "dask"
    callbacks_are_cheap: ClassVar[bool] = False  # each is a coroutine on the scheduler's event loop

    def __init__(self, max_parallelism: int | None = None, *, address: str | None = None,
                 client: Client | None = None, n_workers: int | None = None, fuse: bool = True,
                 batch: bool = True) -> None:
        super().__init__(max_parallelism)
        self.fuses = fuse
        self.batches = batch
        self._slots = 0
        self.address = address
        self._n_workers = n_workers
        self._client: Client | None = client
        self._owns_client = client is None
        self._cluster: LocalCluster | None = None
        self._semaphore: Semaphore | None = None
        self._steps: dict[str, Any] = {}  # key -> the task step it runs (task_of), to name a KilledWorker
        self._grouped: dict[str, tuple[Any, Any]] = {}  # key of a fused call or chunk -> (its step, its unit)
        self._notes: str | None = None  # local clusters: where each worker notes the node it runs

    @property
    def client(self) -> Client:
        self.start()
        assert self._client is not None
        return self._client

    def start(self) -> None:
        if self._client is not None:
            return
        if self.address is not None:
            self._client = Client(self.address)
            if self.max_parallelism is not None:
                self._semaphore = Semaphore(max_leases=self.max_parallelism,
                                            name=f"flowgen-{uuid.uuid4().hex[:12]}")
            return
        cpus = os.cpu_count() or 1
        slots = self.max_parallelism or cpus
        workers = self._n_workers or min(slots, cpus)
        self._notes = tempfile.mkdtemp(prefix="flowgen-dask-steps-")
        with _sigint_deferred(), dask.config.set({"distributed.scheduler.allowed-failures": 1,
                                                  _NOTES_CONFIG: self._notes}):
            self._cluster = LocalCluster(
                n_workers=workers, threads_per_worker=max(1, math.ceil(slots / workers)), processes=True,
                dashboard_address=":0", silence_logs=logging.ERROR, preload=[__name__], worker_class=_Nanny,
            )
            self._client = Client(self._cluster)

    def batch_slots(self) -> int:
        if not self.batches:
            return 0
        if not self._slots:
            threads = sum(self.client.nthreads().values()) or 1
            self._slots = min(threads, self.max_parallelism or threads)
        return self._slots

    def shutdown(self, cancel: bool = False) -> None:
        self._slots = 0
        client, self._client = self._client, None
        self._semaphore = None
        cluster, self._cluster = self._cluster, None
        if client is not None and self._owns_client:
            client.close()
        if cluster is not None:
            cluster.close()
        notes, self._notes = self._notes, None
        if notes is not None:
            shutil.rmtree(notes, ignore_errors=True)

    def _running(self, address: str) -> str:
        """The node or item a local worker noted it was running inside a fused call or chunk ("")."""
        if self._notes is None:
            return ""
        try:
            with open(os.path.join(self._notes, _note_name(address)), "rb") as f:
                return f.read().decode(errors="replace").strip()
        except OSError:
            return ""

    def worker_pids(self) -> dict[str, int]:
        """Worker address -> process id (tests kill one; tools show them)."""
        return dict(self.client.run(os.getpid))

    # -- calls --------------------------------------------------------------------------------
    def submit(self, key: str, fn: Callable[..., Any], *args: Any) -> Handle:
        step = task_of(fn, args)
        if step is not None:
            steps = self._steps
            if len(steps) >= _STEPS_KEPT:  # forget the older half (their runs are long over)
                for old in list(steps)[: _STEPS_KEPT // 2]:
                    del steps[old]
            steps[key] = step
            if fn in (run_fused, map_items) or (fn is observed and args[2] in (run_fused, map_items)):
                grouped = self._grouped
                if len(grouped) >= _STEPS_KEPT:
                    for old in list(grouped)[: _STEPS_KEPT // 2]:
                        del grouped[old]
                inner = args[2:] if fn is observed else (fn, *args)
                grouped[key] = (inner[0], inner[1])  # the call's unit (never its inputs)
        if self._semaphore is not None:
            return self.client.submit(_bounded, self._semaphore, fn, *args, key=key, pure=False)
        return self.client.submit(fn, *args, key=key, pure=False)

    def put(self, value: Any) -> Handle:
        # A call, not scattered data: Dask recomputes it if the workers holding it die.
        return self.client.submit(_identity, value, key=f"flowgen_inputs-{uuid.uuid4().hex[:16]}", pure=False)

    def is_handle(self, obj: Any) -> bool:
        return isinstance(obj, Future)

    def add_done_callback(self, handle: Handle, callback: Callable[[Handle], None]) -> None:
        handle.add_done_callback(callback)

    def error(self, handle: Handle) -> BaseException | None:
        status = handle.status
        if status == "finished":
            return None
        if status == "cancelled":
            return CancelledError(f"dask cancelled {handle.key}")
        error = handle.exception()
        if isinstance(error, KilledWorker):
            return self._killed(error)
        return error  # type: ignore[no-any-return]

    def _killed(self, error: KilledWorker) -> BaseException:
        """Dask's KilledWorker as the TaskError of the call that killed its workers."""
        address = error.last_worker.address
        exitcode = _exits.get(address)
        deadline = time.monotonic() + _EXIT_WAIT
        while exitcode is None and self._cluster is not None and time.monotonic() < deadline:
            time.sleep(0.05)  # the scheduler may hear of the death before the nanny has reaped the process
            exitcode = _exits.get(address)
        ended = describe_exit(exitcode=exitcode) if exitcode is not None else "died (its exit code is not known here)"
        deaths = error.allowed_failures + 1
        how = f"the Dask worker process running it {ended}" + (f" ({deaths} workers died running it)"
                                                               if deaths > 1 else "")
        key = str(error.task)
        running = self._running(address)
        step = (self._step_running(key, running) if running else None) or self._steps.get(key)
        failure = process_died_error(step, how)
        failure.__cause__ = error
        return failure

    def _step_running(self, key: str, path: str) -> tuple[Any, ...] | None:
        """The step of node or item ``path``, which the dead worker noted it was running: in call
        ``key`` (one of its fused or chunked nodes), or in another call that was running there
        (Dask also fails the calls only queued on a worker that died twice: name the one that
        killed it)."""
        own = self._steps.get(key)
        if own is not None and len(own) == 2 and own[1] == path:
            return tuple(own)
        keys = [key, *reversed(self._grouped)]
        for k in keys:
            grouped = self._grouped.get(k)
            found = member_step(grouped[0], (grouped[1],), path) if grouped is not None else None
            if found is not None:
                return found
        for step in reversed(self._steps.values()):
            if len(step) == 2 and step[1] == path:
                return tuple(step)
        return None

    def gather(self, handles: Sequence[Handle]) -> list[Any]:
        return list(self.client.gather(list(handles)))

    def stopped_steps(self, run: str, execution: Any, marks: dict[str, tuple[str, bool]]
                      ) -> tuple[set[str], set[str], set[str], set[str]]:
        """What run ``run`` (the driver's key tag) had finished when Ctrl-C stopped it: the paths of the
        nodes and items finished, of those running, of the items that failed (allowed to), and of those
        the cache served. Task calls are the ones this executor keeps (``_steps``); ``marks`` are the
        steps that begin (False) or end (True) structural nodes, by key. One call to the scheduler,
        one to each worker (:mod:`flowgen.runtime.executors.in_flight`)."""
        tag = f"-{run}-"
        tasks = [key for key in self._steps if tag in key]
        keys = tasks + list(marks)
        client = self.client
        held = getattr(client, "futures", {})  # key -> the state of a future this client still holds
        settled = []  # let go of (the run does once it has the value) or known finished, by the client
        for key in keys:
            state = held.get(key)
            if state is None or getattr(state, "status", None) == "finished":
                settled.append(key)
        finished = set(_answer_within(_STOP_QUERY_WAIT, client.run_on_scheduler, _finished_keys, keys, settled))
        done: set[str] = set()
        for key in tasks:
            if key in finished:
                step = self._steps[key]  # (unit, path) or (unit, last path, other paths, batched)
                done.add(step[1])
                if len(step) > 2:
                    done.update(step[2])
        begun = {path for key, (path, ends) in marks.items() if not ends and key in finished}
        ended = {path for key, (path, ends) in marks.items() if ends and key in finished}
        done |= ended
        running = begun - ended
        failed: set[str] = set()
        hits: set[str] = set()
        if execution is not None:
            reports = _answer_within(_STOP_QUERY_WAIT, client.run, worker_stopped_steps, execution.name,
                                     on_error="ignore")  # a dead worker is left out
            for members, flying, cached in reports.values():
                done.update(path for path, _ in members)
                failed.update(path for path, item_failed in members if item_failed)
                running.update(flying)
                hits.update(cached)
        return done, running, failed, hits

    def cancel(self, handles: Sequence[Handle]) -> None:
        if self._client is not None and handles:
            self._client.cancel(list(handles))


_STEPS_KEPT = 200_000
_STOP_QUERY_WAIT = 5.0  # seconds the scheduler, then the workers, have to say what a stopped run finished


def _answer_within(seconds: float, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``call(*args, **kwargs)``, given up (``TimeoutError``) after ``seconds``: after Ctrl-C a stuck
    scheduler or worker must not hold the summary up (the run then says its nodes were not counted)."""
    answer: list[Any] = []
    failure: list[BaseException] = []

    def ask() -> None:
        try:
            answer.append(call(*args, **kwargs))
        except BaseException as exc:  # handed to the caller
            failure.append(exc)

    asking = threading.Thread(target=ask, name="flowgen-dask-stop-query", daemon=True)
    asking.start()
    asking.join(seconds)
    if failure:
        raise failure[0]
    if not answer:
        raise TimeoutError(f"no answer from the Dask cluster within {seconds:g} s")
    return answer[0]
_EXIT_WAIT = 5.0  # seconds to wait for a local nanny to report how its worker process ended
_exits: dict[str, int] = {}  # worker address -> how its process last ended (local clusters, see _Nanny)


class _Nanny(Nanny):
    """The nanny of a local cluster's worker (it runs in the driver's process): notes how the worker
    process ended, which Dask itself only logs."""

    async def instantiate(self) -> Any:
        status = await super().instantiate()
        if self.worker_address is not None:  # a new worker on an address an old one used: forget how that one ended
            _exits.pop(self.worker_address, None)
        return status

    def _on_worker_exit_sync(self, exitcode: int) -> None:
        if self.worker_address is not None:
            _exits[self.worker_address] = exitcode
        super()._on_worker_exit_sync(exitcode)


def _finished_keys(keys: list[str], settled: list[str], dask_scheduler: Any = None) -> list[str]:
    """On the scheduler: the keys whose calls finished: in memory, or released since (a size is
    known only once a call finished), or unknown here and ``settled`` by the client (let go of,
    which the run does once it has the value, or known finished). A key the scheduler does not
    know while the client holds its future as pending was only just submitted (under load its
    message can still be on its way): not finished."""
    tasks = dask_scheduler.tasks
    let_go = set(settled)
    found = []
    for key in keys:
        task = tasks.get(key)
        if task is None:
            if key in let_go:
                found.append(key)
        elif task.state == "memory" or (task.state in ("released", "forgotten") and task.nbytes >= 0):
            found.append(key)
    return found


def _bounded(semaphore: Semaphore, fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)`` holding a lease of the executor's semaphore (``max_parallelism`` on a shared cluster)."""
    with semaphore:
        return fn(*args)


def dask_setup(worker: Any) -> None:
    """Worker preload of local clusters: only the driver handles Ctrl-C (and then closes the cluster),
    and a failed task is reported once, by the driver, with the user's frames only (not also logged
    by the worker with flowgen's frames)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.getLogger("distributed.worker").addFilter(_NoComputeFailed())
    notes = dask.config.get(_NOTES_CONFIG, None)
    if notes and getattr(worker, "address", None):
        note_steps(_StepNote(os.path.join(notes, _note_name(worker.address))))


_NOTES_CONFIG = "flowgen-steps-dir"
_NOTE_WIDTH = 1024


def _note_name(address: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in address)


class _StepNote:
    """Overwrites one small file with the path of the node or item starting (one ``pwrite``)."""

    def __init__(self, path: str) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)

    def __call__(self, path: str) -> None:
        os.pwrite(self.fd, path.encode()[:_NOTE_WIDTH].ljust(_NOTE_WIDTH), 0)


class _NoComputeFailed(logging.Filter):
    """Also drops a worker's heartbeat failure: a local cluster's scheduler lives in the driver, so it
    is gone only when the driver closes it (after a Ctrl-C, say), and the user sees no Dask traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        text = str(record.msg)
        return not (text.startswith("Compute Failed") or text.startswith("Failed to communicate with scheduler"))


@contextmanager
def _sigint_deferred() -> Iterator[None]:
    """Hold a Ctrl-C until the block is done, then raise it: a half-started cluster cannot be closed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    except Exception:
        if caught:  # the Ctrl-C reached a worker still starting, which then failed: report the Ctrl-C
            raise KeyboardInterrupt from None
        raise
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt
