"""Progress of a run: a live bar on a terminal, and a summary at the end. An :class:`Observer`.

:class:`RunProgress` counts what the event stream reports (:mod:`flowgen.runtime.events`,
the same on every executor): nodes started, finished, cached, failed; nodes added when
a ``@dynamic`` expands; ``map_task`` items as they run. It keeps each task node's
duration for the "slowest tasks" line.

Decisions
---------
* The bar is drawn only when asked for (the CLI asks when stderr is a terminal
  and ``--no-progress`` is absent) and only once the run has lasted ``delay``
  seconds (1 s by default): short runs print nothing extra. A timer starts it,
  so a run stuck in one long task still shows its bar.
* The total starts as the number of nodes known before the run (the root graph
  and its sub-workflows) and grows as ``@dynamic`` nodes expand and
  ``conditional`` branches start: it is never below what has started.
* Events arrive on one thread (the interpreter's, or the driver's loop); the
  bar's refresh thread only reads counters, so no lock is needed.
* ``map_task`` items are counted beside nodes: the bar's total and done include
  them (a 16-item map shows 16 steps, not one), and the summary names them.
* The summary goes to stderr, so stdout carries only the result.
* A run nothing observed (in-process off a terminal, Dask's few-callbacks mode)
  still has a summary after Ctrl-C, in the same words: the run counts itself as the
  ``KeyboardInterrupt`` unwinds it (:mod:`flowgen.runtime.interrupts`), and
  :meth:`RunProgress.from_tally` turns that tally into the counters the summary
  reads (without the "slowest" line: no task was timed).
"""

from __future__ import annotations

import threading
import time
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from flowgen.ir.model import MapNode, Program, TaskNode, WorkflowNode, WorkflowSpec
from flowgen.runtime.events import Observer
from flowgen.runtime.interrupts import InterruptTally

__all__ = ["ObserverGroup", "RunProgress", "count_nodes"]


def count_nodes(program: Program, graph: WorkflowSpec | None = None) -> int:
    """Nodes a run reports before any dynamic expands: the graph's, and its sub-workflows' nodes."""
    graph = graph or program.root
    total = 0
    for node in graph.nodes:
        total += 1
        if isinstance(node, WorkflowNode) and node.workflow in program.workflows:
            total += count_nodes(program, program.workflows[node.workflow])
    return total


class ObserverGroup:
    """Several observers heard as one (a progress bar and a run report, say)."""

    def __init__(self, *observers: Observer | None) -> None:
        self.observers = [o for o in observers if o is not None]

    def node_started(self, path: str, node: Any, *, at: float | None = None) -> None:
        for o in self.observers:
            o.node_started(path, node, at=at)

    def node_finished(self, path: str, node: Any, status: str, duration: float, *,
                      error: BaseException | None = None, cached: bool = False, attempts: int = 1,
                      at: float | None = None) -> None:
        for o in self.observers:
            o.node_finished(path, node, status, duration, error=error, cached=cached, attempts=attempts, at=at)

    def _optional(self, hook: str, *args: Any, **kwargs: Any) -> None:
        for o in self.observers:
            found = getattr(o, hook, None)
            if found is not None:
                found(*args, **kwargs)

    def items_added(self, path: str, count: int) -> None:
        self._optional("items_added", path, count)

    def item_started(self, path: str, index: int, *, at: float | None = None) -> None:
        self._optional("item_started", path, index, at=at)

    def item_finished(self, path: str, index: int, status: str, duration: float, *, at: float | None = None,
                      error: BaseException | None = None) -> None:
        self._optional("item_finished", path, index, status, duration, at=at, error=error)

    def run_inputs(self, inputs: dict[str, Any]) -> None:
        self._optional("run_inputs", inputs)

    def nodes_added(self, parent: str, count: int) -> None:
        for o in self.observers:
            o.nodes_added(parent, count)

    def node_outputs(self, path: str, node: Any, outputs: Any) -> None:
        for o in self.observers:
            hook = getattr(o, "node_outputs", None)
            if hook is not None:
                hook(path, node, outputs)


