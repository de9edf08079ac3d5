"""Workflows of the stopping tests (test_stopping.py): tasks that outlive their timeout, and
tasks whose process dies. A module of its own so that generated code is built from it too."""

from __future__ import annotations

import os
import signal
import time

from flowgen import task, workflow


@task(timeout=0.6, retries=1)
def scribble(folder: str) -> int:
    """Write a marker file every 20 ms, forever: one attempt = one process (its pid in the names)."""
    i = 0
    while True:
        with open(os.path.join(folder, f"{os.getpid()}-{i:05d}"), "w") as f:
            f.write(repr(time.time()))
        i += 1
        time.sleep(0.02)


@workflow
def scribbler(folder: str) -> int:
    return scribble(folder=folder)


@task
def first(x: int, folder: str) -> int:
    with open(os.path.join(folder, f"first-{x}"), "w") as f:
        f.write("done")
    return x + 1


@task(timeout=30)
def exits(x: int, how: str) -> int:
    """Die the way ``how`` says (os._exit(3), SIGKILL), inside a task with a timeout."""
    if how == "exit":
        os._exit(3)
    if how == "sigkill":
        os.kill(os.getpid(), signal.SIGKILL)
    return x


@workflow
def dies_after_first(folder: str, how: str) -> int:
    return exits(x=first(x=1, folder=folder), how=how)
