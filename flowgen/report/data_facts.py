"""What a run report says about the files, folders and tables a node produced.

=====================  ==========================================================
value                  shown as
=====================  ==========================================================
``FlyteFile``          its URI in the raw-data store and its size
``FlyteDirectory``     its URI and how many files it holds
``StructuredDataset``  its URI, its shape (rows x columns) and each column's type
``pandas.DataFrame``   its shape and each column's dtype
``pyarrow.Table``      its shape and each column's type
=====================  ==========================================================

Described once, when the node finishes (:meth:`RunRecorder.node_outputs`), from the
stored handle: nothing is downloaded, only the store is asked for a size or a listing.
flowgen.data (fsspec, pandas) is never imported here: a run whose values include these
types has loaded it already.
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["describe_data", "human_size"]


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if value < 1000 or unit == "TB":
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{size} B"  # pragma: no cover - the loop always returns


def _columns(pairs: Any) -> str:
    return ", ".join(f"{name}: {kind}" for name, kind in pairs)


def _rows(n: int | None, columns: int) -> str:
    rows = "?" if n is None else f"{n:,}"
    return f"{rows} rows × {columns} column{'s' if columns != 1 else ''}"


def describe_data(value: Any) -> str | None:
    """One line about a file, folder or table value; None for any other value."""
    files = sys.modules.get("flowgen.data.files")
    tables = sys.modules.get("flowgen.data.tables")
    try:
        if files is not None and isinstance(value, files.FlyteDirectory):
            return _directory(value, files)
        if files is not None and isinstance(value, files.FlyteFile):
            return _file(value)
        if tables is not None and isinstance(value, tables.StructuredDataset):
            return _structured(value)
        module = type(value).__module__.partition(".")[0]
        if module == "pandas" and type(value).__name__ == "DataFrame":
            shape = value.shape
            return f"{_rows(shape[0], shape[1])} ({_columns((str(c), str(t)) for c, t in value.dtypes.items())})"
        if module == "pyarrow" and type(value).__name__ == "Table":
            return f"{_rows(value.num_rows, value.num_columns)} ({_columns((f.name, str(f.type)) for f in value.schema)})"
    except Exception as exc:  # a report never fails a run: say what could not be read
        return f"(not described: {type(exc).__name__}: {exc})"
    return None


def _address(value: Any) -> str:
    return str(value.remote_source or value._shown())


def _file(value: Any) -> str:
    from flowgen.data import store

    uri = _address(value)
    size = store.size(uri)
    return f"{uri} ({human_size(size)})" if size is not None else uri


def _directory(value: Any, files: Any) -> str:
    uri = _address(value)
    count = sum(1 for _ in value.crawl())
    return f"{uri} ({count} file{'s' if count != 1 else ''})"


def _structured(value: Any) -> str:
    uri = value.uri or "(in memory)"
    schema = value.schema
    if schema is None and value.dataframe is not None:
        inner = describe_data(value.dataframe)
        return f"{uri}: {inner}" if inner else uri
    if schema is None:
        return uri
    return f"{uri}: {_rows(value.num_rows, len(schema))} ({_columns(schema)})"
