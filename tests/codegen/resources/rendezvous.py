"""Tasks that show where, and how concurrently, a generated workflow's nodes run.

Used by tests/codegen/test_executors.py. ``meet`` returns only once two calls are
inside it at the same time, so ``together`` succeeds only on an executor that runs
independent nodes concurrently; ``tracked`` records the peak number of calls running
at once; ``pid`` says which process ran it.
"""

import os
import threading
import time
import typing

from flowgen import map_task, task, workflow

MEETING = threading.Barrier(2, timeout=20)
_lock = threading.Lock()
_running = [0]
PEAK = [0]


@task
def meet(x: int) -> int:
    MEETING.wait()
    return x


@task
def add(x: int, y: int) -> int:
    return x + y


@workflow
def together(a: int, b: int) -> int:
    return add(x=meet(x=a), y=meet(x=b))


@task
def tracked(x: int) -> int:
    with _lock:
        _running[0] += 1
        PEAK[0] = max(PEAK[0], _running[0])
    time.sleep(0.01)
    with _lock:
        _running[0] -= 1
    return x


@workflow
def bounded(xs: typing.List[int]) -> typing.List[int]:
    return map_task(tracked)(x=xs)


@task
def pid(x: int) -> int:
    return os.getpid()


@workflow
def pids(xs: typing.List[int]) -> typing.List[int]:
    return map_task(pid)(x=xs)
