"""Tables: ``StructuredDataset``, ``pandas.DataFrame`` and ``pyarrow.Table``, stored as Parquet.

Between nodes a table is a *stored* ``StructuredDataset``: the URI of one Parquet file in
the raw-data store plus what a report shows (rows, column names and Arrow types). A task
whose input is a ``pandas.DataFrame`` or a ``pyarrow.Table`` receives a fresh frame read
from that file (:func:`read_table`), so it may change it freely; a ``StructuredDataset``
input is read when the task calls ``sd.open(pd.DataFrame).all()`` or ``.iter()``.

pandas and pyarrow are the ``flowgen[dataframe]`` extra: they are imported only here, and
only when a table is used; a program that needs them without the extra gets
:class:`MissingExtraError` naming it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import flowgen.data.store as _store

__all__ = [
    "MissingExtraError",
    "StructuredDataset",
    "StructuredDatasetType",
    "kwtypes",
    "read_table",
    "write_table",
]

PARQUET = "parquet"


class MissingExtraError(ImportError):
    """pandas or pyarrow is needed and not installed."""


def _arrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError as exc:
        raise MissingExtraError(
            f"tables need pyarrow ({exc.name or 'pyarrow'} is not installed): "
            "pip install 'flowgen[dataframe]'"
        ) from None
    return pyarrow


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise MissingExtraError("pandas.DataFrame values need pandas: pip install 'flowgen[dataframe]'") from None
    return pandas


def kwtypes(**columns: Any) -> OrderedDict[str, Any]:
    """Column names and types, in order: ``Annotated[StructuredDataset, kwtypes(a=int, b=str)]``."""
    return OrderedDict(columns)


@dataclass(frozen=True)
class StructuredDatasetType:
    """The declared shape of a table: its columns (name and type) and storage format."""

    columns: tuple[tuple[str, Any], ...] = ()
    format: str = PARQUET


def is_dataframe(value: Any) -> bool:
    cls = type(value)
    return cls.__name__ == "DataFrame" and cls.__module__.partition(".")[0] == "pandas"


def is_arrow_table(value: Any) -> bool:
    cls = type(value)
    return cls.__name__ == "Table" and cls.__module__.partition(".")[0] == "pyarrow"


def to_arrow(value: Any) -> Any:
    """An Arrow table of a DataFrame or Arrow table."""
    pa = _arrow()
    if is_arrow_table(value):
        return value
    return pa.Table.from_pandas(value)


def write_table(value: Any) -> StructuredDataset:
    """Write a DataFrame or Arrow table to the store as Parquet; the stored dataset."""
    pa = _arrow()
    table = to_arrow(value)
    store = _store.current_store()
    uri = store.new_uri("table.parquet")
    if store.local:
        import os

        os.makedirs(os.path.dirname(uri), exist_ok=True)
        pa.parquet.write_table(table, uri)
    else:
        fs, path = _store.filesystem(uri)
        with fs.open(path, "wb") as out:
            pa.parquet.write_table(table, out)
    return StructuredDataset._stored(uri, table.num_rows, _schema_of(table))


def _schema_of(table: Any) -> tuple[tuple[str, str], ...]:
    meta = table.schema.pandas_metadata or {}
    hidden = {c for c in meta.get("index_columns", []) if isinstance(c, str)}
    return tuple((f.name, str(f.type)) for f in table.schema if f.name not in hidden)


def read_arrow(uri: str, columns: list[str] | None = None) -> Any:
    """The Arrow table stored at ``uri`` (only ``columns`` when given)."""
    pa = _arrow()
    try:
        if not _store.is_remote(uri):
            return pa.parquet.read_table(uri, columns=columns)
        fs, path = _store.filesystem(uri)
        with fs.open(path, "rb") as src:
            return pa.parquet.read_table(src, columns=columns)
    except FileNotFoundError:
        raise _store.StoreError(f"{uri}: not found (the table's bytes are gone from the store)") from None
    except OSError as exc:
        raise _store.StoreError(f"{uri}: {type(exc).__name__}: {exc}") from None


def read_table(uri: str, flavor: str, columns: list[str] | None = None) -> Any:
    """A fresh DataFrame (``flavor="pandas"``) or Arrow table (``"arrow"``) of the stored table."""
    table = read_arrow(uri, columns)
    if flavor == "arrow":
        return table
    return to_pandas(table)


def to_pandas(table: Any) -> Any:
    """The DataFrame of an Arrow table, with the column dtypes the frame was written with: a
    column of Python objects (strings with ``None``, say) stays ``object`` rather than becoming
    the string dtype newer pandas infers."""
    pd = _pandas()
    frame = table.to_pandas()
    meta = table.schema.pandas_metadata or {}
    for column in meta.get("columns", []):
        name = column.get("name")
        if column.get("numpy_type") == "object" and name in frame.columns and frame[name].dtype != object:
            frame[name] = pd.Series(table.column(name).to_pylist(), index=frame.index, dtype=object)
    return frame


def _flavor_of(kind: Any) -> str:
    if kind is None:
        return "pandas"
    module = getattr(kind, "__module__", "").partition(".")[0]
    name = getattr(kind, "__name__", "")
    if module == "pandas" and name == "DataFrame":
        return "pandas"
    if module == "pyarrow" and name == "Table":
        return "arrow"
    raise TypeError(f"StructuredDataset.open: cannot open as {kind!r}; use pandas.DataFrame or pyarrow.Table")


@dataclass(eq=False)
class StructuredDataset:
    """A table passed between tasks, as in Flyte: ``StructuredDataset(dataframe=df)`` to return one,
    ``sd.open(pd.DataFrame).all()`` (or ``.iter()``) to read one."""

    dataframe: Any = None
    uri: str | None = None
    metadata: Any = None
    file_format: str = PARQUET
    num_rows: int | None = field(default=None, repr=False)
    schema: tuple[tuple[str, str], ...] | None = field(default=None, repr=False)
    _columns: list[str] | None = field(default=None, repr=False)
    _open_as: Any = field(default=None, repr=False)

    @classmethod
    def _stored(cls, uri: str, num_rows: int | None, schema: tuple[tuple[str, str], ...] | None,
                columns: list[str] | None = None) -> StructuredDataset:
        return cls(uri=uri, num_rows=num_rows, schema=schema, _columns=columns)

    @classmethod
    def __flowgen_spec__(cls) -> Any:
        from flowgen.ir.types import TableType

        return TableType(flavor="structured")

    @property
    def columns(self) -> list[str] | None:
        """The columns this dataset reads (its declared subset), or None for all."""
        return self._columns

    def open(self, dataframe_type: Any = None) -> StructuredDataset:
        """Choose what :meth:`all` and :meth:`iter` return: ``pd.DataFrame`` (default) or ``pa.Table``."""
        _flavor_of(dataframe_type)
        self._open_as = dataframe_type
        return self

    def all(self) -> Any:
        """The whole table, as the type given to :meth:`open`."""
        flavor = _flavor_of(self._open_as)
        if self.uri is None:
            if self.dataframe is None:
                raise ValueError("this StructuredDataset has neither a dataframe nor a uri")
            return read_table_from_value(self.dataframe, flavor, self._columns)
        return read_table(self.uri, flavor, self._columns)

    def iter(self, batch_size: int = 65536) -> Iterator[Any]:
        """The table in batches of ``batch_size`` rows, each as the type given to :meth:`open`."""
        flavor = _flavor_of(self._open_as)
        table = to_arrow(self.dataframe) if self.uri is None else read_arrow(self.uri, self._columns)
        pa = _arrow()
        for batch in table.to_batches(max_chunksize=batch_size):
            part = pa.Table.from_batches([batch])
            yield part if flavor == "arrow" else to_pandas(part)

    def __repr__(self) -> str:
        if self.uri is not None:
            return f"StructuredDataset(uri={self.uri!r}, file_format={self.file_format!r})"
        return f"StructuredDataset(dataframe={type(self.dataframe).__name__})"


def read_table_from_value(value: Any, flavor: str, columns: list[str] | None) -> Any:
    """A copy of an in-memory table as ``flavor``, limited to ``columns``."""
    table = to_arrow(value)
    if columns is not None:
        table = table.select(columns)
    if flavor == "arrow":
        return table
    return to_pandas(table)
