"""Tasks whose worker process dies (importable, so worker processes and the CLI can load them)."""

from __future__ import annotations

import os
import signal

from flowgen import task, workflow


@task(cache=True, cache_version="1")
def first(x: int, folder: str) -> int:
    """Finishes (and is cached) before the task that dies; counts its runs in ``folder``."""
    with open(os.path.join(folder, "first-runs"), "a") as f:
        f.write("x")
    return x + 1


@task
def dies(x: int, how: str) -> int:
    """Ends its own process the way ``how`` says; the kernel's out-of-memory killer sends SIGKILL too."""
    if how == "exit":
        os._exit(3)
    if how == "sigkill":
        os.kill(os.getpid(), signal.SIGKILL)
    return x * 10


@workflow
def dies_second(folder: str, how: str) -> int:
    return dies(x=first(x=1, folder=folder), how=how)
