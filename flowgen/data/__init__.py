"""Flyte's data plane: files, folders and tables whose bytes live in a raw-data store (fsspec).

* :mod:`flowgen.data.files` — ``FlyteFile`` and ``FlyteDirectory``;
* :mod:`flowgen.data.tables` — ``StructuredDataset``, ``kwtypes``, Parquet reading and writing;
* :mod:`flowgen.data.store` — the store (``--raw-data-prefix``), local copies;
* :mod:`flowgen.data.checkers` — the node boundary for these values;
* :mod:`flowgen.data.hashing` — content hashes for cache keys, ``HashMethod``;
* :mod:`flowgen.data.codec` — their JSON spelling (addresses).
"""

from typing import Any

from flowgen.data.files import FlyteDirectory, FlyteFile
from flowgen.data.hashing import HashMethod
from flowgen.data.store import current_store, set_raw_data_prefix, use_store
from flowgen.data.tables import StructuredDataset, StructuredDatasetType, kwtypes
from flowgen.ir import data_kinds


class _Plane:
    """This package as the IR's data plane (:mod:`flowgen.ir.data_kinds`)."""

    def checker(self, spec: Any) -> Any:
        from flowgen.data.checkers import data_checker

        return data_checker(spec)

    def delivering(self, spec: Any, check: Any) -> Any:
        from flowgen.data.checkers import delivering

        return delivering(spec, check)

    def to_json(self, value: Any, spec: Any) -> Any:
        from flowgen.data.codec import data_to_json

        return data_to_json(value, spec)

    def from_json(self, data: Any, spec: Any) -> Any:
        from flowgen.data.codec import data_from_json

        return data_from_json(data, spec)


data_kinds.register(_Plane())

__all__ = [
    "FlyteDirectory",
    "FlyteFile",
    "HashMethod",
    "StructuredDataset",
    "StructuredDatasetType",
    "current_store",
    "kwtypes",
    "set_raw_data_prefix",
    "use_store",
]
