"""What a worker process is running and what its cache served, for the count after Ctrl-C.

A Dask run that nothing observes (``flowgen run`` off a terminal) hears only the few
completions it must: the driver learns which calls finished from the scheduler when
Ctrl-C stops it (:meth:`flowgen.runtime.executors.dask.DaskExecutor.stopped_steps`). Two
things only the workers know, and they keep them here, in memory, at a cost per *call*
(never per node of a fused call or chunk, never a message):

* the calls running now (:func:`take_off` as a step starts, :func:`land` as it ends): a
  single task or item, or a fused call or chunk with the list of members it has finished
  so far (the list the call builds anyway), so that the members a Ctrl-C cuts short of
  their call's end are still counted, and the one running is counted cancelled;
* the node paths the cache served (:func:`cache_hit`, on a hit only), per run, for the
  last few runs: a hit whose value has since left the cluster is still counted cached.

:func:`stopped_steps` reads both for one run (``client.run`` calls it on every worker).
A run is named by its execution (``task_context.Execution.name``), which every step's
cache settings carry.
"""

from __future__ import annotations

from typing import Any

__all__ = ["cache_hit", "land", "stopped_steps", "take_off"]

_flights: dict[int, tuple[Any, ...]] = {}  # id(entry) -> (run, kind, ...)
_hits: dict[str, list[str]] = {}  # run -> node and item paths the cache served here
_RUNS_KEPT = 8


def take_off(execution: Any, *entry: Any) -> int | None:
    """Note a step starting: ``("task", path)``, ``("fused", members, members done)``, or
    ``("items", map path, start, stop, results so far)``; the token :func:`land` takes."""
    if execution is None:
        return None
    flight = (execution.name, *entry)
    token = id(flight)
    _flights[token] = flight
    return token


def land(token: int | None) -> None:
    if token is not None:
        _flights.pop(token, None)


def cache_hit(execution: Any, path: str) -> None:
    """The cache served node or item ``path`` of this run."""
    if execution is None:
        return
    hits = _hits.get(execution.name)
    if hits is None:
        while len(_hits) >= _RUNS_KEPT:  # forget the oldest run
            del _hits[next(iter(_hits))]
        hits = _hits[execution.name] = []
    hits.append(path)


def stopped_steps(run: str) -> tuple[list[tuple[str, bool]], list[str], list[str]]:
    """For run ``run``: the members and items finished inside calls still running (path, failed),
    the paths running now, and the paths the cache served."""
    finished: list[tuple[str, bool]] = []
    running: list[str] = []
    for flight in list(_flights.values()):
        if flight[0] != run:
            continue
        kind = flight[1]
        if kind == "task":
            running.append(flight[2])
        elif kind == "fused":  # members: FusedUnit.members, (node id, path, ...) each
            paths, done = [member[1] for member in flight[2]], flight[3]
            finished.extend((path, False) for path, *_ in list(done))
            if len(done) < len(paths):
                running.append(paths[len(done)])
        else:  # "items"
            path, start, stop, results = flight[2:]
            results = list(results)
            finished.extend((f"{path}[{start + i}]", type(r).__name__ == "ItemFailure") for i, r in enumerate(results))
            if start + len(results) < stop:
                running.append(f"{path}[{start + len(results)}]")
    return finished, running, list(_hits.get(run, ()))
