"""The parallel driver's side of the event stream (:mod:`flowgen.runtime.events`).

The driver hears about work in three ways, in any order: a step's *start* (live,
from a listener in this process, or with its result from a worker), a handle's
*completion*, and a *failure*. :class:`EventRelay` turns them into the same
per-node sequence the in-process interpreter produces:

* a node is started once, at the earliest start of any of its steps or of the
  steps of a node inside it (a sub-workflow starts when its first step starts);
  its enclosing nodes are started first;
* it finishes when its last step ends, at the end stamp of that step;
* a failure finishes the failing node (named by the error's ``node`` fact, or
  the node whose handle failed) and then each started node enclosing it, innermost
  first, all ``failed``;
* ``map_task`` items are reported with the optional ``item_*`` hooks.

On Dask a task's result (and so its stamps) stays on the cluster: the worker sends
its steps' stamps as events (:func:`flowgen.runtime.events.observed`), and a task
node or item whose completion is heard before its stamps waits for them
(:meth:`EventRelay.defer`), up to a short grace period at the end of the run.

All methods run on the driver's single loop thread.
"""

from __future__ import annotations

import time
from typing import Any

from flowgen.errors import FlowgenError
from flowgen.runtime.events import Observer, StepStamps, stamps_of

__all__ = ["LAST_STEP", "EventRelay", "RemoteOutcome", "split_item_key"]

LAST_STEP = "/last"
"""Suffix of the step key of a structural node's last step (its outputs), whose end ends the node."""


def split_item_key(key: str) -> tuple[str, int] | None:
    """``"n3[12]"`` -> ``("n3", 12)``; None for a node key."""
    if not key.endswith("]"):
        return None
    head, sep, index = key[:-1].rpartition("[")
    if not sep or not index.isdigit():
        return None
    return head, int(index)


