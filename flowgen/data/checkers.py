"""The node boundary for files, folders and tables: validate, store, hand over.

``data_checker(spec)`` is what :func:`flowgen.ir.values.checker` uses for these kinds. It
turns whatever a task returned or a caller passed into a *stored* value: its bytes in the
raw-data store, the value itself a small handle holding their URI (so it moves between
processes and Dask workers by address; the bytes are never pickled).

=========================================  ===================================================
value given                                 becomes
=========================================  ===================================================
local path (``str``, ``Path``), a           the file/folder copied into the store; a
``FlyteFile``/``FlyteDirectory`` of one     missing path is an error naming it
stored handle, or remote URL (``s3://…``)   the same address, not copied (remote inputs pass
                                            through untouched until used)
``FlyteFile(p, remote_path=URL)``           uploaded to ``URL``
``pandas.DataFrame``, ``pyarrow.Table``,    written to the store as one Parquet file
``StructuredDataset(dataframe=…)``
``StructuredDataset(uri=…)``                that address, not copied
=========================================  ===================================================

A stored file or folder handle is what a task receives: it copies the bytes to a fresh
local path on first use. A table typed ``pandas.DataFrame`` / ``pyarrow.Table`` is read
into a fresh frame just before the task runs (:func:`delivering`); a ``StructuredDataset``
is read when the task opens it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import flowgen.data.store as _store
from flowgen.data.files import FlyteDirectory, FlyteFile
from flowgen.data.tables import StructuredDataset, is_arrow_table, is_dataframe, read_table, write_table
from flowgen.ir.types import (
    DictType,
    DirectoryType,
    FileType,
    ListType,
    RecordType,
    TableType,
    TupleType,
    TypeSpec,
    UnionType,
    render_type,
)
from flowgen.ir.values import TypeMismatch

__all__ = ["data_checker", "delivering"]

Checker = Callable[[Any], Any]


def data_checker(spec: FileType | DirectoryType | TableType) -> Checker:
    if isinstance(spec, FileType):
        return _path_checker(spec, FlyteFile, os.path.isfile, "file")
    if isinstance(spec, DirectoryType):
        return _path_checker(spec, FlyteDirectory, os.path.isdir, "folder")
    return _table_checker(spec)


def _path_checker(spec: FileType | DirectoryType, cls: type, exists: Callable[[str], bool], noun: str) -> Checker:
    expected = render_type(spec)
    handle = cls[spec.format] if spec.format else cls  # type: ignore[index]
    other = FlyteDirectory if cls is FlyteFile else FlyteFile

    def check(v: Any) -> Any:
        if isinstance(v, other) or not isinstance(v, (cls, str, os.PathLike)):
            raise TypeMismatch(f"{expected} (a {noun} path or {cls.__name__})", v)
        if isinstance(v, cls):
            given = v.extension()
            if spec.format and given and given != spec.format:
                raise TypeMismatch(expected, v)
            uri = _address(v, exists, noun)
        else:
            uri = _upload_path(os.fspath(v), exists, noun)
        return handle._stored(uri)

    return check


def _address(v: Any, exists: Callable[[str], bool], noun: str) -> str:
    """The store address of a file or folder value, uploading it when it is only local."""
    if v._remote_source is not None:
        return v._remote_source  # type: ignore[no-any-return]
    path, target = v._path, v._remote_path
    if isinstance(target, str) and target:
        if path == target:  # made by new_remote_file()/new_remote(): written there already
            return target
        _require(path, exists, noun)
        _upload_to(path, target, noun)
        return target
    return _upload_path(path, exists, noun)


class MissingPath(TypeMismatch):
    """A path that names no file or folder: the message gives the whole path."""

    @staticmethod
    def describe_got(value: Any) -> str:
        return str(value)


def _require(path: str, exists: Callable[[str], bool], noun: str) -> None:
    if not exists(path):
        raise MissingPath(f"an existing {noun}", f"{path!r} (no such {noun})")


def _upload_path(path: str, exists: Callable[[str], bool], noun: str) -> str:
    if _store.is_remote(path):
        return path
    path = path[len("file://"):] if path.startswith("file://") else path
    _require(path, exists, noun)
    store = _store.current_store()
    return store.put_file(path) if noun == "file" else store.put_dir(path)


def _upload_to(path: str, target: str, noun: str) -> None:
    fs, where = _store.filesystem(target)
    if noun == "file":
        fs.put_file(path, where)
    else:
        fs.put(path, where, recursive=True)


def _table_checker(spec: TableType) -> Checker:
    expected = render_type(spec)
    columns = [c.name for c in spec.columns] if spec.columns is not None else None

    def check(v: Any) -> Any:
        if isinstance(v, StructuredDataset):
            if v.uri is not None and v.dataframe is None:
                stored = StructuredDataset._stored(v.uri, v.num_rows, v.schema, columns)
                _require_columns(stored, columns, expected, v)
                return stored
            v = v.dataframe
        if not (is_dataframe(v) or is_arrow_table(v)):
            raise TypeMismatch(f"{expected} (a pandas.DataFrame, pyarrow.Table or StructuredDataset)", v)
        stored = write_table(v)
        _require_columns(stored, columns, expected, v)
        stored._columns = columns
        return stored

    return check


def _require_columns(stored: StructuredDataset, columns: list[str] | None, expected: str, v: Any) -> None:
    if columns is None or stored.schema is None:
        return
    have = {name for name, _ in stored.schema}
    missing = [c for c in columns if c not in have]
    if missing:
        raise TypeMismatch(f"{expected} (missing column(s) {', '.join(missing)})",
                           f"a table with columns {', '.join(sorted(have))}")


# -- handing tables to tasks --------------------------------------------------------------------


def delivering(spec: TypeSpec, check: Checker) -> Checker:
    """``check`` followed by reading every stored table typed ``DataFrame``/``Table`` in the value."""
    deliver = _deliverer(spec)
    return lambda v: deliver(check(v))


def _deliverer(spec: TypeSpec) -> Checker:
    if isinstance(spec, TableType):
        if spec.flavor == "structured":
            return _same
        flavor = spec.flavor
        columns = [c.name for c in spec.columns] if spec.columns is not None else None
        return lambda v: read_table(v.uri, flavor, columns) if isinstance(v, StructuredDataset) else v
    if isinstance(spec, ListType):
        item = _deliverer(spec.item)
        return _same if item is _same else (lambda v: [item(x) for x in v])
    if isinstance(spec, DictType):
        value = _deliverer(spec.value)
        return _same if value is _same else (lambda v: {k: value(x) for k, x in v.items()})
    if isinstance(spec, TupleType):
        items = [_deliverer(i) for i in spec.items]
        return lambda v: tuple(d(x) for d, x in zip(items, v))
    if isinstance(spec, UnionType):
        tables = [v for v in spec.variants if isinstance(v, TableType)]
        if not tables:
            return _same
        first = _deliverer(tables[0])
        return lambda v: first(v) if isinstance(v, StructuredDataset) else v
    if isinstance(spec, RecordType):
        fields = [(f.name, _deliverer(f.type)) for f in spec.fields]
        fields = [(n, d) for n, d in fields if d is not _same]
        if not fields:
            return _same
        return lambda v: _deliver_fields(v, fields, spec.flavor)
    return _same


def _same(v: Any) -> Any:
    return v


def _deliver_fields(v: Any, fields: list[tuple[str, Checker]], flavor: str) -> Any:
    if flavor == "namedtuple":
        return v._replace(**{n: d(getattr(v, n)) for n, d in fields})
    for name, deliver in fields:  # the value is already this node's own copy
        object.__setattr__(v, name, deliver(getattr(v, name)))
    return v
