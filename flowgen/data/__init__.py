"""Flyte's data plane: files, folders and tables whose bytes live in a raw-data store (fsspec).

* :mod:`flowgen.data.files` — ``FlyteFile`` and ``FlyteDirectory``;
* :mod:`flowgen.data.tables` — ``StructuredDataset``, ``kwtypes``, Parquet reading and writing;
* :mod:`flowgen.data.store` — the store (``--raw-data-prefix``), local copies;
* :mod:`flowgen.data.checkers` — the node boundary for these values;
* :mod:`flowgen.data.hashing` — content hashes for cache keys, ``HashMethod``;
* :mod:`flowgen.data.codec` — their JSON spelling (addresses).
"""

from flowgen.data.files import FlyteDirectory, FlyteFile
from flowgen.data.hashing import HashMethod
from flowgen.data.store import current_store, set_raw_data_prefix, use_store
from flowgen.data.tables import StructuredDataset, StructuredDatasetType, kwtypes

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
