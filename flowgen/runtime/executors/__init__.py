"""Executors: where task calls run. One interface (:class:`Executor`), four implementations.

``make_executor(name, max_parallelism=..., dask_address=...)`` builds one by name
(``inprocess``, ``threads``, ``processes``, ``dask``); the CLI's ``--executor``,
:func:`flowgen.run` and generated modules all select executors through it.
Each implementation is imported only when asked for (``flowgen run`` on the default
in-process executor never loads thread or process pools), and Dask is an optional extra:
``pip install 'flowgen[dask]'``; without it ``make_executor("dask")`` raises
:class:`MissingExtraError` naming the extra.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from flowgen.errors import FlowgenError
from flowgen.runtime.executors.base import Executor, Handle

if TYPE_CHECKING:
    from flowgen.runtime.executors.inprocess import InProcessExecutor
    from flowgen.runtime.executors.processes import ProcessExecutor
    from flowgen.runtime.executors.threads import ThreadExecutor

__all__ = [
    "EXECUTOR_NAMES",
    "Executor",
    "Handle",
    "InProcessExecutor",
    "MissingExtraError",
    "ProcessExecutor",
    "ThreadExecutor",
    "make_executor",
]

EXECUTOR_NAMES = ("inprocess", "threads", "processes", "dask")

_LAZY = {
    "InProcessExecutor": "flowgen.runtime.executors.inprocess",
    "ThreadExecutor": "flowgen.runtime.executors.threads",
    "ProcessExecutor": "flowgen.runtime.executors.processes",
}


class MissingExtraError(FlowgenError, ImportError):
    """An executor needs an optional dependency that is not installed (``flowgen[dask]``)."""


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def _dask_executor() -> type[Executor]:
    try:
        import distributed  # noqa: F401  (the extra's marker: dask.distributed)
    except ImportError as exc:
        raise MissingExtraError(
            f"--executor dask needs Dask, which is not installed ({exc.name} is missing)",
            hint="install the extra: pip install 'flowgen[dask]'",
        ) from None
    from flowgen.runtime.executors.dask import DaskExecutor

    return DaskExecutor


def make_executor(name: str, *, max_parallelism: int | None = None, dask_address: str | None = None,
                  **options: Any) -> Executor:
    """A new executor by name; ``dask_address`` connects to a running scheduler instead of a local cluster."""
    if dask_address is not None and name != "dask":
        raise ValueError(f"dask_address applies to the dask executor, not {name!r}")
    if name == "inprocess":
        from flowgen.runtime.executors.inprocess import InProcessExecutor

        return InProcessExecutor(max_parallelism)
    if name == "threads":
        from flowgen.runtime.executors.threads import ThreadExecutor

        return ThreadExecutor(max_parallelism)
    if name == "processes":
        from flowgen.runtime.executors.processes import ProcessExecutor

        return ProcessExecutor(max_parallelism)
    if name == "dask":
        return _dask_executor()(max_parallelism, address=dask_address, **options)  # type: ignore[call-arg]
    raise ValueError(f"unknown executor {name!r}; choose one of {', '.join(EXECUTOR_NAMES)}")