class EventRelay:
    """Per-node event bookkeeping of one parallel run."""

    def __init__(self, observer: Observer) -> None:
        self.observer = observer
        self.nodes: dict[str, Any] = {}  # path -> IR node
        self.parent: dict[str, str | None] = {}  # path -> enclosing node path
        self.started: dict[str, float] = {}  # path -> start (wall clock)
        self.finished: set[str] = set()
        self.items_started: set[str] = set()
        self.items_done: set[str] = set()
        self.remote = False  # stamps arrive as events (Dask), not with the results
        self.ends: dict[str, dict[str, Any]] = {}  # step key -> its end event (remote)
        self.pending: dict[str, Any] = {}  # step key -> report waiting for its end event
        self.give_up = False  # at the end of the run: report what still waits, with the driver's time
        self._item_hooks = (getattr(observer, "items_added", None), getattr(observer, "item_started", None),
                            getattr(observer, "item_finished", None))

    def known(self, path: str, node: Any, parent: str | None) -> None:
        self.nodes[path] = node
        self.parent[path] = parent

    # -- starts -------------------------------------------------------------------------------
    def start(self, path: str, at: float | None) -> None:
        if path in self.started or path not in self.nodes:
            return
        parent = self.parent.get(path)
        if parent is not None:
            self.start(parent, at)
        when = time.time() if at is None else at
        self.started[path] = when
        self.observer.node_started(path, self.nodes[path], at=when)

    def heard(self, event: dict[str, Any]) -> None:
        """A step's start, or (remote) its end, as the worker stamped it."""
        key = event["key"]
        self.heard_start(key, event["start"])
        if "end" in event:
            self.ends[key] = event
            waiting = self.pending.pop(key, None)
            if waiting is not None:
                waiting()

    def remote_end(self, key: str, report: Any) -> dict[str, Any] | None:
        """The end event of step ``key`` (remote runs); None, and ``report`` deferred, until it arrives."""
        found = self.ends.pop(key, None)
        if found is None and not self.give_up:
            self.pending[key] = report
        return found

    def flush(self) -> None:
        """Report what still waits for stamps that did not come (the driver's time stands in)."""
        self.give_up = True
        for report in list(self.pending.values()):
            report()
        self.pending.clear()

    def heard_start(self, key: str, at: float) -> None:
        key = key.removesuffix(LAST_STEP)
        item = split_item_key(key)
        if item is None:
            self.start(key, at)
            return
        path, index = item
        self.start(path, at)
        if key not in self.items_started:
            self.items_started.add(key)
            hook = self._item_hooks[1]
            if hook is not None:
                hook(path, index, at=at)

    # -- ends ---------------------------------------------------------------------------------
    def finish(self, path: str, status: str, stamps: StepStamps | None, *, cached: bool = False,
               attempts: int = 1) -> None:
        """Node ``path`` ended (its last step's ``stamps``, when known)."""
        if path in self.finished or path not in self.nodes:
            return
        if stamps is not None:
            self.start(path, stamps[0])
        else:
            self.start(path, None)
        end = stamps[1] if stamps is not None else time.time()
        end = max(end, self.started[path])
        self.finished.add(path)
        self.observer.node_finished(path, self.nodes[path], status, end - self.started[path], cached=cached,
                                    attempts=attempts, at=end)

    def items_added(self, path: str, count: int) -> None:
        """Map node ``path`` has ``count`` items (the result of its first step: it started then)."""
        stamps = stamps_of(count)
        self.start(path, stamps[0] if stamps is not None else None)
        hook = self._item_hooks[0]
        if hook is not None:
            hook(path, count)

    def item_done(self, path: str, index: int, value: Any, error: BaseException | None = None) -> None:
        """Item ``index`` of map node ``path`` ended with ``value`` (or failed with ``error``)."""
        key = f"{path}[{index}]"
        if key in self.items_done:
            return
        stamps = stamps_of(error if error is not None else value)
        if stamps is None and error is None and self.remote:
            event = self.remote_end(key, lambda: self.item_done(path, index, value))
            if event is None and not self.give_up:
                return
            if event is not None:
                stamps = (event["start"], event["end"])
                value = RemoteOutcome(event)
        start = stamps[0] if stamps is not None else None
        self.heard_start(key, start if start is not None else time.time())
        self.items_done.add(key)
        failure = error if error is not None else getattr(value, "error", None)
        hook = self._item_hooks[2]
        if hook is not None:
            end = stamps[1] if stamps is not None else time.time()
            status = "failed" if failure is not None else ("cached" if getattr(value, "cached", False) else "succeeded")
            hook(path, index, status, end - (start if start is not None else end), at=end, error=failure)

    def fail(self, error: BaseException, fallback: str | None) -> None:
        """The run fails with ``error``: the failing node, then every started node enclosing it."""
        path = getattr(error, "node", None) if isinstance(error, FlowgenError) else None
        if path not in self.nodes:
            path = fallback if fallback in self.nodes else None
        if path is None:
            return
        stamps = stamps_of(error)
        if stamps is not None:
            self.start(path, stamps[0])
        end = stamps[1] if stamps is not None else time.time()
        attempts = int(getattr(error, "attempts", 1) or 1)
        current: str | None = path
        while current is not None:
            if current not in self.finished:
                self.start(current, None)
                self.finished.add(current)
                began = self.started[current]
                self.observer.node_finished(current, self.nodes[current], "failed", max(end - began, 0.0),
                                            error=error, attempts=attempts if current == path else 1,
                                            at=max(end, began))
            current = self.parent.get(current)


class RemoteOutcome:
    """What a Dask worker's end event says of a step whose value stays there: cache hit, attempts."""

    def __init__(self, event: dict[str, Any]) -> None:
        self.cached = bool(event.get("cached"))
        self.attempts = int(event.get("attempts") or 1)
        self.error = RemoteStepError(event.get("error") or "failed on a Dask worker") if event.get("failed") else None


class RemoteStepError(Exception):
    """A step that failed on a Dask worker and let the run go on (a map item allowed to fail):
    its error stays there, and its end event tells its type and message."""
