"""Workflows for the executor tests (importable, so worker processes can load them)."""

from __future__ import annotations

import os
import threading
import time

from flowgen import dynamic, map_task, task, workflow

# -- threads: evidence of concurrency, shared through this module's globals ------------------------
BARRIER = threading.Barrier(2, timeout=20)
RELEASE = threading.Event()
ACTIVE = {"now": 0, "max": 0}
_lock = threading.Lock()
STARTED: list[str] = []


@task
def meet(x: int) -> int:
    """Returns only once another task is at the barrier too: proves two tasks ran at once."""
    BARRIER.wait()
    return x


@task
def add(x: int, y: int) -> int:
    return x + y


@workflow
def two_at_once() -> int:
    return add(x=meet(x=1), y=meet(x=2))


@task
def wait_for_release(x: int) -> int:
    if not RELEASE.wait(timeout=20):
        raise TimeoutError("never released")
    return x


@task
def release(x: int) -> int:
    RELEASE.set()
    return x


@workflow
def starts_when_inputs_exist() -> int:
    blocked = wait_for_release(x=1)  # node n0 waits for n2, which comes after it in the graph
    ready = add(x=1, y=1)
    return add(x=blocked, y=release(x=ready))


@task
def occupy(x: int) -> int:
    with _lock:
        ACTIVE["now"] += 1
        ACTIVE["max"] = max(ACTIVE["max"], ACTIVE["now"])
    time.sleep(0.02)
    with _lock:
        ACTIVE["now"] -= 1
    return x


@workflow
def twelve_wide() -> list[int]:
    return [occupy(x=i) for i in range(12)]


@workflow
def mapped_two_at_a_time(xs: list[int]) -> list[int]:
    return map_task(occupy, concurrency=2)(x=xs)


@task
def fail_now(x: int) -> int:
    raise ValueError("stop")


@task
def record(x: int) -> int:
    STARTED.append(f"record {x}")
    return x


@workflow
def fails_while_other_work_waits() -> int:
    blocked = wait_for_release(x=0)
    after = record(x=blocked)
    return add(x=after, y=fail_now(x=1))


# -- Dask: many small tasks on chains, so intermediate data lives on the workers ------------------
@task
def step(x: int) -> int:
    time.sleep(0.01)
    return x + 1


@task
def total(xs: list[int]) -> int:
    return sum(xs)


@dynamic
def chains(n: int, width: int) -> int:
    heads = []
    for c in range(width):
        x = step(x=c)
        for _ in range(n // width - 1):
            x = step(x=x)
        heads.append(x)
    return total(xs=heads)


@workflow
def two_hundred(n: int = 200, width: int = 4) -> int:
    return chains(n=n, width=width)


# -- Ctrl-C: a cached first step, then a long wait ------------------------------------------------
@task(cache=True, cache_version="1")
def first(marker: str) -> int:
    with open(marker, "a") as f:
        f.write("ran\n")
    return 1


@task
def linger(x: int, marker: str) -> int:
    with open(marker + ".linger", "a") as f:  # the test interrupts once this is running
        f.write("started\n")
    time.sleep(30)
    return x


@workflow
def interruptible(marker: str) -> int:
    return linger(x=first(marker=marker), marker=marker)


def pid() -> int:
    return os.getpid()
