"""One workflow with a retry, a cache hit, a ``map_task``, a sub-workflow and a failure, for the
event-stream conformance test (tests/conformance/test_event_stream.py).

An importable module, so worker processes and Dask workers load it, and a source the
static front end builds, so generated code runs it too. Side effects go through files.
"""

from __future__ import annotations

import functools
import os
import typing

from flowgen import dynamic, map_task, task, workflow


@task
def begin(n: int) -> int:
    return n + 1


@task(retries=1)
def flaky(x: int, marker: str) -> int:
    """Fails its first attempt (no marker file yet), succeeds on the retry."""
    if not os.path.exists(marker):
        with open(marker, "w") as f:
            f.write("failed once\n")
        raise ValueError("first attempt fails")
    return x * 2


@task(cache=True, cache_version="1")
def cached_double(x: int) -> int:
    return x * 2


@task
def spread(x: int) -> list[int]:
    return [x, x + 1, x + 2]


@task
def square(x: int) -> int:
    return x * x


@task
def total(xs: list[int]) -> int:
    return sum(xs)


@task
def explode(x: int, limit: int) -> int:
    if x > limit:
        raise ValueError(f"{x} is over the limit {limit}")
    return x


@workflow
def guarded(x: int, limit: int) -> int:
    return explode(x=x, limit=limit)


@workflow
def prefill(x: int) -> int:
    return cached_double(x=x)


@workflow
def eventful(n: int, marker: str, limit: int = 10) -> int:
    a = begin(n=n)
    b = flaky(x=a, marker=marker)
    c = cached_double(x=b)
    xs = spread(x=c)
    squares = map_task(square)(x=xs)
    t = total(xs=squares)
    return guarded(x=t, limit=limit)


@task
def slow_item(x: int, log: str) -> int:
    """Takes a while, then notes that it finished (a line in ``log``)."""
    import time

    time.sleep(0.4)
    with open(log, "a") as f:
        f.write(f"{x}\n")
    return x


@workflow
def slow_items(xs: list[int], log: str) -> list[int]:
    return map_task(functools.partial(slow_item, log=log))(x=xs)


@task(timeout=0.5)
def overrun(x: int) -> int:
    import time

    time.sleep(10)
    return x


@workflow
def times_out(n: int) -> int:
    return overrun(x=begin(n=n))


# -- the progress bar's "running" count: a task returns only once the driver has heard it start ----
@task
def seen_start(x: int, folder: str) -> int:
    """Waits until the test's observer has heard this step start (it creates ``folder/<x>``).

    Where starts are heard only with results (the old process pool), no file ever appears
    and the task fails after a minute: the test's failure, without any timing assertion.
    """
    import time

    deadline = time.monotonic() + 60
    while not os.path.exists(os.path.join(folder, str(x))):
        if time.monotonic() > deadline:
            raise RuntimeError(f"the driver never heard step {x} start while it ran")
        time.sleep(0.01)
    return x


@task
def indices(n: int, after: int) -> list[int]:
    return list(range(n))


@dynamic
def seen_children(n: int, folder: str) -> int:
    """Children decided at run time: ``seen_start`` on 200, 201, ... (each waits to be heard start)."""
    return total(xs=[seen_start(x=200 + i, folder=folder) for i in range(n)])


@workflow
def watched(n: int, folder: str) -> int:
    first = seen_start(x=100, folder=folder)
    items = map_task(functools.partial(seen_start, folder=folder))(x=indices(n=n, after=first))
    return total(xs=[total(xs=items), seen_children(n=n, folder=folder)])


# -- worker death: a task ends the process it runs in ----------------------------------------------
def _end_this_process(how: str) -> None:
    import signal

    if how == "exit":
        os._exit(3)
    if how == "sigkill":
        os.kill(os.getpid(), signal.SIGKILL)


@task
def ends_its_worker(x: int, how: str) -> int:
    """Ends its worker process (a process pool's worker, a Dask worker) as ``how`` says."""
    _end_this_process(how)
    return x


@task(timeout=60)
def ends_its_attempt(x: int, how: str) -> int:
    """With ``timeout=`` the attempt runs in a child process on every executor: that child ends."""
    _end_this_process(how)
    return x


@workflow
def worker_part(x: int, how: str) -> int:
    return ends_its_worker(x=x, how=how)


@workflow
def attempt_part(x: int, how: str) -> int:
    return ends_its_attempt(x=x, how=how)


@workflow
def worker_dies(n: int, how: str) -> int:
    return worker_part(x=begin(n=n), how=how)


@workflow
def attempt_dies(n: int, how: str) -> int:
    return attempt_part(x=begin(n=n), how=how)


# -- Ctrl-C: some nodes and one map item finished, the next item runs until the interrupt ---------
@task
def first_item_only(x: int, first: int, folder: str) -> int:
    """Item ``first`` returns; any other notes that it runs (``folder/running-<x>``) and waits for
    the Ctrl-C (two minutes at most)."""
    import time

    if x == first:
        return x * 10
    with open(os.path.join(folder, f"running-{x}"), "w") as f:
        f.write("running\n")
    time.sleep(120)
    return x * 10


@workflow
def interruptible(n: int, folder: str) -> int:
    a = begin(n=n)
    xs = spread(x=a)
    # One item at a time: an item is submitted once the driver has heard the previous one end,
    # so when item 1 runs, item 0 has been counted, on every executor.
    tens = map_task(functools.partial(first_item_only, first=a, folder=folder), concurrency=1)(x=xs)
    return total(xs=tens)


@task
def picky(x: int) -> int:
    if x % 2:
        raise ValueError(f"odd item {x}")
    return x


@task
def count_present(values: list[typing.Optional[int]]) -> int:
    return sum(1 for v in values if v is not None)


@workflow
def tolerant_items(xs: list[int]) -> int:
    """A map allowed to lose half its items: the odd ones fail, the run succeeds."""
    return count_present(values=map_task(picky, min_success_ratio=0.5)(x=xs))
