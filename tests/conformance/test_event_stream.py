"""The event stream is the same on every executor and in generated code (issue 15, item 1).

One workflow (a retry, a cache hit, a ``map_task``, a sub-workflow whose task fails) runs on
each back end with three observers at once: a plain event log, the progress counter that
prints the summary, and the run recorder that writes the HTML report. For every back end:

* each node's sequence of events (started, then succeeded/cached/failed, with attempts) and
  each ``map_task`` item's are the same as in-process;
* the summary's counts are the same;
* the report's node states, attempts, cache hits and input values are the same;
* the stamps are causal: no node starts before the node it reads finished, and the failing
  task's error carries the user's frames only.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from flowgen.errors import TaskError, TaskTimeoutError
from flowgen.ir.model import LiteralBinding
from flowgen.report import RunRecorder, build_report_html
from flowgen.runtime import cache as cache_module
from flowgen.runtime.api import run as run_on
from flowgen.runtime.progress import ObserverGroup, RunProgress, count_nodes
from tests.conformance import event_workflows as ew
from tests.conformance.conftest import EXECUTORS, started_executor
from tests.render.report_helpers import PageElements


class EventLog:
    """Every event, per node path (map items as ``path[i]``)."""

    def __init__(self) -> None:
        self.events: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        self.stamps: dict[str, list[float]] = defaultdict(list)

    def node_started(self, path: str, node: Any, *, at: float | None = None) -> None:
        self.events[path].append(("started",))

    def node_finished(self, path: str, node: Any, status: str, duration: float, *, error: Any = None,
                      cached: bool = False, attempts: int = 1, at: float | None = None) -> None:
        self.events[path].append((status, attempts, type(error).__name__ if error else None))

    def nodes_added(self, parent: str, count: int) -> None:
        self.events[parent].append(("expanded", count))

    def items_added(self, path: str, count: int) -> None:
        self.events[path].append(("items", count))

    def item_started(self, path: str, index: int, *, at: float | None = None) -> None:
        self.events[f"{path}[{index}]"].append(("started",))

    def item_finished(self, path: str, index: int, status: str, duration: float, *, at: float | None = None,
                      error: Any = None) -> None:
        self.events[f"{path}[{index}]"].append((status,))


EXPECTED_EVENTS = {
    "n0": [("started",), ("succeeded", 1, None)],
    "n1": [("started",), ("succeeded", 2, None)],  # the retry
    "n2": [("started",), ("cached", 1, None)],  # the cache hit
    "n3": [("started",), ("succeeded", 1, None)],
    "n4": [("started",), ("items", 3), ("succeeded", 1, None)],
    "n4[0]": [("started",), ("succeeded",)],
    "n4[1]": [("started",), ("succeeded",)],
    "n4[2]": [("started",), ("succeeded",)],
    "n5": [("started",), ("succeeded", 1, None)],
    "n6": [("started",), ("failed", 1, "TaskError")],  # the sub-workflow around the failure
    "n6.n0": [("started",), ("failed", 1, "TaskError")],
}

EXPECTED_REPORT = {  # path -> (status, attempts, cached)
    "n0": ("succeeded", 1, 0), "n1": ("succeeded", 2, 0), "n2": ("cached", 1, 1), "n3": ("succeeded", 1, 0),
    "n4": ("succeeded", 1, 0), "n5": ("succeeded", 1, 0), "n6": ("failed", 1, 0), "n6.n0": ("failed", 1, 0),
}


def _run(backend: str, modules: Any, observer: Any, workflow: Any = ew.eventful, **inputs: Any) -> None:
    if backend.startswith("generated"):
        workflow = modules.function(workflow)
        executor: Any = started_executor("threads") if backend == "generated-threads" else "inprocess"
    else:
        executor = "inprocess" if backend == "inprocess" else started_executor(backend)
    run_on(workflow, executor=executor, observer=observer, **inputs)


@pytest.fixture
def fresh_cache(tmp_path: Path) -> Any:
    cache_module.set_cache_dir(str(tmp_path / "cache"))
    yield tmp_path / "cache"
    cache_module.set_cache_dir(None)


@pytest.mark.parametrize("backend", EXECUTORS)
def test_one_event_stream_on_every_executor(backend: str, fresh_cache: Path, tmp_path: Path,
                                            generated_modules: Any) -> None:
    assert run_on(ew.prefill, x=4) == 8  # fills the cache for node n2
    log, progress, recorder = EventLog(), RunProgress(count_nodes(ew.eventful.compile_program())), \
        RunRecorder(ew.eventful.compile_program())
    marker = str(tmp_path / "flaky-marker")
    with pytest.raises(TaskError) as caught:
        _run(backend, generated_modules, ObserverGroup(log, progress, recorder), n=1, marker=marker, limit=10)
    recorder.run_finished(caught.value)
    progress.stop()

    # 1. Each node's and item's events, in order.
    assert dict(log.events) == EXPECTED_EVENTS

    # 2. The summary's counts: 11 steps done (8 nodes and 3 items), one from the cache, two failed.
    head = progress.summary(executor=backend).split(" in ")[0]
    assert head == f"flowgen failed on {backend}: 10 node(s) run (incl. 3 map item(s)), 1 cached, 2 failed"

    # 3. The report: node states, attempts, cache hits, map items, the input values the run used.
    page = PageElements(build_report_html(recorder))
    rows = {r[0]: (r[3], r[6], r[7]) for r in page.data["records"]}
    assert rows == EXPECTED_REPORT
    assert recorder.records["n4"].items == {"succeeded": 3}
    html = build_report_html(recorder)
    drawn = re.search(r'data-id="n4".*?</g>', html, re.S)
    assert drawn is not None and re.search(r'class="fg-extra"[^>]*>[^<]* 3 items</text>', drawn.group())
    statuses = {n["data-id"]: n["data-status"] for n in page.with_class("fg-node")}
    assert statuses["n6.n0"] == "failed" and statuses["n2"] == "cached" and statuses["n5"] == "succeeded"
    inputs = {n["data-id"]: n.get("data-value") for n in page.with_class("fg-node") if n["data-kind"] == "input"}
    assert inputs == {"input:n": "1", "input:marker": repr(marker), "input:limit": "10"}

    # 4. Causal stamps: each node of the chain starts after the node it reads has finished.
    records = recorder.records
    chain = ["n0", "n1", "n2", "n3", "n4", "n5", "n6.n0"]
    for before, after in itertools.pairwise(chain):
        assert records[after].start >= records[before].end - 1e-3, (before, after, backend)
    assert records["n6"].start <= records["n6.n0"].start and records["n6"].end >= records["n6.n0"].end - 1e-3

    # 5. The error in the report: the user's frames only, on every executor.
    error = records["n6.n0"].error or ""
    assert "245 is over the limit 10" in error
    assert "event_workflows.py" in error
    assert not re.search(r"flowgen[/\\]runtime", error) and "_RemoteTraceback" not in error


@pytest.mark.parametrize("backend", EXECUTORS)
def test_a_timeout_is_the_same_failure_event_everywhere(backend: str, generated_modules: Any) -> None:
    log, recorder = EventLog(), RunRecorder(ew.times_out.compile_program())
    with pytest.raises(TaskTimeoutError) as caught:
        _run(backend, generated_modules, ObserverGroup(log, recorder), workflow=ew.times_out, n=1)
    recorder.run_finished(caught.value)
    assert dict(log.events) == {"n0": [("started",), ("succeeded", 1, None)],
                                "n1": [("started",), ("failed", 1, "TaskTimeoutError")]}
    assert {path: r.status for path, r in recorder.records.items()} == {"n0": "succeeded", "n1": "failed"}
    assert recorder.records["n1"].start >= recorder.records["n0"].end - 1e-3


def test_the_same_workflow_succeeds_when_nothing_fails(fresh_cache: Path, tmp_path: Path) -> None:
    """The workflow itself is sound: with a higher limit every node succeeds."""
    assert run_on(ew.eventful, n=1, marker=str(tmp_path / "m"), limit=1000) == 245


class SeeingProgress:
    """The progress counter, seen from the task's side: on each start of a ``seen_start`` step heard,
    it lets that step end (creates ``folder/<x>``: its literal ``x`` for a task node, the index
    for an item of the map n2)."""

    def __init__(self, progress: RunProgress, folder: Path) -> None:
        self.progress = progress
        self.folder = folder
        self.running_at_start: dict[str, tuple[int, int]] = {}  # step -> (running, items running)

    def _seen(self, step: str, name: str) -> None:
        self.running_at_start[step] = (self.progress.running, self.progress.items_running)
        (self.folder / name).touch()

    def node_started(self, path: str, node: Any, *, at: float | None = None) -> None:
        self.progress.node_started(path, node, at=at)
        x = getattr(node, "inputs", {}).get("x")
        if getattr(node, "task", "").endswith(".seen_start") and isinstance(x, LiteralBinding):
            self._seen(path, str(x.value))

    def node_finished(self, path: str, node: Any, status: str, duration: float, **kwargs: Any) -> None:
        self.progress.node_finished(path, node, status, duration, **kwargs)

    def nodes_added(self, parent: str, count: int) -> None:
        self.progress.nodes_added(parent, count)

    def items_added(self, path: str, count: int) -> None:
        self.progress.items_added(path, count)

    def item_started(self, path: str, index: int, *, at: float | None = None) -> None:
        self.progress.item_started(path, index, at=at)
        self._seen(f"{path}[{index}]", str(index))

    def item_finished(self, path: str, index: int, status: str, duration: float, **kwargs: Any) -> None:
        self.progress.item_finished(path, index, status, duration, **kwargs)


@pytest.mark.parametrize("backend", EXECUTORS)
def test_the_running_count_is_heard_while_the_work_runs(backend: str, tmp_path: Path, generated_modules: Any) -> None:
    """Each ``seen_start`` step -- a task node, ``map_task`` items, a ``@dynamic``'s children --
    ends only once the driver heard it start, so the bar's "running" count is true while it runs,
    on every back end (it stayed 0 on processes: starts came with the results)."""
    progress = RunProgress(count_nodes(ew.watched.compile_program()))
    seeing = SeeingProgress(progress, tmp_path)
    _run(backend, generated_modules, seeing, workflow=ew.watched, n=2, folder=str(tmp_path))
    progress.stop()
    children = {p for p in seeing.running_at_start if p.startswith("n4.")}
    assert set(seeing.running_at_start) == {"n0", "n2[0]", "n2[1]"} | children and len(children) == 2
    assert seeing.running_at_start["n0"][0] >= 1
    for item in ("n2[0]", "n2[1]"):  # the item itself and its map node run
        running, items_running = seeing.running_at_start[item]
        assert items_running >= 1 and running >= 2, (item, seeing.running_at_start)
    for child in children:  # the child and its @dynamic run
        assert seeing.running_at_start[child][0] >= 2, (child, seeing.running_at_start)
    assert (progress.running, progress.items_running, progress.failed) == (0, 0, 0)
    # n0, n1, n2 and its 2 items, n3, n4 and its 3 children (2 seen_start, 1 total), n5
    assert progress.summary(executor=backend).startswith(
        f"flowgen done on {backend}: 11 node(s) run (incl. 2 map item(s)), 0 cached, 0 failed in ")


DIED = {"exit": "exited with code 3", "sigkill": "was killed by SIGKILL (9)"}
DEATH_EVENTS = {"n0": [("started",), ("succeeded", 1, None)], "n1": [("started",), ("failed", 1, "TaskError")],
                "n1.n0": [("started",), ("failed", 1, "TaskError")]}


def _dies(backend: str, modules: Any, workflow: Any, how: str) -> tuple[EventLog, RunProgress, RunRecorder, str]:
    program = workflow.compile_program()
    log, progress, recorder = EventLog(), RunProgress(count_nodes(program)), RunRecorder(program)
    observer = ObserverGroup(log, progress, recorder)
    with pytest.raises(TaskError) as caught:
        if backend == "generated-processes":
            run_on(modules.function(workflow), executor=started_executor("processes"), observer=observer, n=1,
                   how=how)
        else:
            _run(backend, modules, observer, workflow=workflow, n=1, how=how)
    recorder.run_finished(caught.value)
    progress.stop()
    return log, progress, recorder, str(caught.value)


def _assert_death_told(backend: str, how: str, log: EventLog, progress: RunProgress, recorder: RunRecorder,
                       message: str, task: str) -> None:
    assert DIED[how] in message and "node n1.n0" in message and task in message, message
    assert "internal error" not in message and "CancelledError" not in message
    # 1. the events; 2. the summary; 3. the report: states, the error, the input values.
    assert dict(log.events) == DEATH_EVENTS
    head = progress.summary(executor=backend).split(" in ")[0]
    assert head == f"flowgen failed on {backend}: 3 node(s) run, 0 cached, 2 failed"  # failed ones ran too
    assert {path: r.status for path, r in recorder.records.items()} == {
        "n0": "succeeded", "n1": "failed", "n1.n0": "failed"}
    error = recorder.records["n1.n0"].error or ""
    assert DIED[how] in error and "Traceback" not in error
    page = PageElements(build_report_html(recorder))
    inputs = {n["data-id"]: n.get("data-value") for n in page.with_class("fg-node") if n["data-kind"] == "input"}
    assert inputs == {"input:n": "1", "input:how": repr(how)}
    assert recorder.records["n1.n0"].start >= recorder.records["n0"].end - 1e-3


@pytest.mark.parametrize("how", sorted(DIED))
@pytest.mark.parametrize("backend", EXECUTORS)
def test_an_attempt_whose_process_dies_is_the_same_failure_everywhere(backend: str, how: str,
                                                                      generated_modules: Any) -> None:
    """A task with ``timeout=`` runs each attempt in a child process on every back end; the child
    dies (``os._exit``, SIGKILL as from the out-of-memory killer): the same events, summary, report."""
    log, progress, recorder, message = _dies(backend, generated_modules, ew.attempt_dies, how)
    _assert_death_told(backend, how, log, progress, recorder, message, "ends_its_attempt")


@pytest.mark.parametrize("how", sorted(DIED))
@pytest.mark.parametrize("backend", ["processes", "dask", "generated-processes"])
def test_a_worker_process_that_dies_is_the_same_failure_everywhere(backend: str, how: str,
                                                                   generated_modules: Any) -> None:
    """A task ends its worker process itself (a process pool's worker, a Dask worker; generated
    code on processes): the same events, summary and report as any failure, and the executor
    serves the next run."""
    log, progress, recorder, message = _dies(backend, generated_modules, ew.worker_dies, how)
    _assert_death_told(backend, how, log, progress, recorder, message, "ends_its_worker")
    executor = started_executor("dask" if backend == "dask" else "processes")
    assert run_on(ew.worker_dies, executor=executor, n=1, how="live") == 2


@pytest.mark.parametrize("backend", EXECUTORS)
def test_items_a_map_may_lose_are_told_failed_everywhere(backend: str, generated_modules: Any) -> None:
    """A failed item of a map with ``min_success_ratio`` is a failed item on every back end, even
    though the map node and the run succeed (on Dask its status comes from the worker's end event)."""
    program = ew.tolerant_items.compile_program()
    log, progress, recorder = EventLog(), RunProgress(count_nodes(program)), RunRecorder(program)
    _run(backend, generated_modules, ObserverGroup(log, progress, recorder), workflow=ew.tolerant_items,
         xs=[0, 1, 2, 3])
    recorder.run_finished(None)
    progress.stop()
    items = {path: events for path, events in log.events.items() if path.startswith("n0[")}
    assert items == {"n0[0]": [("started",), ("succeeded",)], "n0[1]": [("started",), ("failed",)],
                     "n0[2]": [("started",), ("succeeded",)], "n0[3]": [("started",), ("failed",)]}
    assert log.events["n0"] == [("started",), ("items", 4), ("succeeded", 1, None)]
    assert recorder.records["n0"].items == {"succeeded": 2, "failed": 2}
