"""Executors: where task calls run. One interface (:class:`Executor`), four implementations.

``make_executor(name, max_parallelism=..., dask_address=...)`` builds one by name
(``inprocess``, ``threads``, ``processes``, ``dask``); the CLI's ``--executor``,
:func:`flowgen.run` and generated modules all select executors through it.
The Dask executor is imported only when asked for.
"""

from __future__ import annotations

from typing import Any

from flowgen.runtime.executors.base import Executor, Handle
from flowgen.runtime.executors.inprocess import InProcessExecutor
from flowgen.runtime.executors.processes import ProcessExecutor
from flowgen.runtime.executors.threads import ThreadExecutor

__all__ = [
    "EXECUTOR_NAMES",
    "Executor",
    "Handle",
    "InProcessExecutor",
    "ProcessExecutor",
    "ThreadExecutor",
    "make_executor",
]

EXECUTOR_NAMES = ("inprocess", "threads", "processes", "dask")


def make_executor(name: str, *, max_parallelism: int | None = None, dask_address: str | None = None,
                  **options: Any) -> Executor:
    """A new executor by name; ``dask_address`` connects to a running scheduler instead of a local cluster."""
    if dask_address is not None and name != "dask":
        raise ValueError(f"dask_address applies to the dask executor, not {name!r}")
    if name == "inprocess":
        return InProcessExecutor(max_parallelism)
    if name == "threads":
        return ThreadExecutor(max_parallelism)
    if name == "processes":
        return ProcessExecutor(max_parallelism)
    if name == "dask":
        from flowgen.runtime.executors.dask import DaskExecutor

        return DaskExecutor(max_parallelism, address=dask_address, **options)
    raise ValueError(f"unknown executor {name!r}; choose one of {', '.join(EXECUTOR_NAMES)}")
