"""Can every worker reach the raw-data store?  Checked before a run starts.

Workers of a Dask cluster reached by address may run on other machines, with other
working directories: they exchange files and tables only through the store, so a run
that moves such values there needs a store they can all reach (``s3://…``, ``gs://…``).
A local prefix is refused before any task runs, naming both.
"""

from __future__ import annotations

from typing import Any

from flowgen.errors import FlowgenError
from flowgen.ir.model import Program
from flowgen.ir.values import has_data

__all__ = ["check_store_reach", "moves_data"]


def moves_data(program: Program) -> bool:
    """Whether any task or workflow of ``program`` takes or gives files, folders or tables."""
    interfaces = [t.interface for t in program.tasks.values()] + [w.interface for w in program.workflows.values()]
    return any(has_data(p.type) for i in interfaces for p in (*i.inputs, *i.outputs))


def check_store_reach(program: Program, executor: Any) -> None:
    address = getattr(executor, "address", None)
    if address is None or getattr(executor, "name", "") != "dask" or not moves_data(program):
        return
    from flowgen.data.store import current_store

    store = current_store()
    if store.local:
        raise FlowgenError(
            f"the Dask cluster at {address} cannot be given files or tables through the local "
            f"raw-data store {store.prefix}: its workers may not share this machine's disk",
            workflow=program.entry,
            hint="pass --raw-data-prefix s3://bucket/prefix (or set FLOWGEN_RAW_DATA_PREFIX) to a store "
                 "every worker can reach",
        )