class RunProgress:
    """Counts a run's nodes; optionally shows a live bar; renders the end-of-run summary."""

    def __init__(self, total: int = 0, *, show_bar: bool = False, delay: float = 1.0,
                 console: Console | None = None, label: str = "flowgen") -> None:
        self.total = total
        self.started = 0
        self.running = 0
        self.done = 0
        self.cached = 0
        self.failed = 0
        self.items_done = 0  # map_task items finished (also in done)
        self.items_running = 0
        self.durations: list[tuple[float, str, str]] = []  # (seconds, node path, task name)
        self.show_bar = show_bar
        self.delay = delay
        self.label = label
        self.console = console or Console(stderr=True)
        self._t0 = time.perf_counter()
        self._t1: float | None = None
        self._progress: Progress | None = None
        self._bar: TaskID | None = None
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_tally(cls, tally: InterruptTally, *, label: str = "flowgen", wall_time: float = 0.0) -> RunProgress:
        """The counters of a run stopped by Ctrl-C that counted itself, for :meth:`summary`."""
        progress = cls(label=label)
        progress.done, progress.cached, progress.failed = tally.done, tally.cached, tally.failed
        progress.items_done, progress.running = tally.items_done, tally.running
        progress.started = tally.done + tally.running
        progress._t1 = progress._t0 + wall_time
        return progress

    # -- lifecycle ----------------------------------------------------------------------------
    def __enter__(self) -> RunProgress:
        self._t0 = time.perf_counter()
        if self.show_bar:
            self._timer = threading.Timer(self.delay, self._show)
            self._timer.daemon = True
            self._timer.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def stop(self) -> None:
        if self._t1 is None:
            self._t1 = time.perf_counter()
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            progress, self._progress = self._progress, None
        if progress is not None:
            self._refresh_bar(progress)
            progress.refresh()  # paint the final counts once before the (transient) bar goes
            progress.stop()

    @property
    def shown(self) -> bool:
        """Whether the bar was (or is) on screen."""
        return self._bar is not None

    @property
    def wall_time(self) -> float:
        return (self._t1 if self._t1 is not None else time.perf_counter()) - self._t0

    def _show(self) -> None:
        with self._lock:
            if self._timer is None:  # stopped meanwhile
                return
            self._timer = None
            progress = Progress(
                TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                TextColumn("running {task.fields[running]}  cached {task.fields[cached]}  "
                           "failed {task.fields[failed]}"),
                TimeElapsedColumn(), console=self.console, transient=True, refresh_per_second=8,
            )
            self._bar = progress.add_task(self.label, total=max(self.total, 1), completed=self.done,
                                          running=self.running, cached=self.cached, failed=self.failed)
            progress.start()
            self._progress = progress

    def _refresh(self) -> None:
        progress = self._progress
        if progress is not None:
            self._refresh_bar(progress)

    def _refresh_bar(self, progress: Progress) -> None:
        if self._bar is not None:
            progress.update(self._bar, total=self.total, completed=self.done, running=self.running,
                            cached=self.cached, failed=self.failed)

    # -- the observer protocol ----------------------------------------------------------------
    def node_started(self, path: str, node: Any, *, at: float | None = None) -> None:
        self.started += 1
        self.running += 1
        if self.started > self.total:
            self.total = self.started
        self._refresh()

    def node_finished(self, path: str, node: Any, status: str, duration: float, *,
                      error: BaseException | None = None, cached: bool = False, attempts: int = 1,
                      at: float | None = None) -> None:
        self.running -= 1
        self.done += 1
        if status == "failed":
            self.failed += 1
        elif cached or status == "cached":
            self.cached += 1
        if isinstance(node, (TaskNode, MapNode)):  # not dynamics: their time is their sub-DAG's
            self.durations.append((duration, path, node.task.rsplit(".", 1)[-1]))
        self._refresh()

    def nodes_added(self, parent: str, count: int) -> None:
        self.total += count
        self._refresh()

    def items_added(self, path: str, count: int) -> None:
        self.total += count
        self._refresh()

    def item_started(self, path: str, index: int, *, at: float | None = None) -> None:
        self.running += 1
        self.items_running += 1
        self._refresh()

    def item_finished(self, path: str, index: int, status: str, duration: float, *, at: float | None = None,
                      error: BaseException | None = None) -> None:
        self.running -= 1
        self.items_running -= 1
        self.done += 1
        self.items_done += 1
        if status == "failed":
            self.failed += 1
        elif status == "cached":
            self.cached += 1
        self._refresh()

    # -- the summary --------------------------------------------------------------------------
    def summary(self, *, executor: str | None = None, interrupted: bool = False, slowest: int = 5) -> str:
        """What ran: nodes run, cached, failed, wall time, and the slowest tasks."""
        head = "interrupted" if interrupted else ("failed" if self.failed else "done")
        where = f" on {executor}" if executor else ""
        items = f" (incl. {self.items_done} map item(s))" if self.items_done else ""
        lines = [
            f"{self.label} {head}{where}: {self.done - self.cached} node(s) run{items}, {self.cached} cached, "
            f"{self.failed} failed" + (f", {self.running} cancelled" if interrupted and self.running else "")
            + f" in {self.wall_time:.2f} s"
        ]
        top = sorted(self.durations, reverse=True)[:slowest]
        if top:
            lines.append("slowest: " + ", ".join(f"{path} {task} {seconds:.2f} s" for seconds, path, task in top))
        return "\n".join(lines)
