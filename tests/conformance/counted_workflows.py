"""A workflow for Ctrl-C off a terminal (tests/conformance/test_interrupt_counts.py).

Every kind of node finishes before the step the test stops at: a cached task, a
sub-workflow, a ``@dynamic``'s children (a chain, so that on Dask they run fused, in one
call), ``map_task`` items (one at a time), and a last task. Each task step numbered ``i``
writes ``folder/done-<i>`` as it returns; the step numbered ``stop`` writes
``folder/halted-<i>`` and waits for the Ctrl-C instead. Each step reads the previous one,
so the order is the same on every executor, and the test knows from the files what
finished. An importable module, so Dask workers load it too.
"""

from __future__ import annotations

import functools
import os
import time

from flowgen import dynamic, map_task, task, workflow

LAST = 999  # the number of the last step


def _step(i: int, folder: str, stop: int) -> None:
    if i == stop:
        with open(os.path.join(folder, f"halted-{i}"), "w") as f:
            f.write("waiting for Ctrl-C\n")
        time.sleep(120)
    with open(os.path.join(folder, f"done-{i}"), "w") as f:
        f.write("done\n")


@task(cache=True, cache_version="1")
def cached_start(n: int) -> int:
    """Served from the cache on a second run (it writes no file: a cache hit runs nothing)."""
    return n


@task
def mark(i: int, after: int, folder: str, stop: int) -> int:
    _step(i, folder, stop)
    return after


@task
def spread(after: int, n: int) -> list[int]:
    return [200 + k for k in range(n)]


@task
def mark_item(x: int, folder: str, stop: int) -> int:
    _step(x, folder, stop)
    return x


@workflow
def part(after: int, folder: str, stop: int) -> int:
    a = mark(i=1, after=after, folder=folder, stop=stop)
    return mark(i=2, after=a, folder=folder, stop=stop)


@dynamic
def chain(n: int, after: int, folder: str, stop: int) -> int:
    value = after
    for k in range(n):
        value = mark(i=100 + k, after=value, folder=folder, stop=stop)
    return value


@task
def last(items: list[int], folder: str, stop: int) -> int:
    _step(LAST, folder, stop)
    return sum(items)


@workflow
def counted(n: int, folder: str, stop: int) -> int:
    """Nodes in order: cached_start; part (a sub-workflow of steps 1, 2); chain (a @dynamic of
    steps 100..100+n-1); spread; a map of steps 200..200+n-1 (one item at a time); last (step LAST)."""
    c = cached_start(n=n)
    p = part(after=c, folder=folder, stop=stop)
    d = chain(n=n, after=p, folder=folder, stop=stop)
    xs = spread(after=d, n=n)
    items = map_task(functools.partial(mark_item, folder=folder, stop=stop), concurrency=1)(x=xs)
    return last(items=items, folder=folder, stop=stop)
