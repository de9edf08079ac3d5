"""Hypothesis strategies for files, folders and tables (:mod:`flowgen.data`'s types).

===============================  ================================================================
type                             strategy
===============================  ================================================================
``FlyteFile`` / ``FlyteFile[f]``  a ``FlyteFile`` of a file holding drawn bytes (at most
                                 :data:`MAX_BYTES`), or drawn text for a text format (``csv``,
                                 ``txt``, ``json`` ...); named ``<hash>.<format>``
``FlyteDirectory[f]``            a ``FlyteDirectory`` of a folder of up to :data:`MAX_FILES` such
                                 files (each ``<name>.<format>``; possibly empty)
``StructuredDataset``,           a table of up to :data:`MAX_ROWS` rows drawn with
``pandas.DataFrame``,            ``hypothesis.extra.pandas``: exactly the declared columns
``pyarrow.Table``                (``kwtypes(name=str, score=int)``) with values of their types
                                 (``int``, ``float``, ``str``, ``bool`` and their ``Annotated``
                                 bounds); an untyped table gets one to three columns of those
                                 types; handed over as the declared flavor
===============================  ================================================================

Files and folders are written once, content-addressed, under ``<flowgen cache dir>/test-data``
(:func:`data_dir`), so a drawn value is the same path in every run of an example and the
``flowgen run`` reproducer of a failure still finds it after the check ends. Drawn contents are
arbitrary: a task that parses them (``pd.read_csv``) will fail on most; say what the workflow is
meant for with a strategy of your own (``flowgen.testing.domain(wf, f=...)``), for instance
``files(st.just(b"a,b\\n1,2\\n"), "csv")``.
"""

from __future__ import annotations

import hashlib
import os
import string
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from flowgen.ir.types import DirectoryType, FileType, PrimitiveType, TableType

__all__ = ["MAX_BYTES", "MAX_FILES", "MAX_ROWS", "data_dir", "data_strategy", "directories", "files", "tables"]

#: a column's value strategy from its type (given by the caller, so this module needs no other strategies)
Element = Callable[[Any], st.SearchStrategy[Any]]

MAX_BYTES = 256
MAX_FILES = 4
MAX_ROWS = 8
#: formats whose contents are drawn as (UTF-8) text rather than bytes
TEXT_FORMATS = frozenset({"csv", "tsv", "txt", "text", "json", "jsonl", "md", "yaml", "yml", "html", "xml", "py"})

_NAME = st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=8)
_COLUMN_NAMES = ("a", "b", "c", "d")


class NoDataStrategy(TypeError):
    """A table column of a type flowgen cannot draw into a Parquet table."""


def data_dir() -> str:
    """Where drawn files and folders are written: ``<flowgen cache dir>/test-data``."""
    from flowgen.paths import default_cache_dir

    return os.path.join(default_cache_dir(), "test-data")


def _contents(fmt: str) -> st.SearchStrategy[bytes]:
    if fmt.lower() in TEXT_FORMATS:
        return st.text(max_size=MAX_BYTES // 4).map(lambda t: t.encode("utf-8", "surrogatepass"))
    return st.binary(max_size=MAX_BYTES)


def _suffix(fmt: str) -> str:
    return f".{fmt}" if fmt else ""


def _write_file(data: bytes, fmt: str) -> str:
    digest = hashlib.sha256(data).hexdigest()[:24]
    folder = os.path.join(data_dir(), "files")
    path = os.path.join(folder, digest + _suffix(fmt))
    if not os.path.isfile(path):
        os.makedirs(folder, exist_ok=True)
        partial = f"{path}.{os.getpid()}.part"
        with open(partial, "wb") as f:
            f.write(data)
        os.replace(partial, path)
    return path


def _write_directory(entries: dict[str, bytes], fmt: str) -> str:
    listing = hashlib.sha256()
    for name in sorted(entries):
        listing.update(name.encode() + b"\0" + hashlib.sha256(entries[name]).digest())
    path = os.path.join(data_dir(), "directories", listing.hexdigest()[:24] + _suffix(fmt))
    if not os.path.isdir(path):
        partial = f"{path}.{os.getpid()}.part"
        os.makedirs(partial, exist_ok=True)
        for name, data in entries.items():
            with open(os.path.join(partial, name + _suffix(fmt)), "wb") as f:
                f.write(data)
        try:
            os.replace(partial, path)
        except OSError:  # written meanwhile by another process: the same contents
            import shutil

            shutil.rmtree(partial, ignore_errors=True)
    return path


def files(contents: st.SearchStrategy[bytes] | None = None, fmt: str = "") -> st.SearchStrategy[Any]:
    """``FlyteFile`` values of files holding ``contents`` (default: drawn for ``fmt``)."""
    from flowgen.data.files import FlyteFile

    cls: Any = FlyteFile[fmt] if fmt else FlyteFile  # type: ignore[misc]
    return (contents if contents is not None else _contents(fmt)).map(lambda data: cls(_write_file(data, fmt)))


def directories(contents: st.SearchStrategy[bytes] | None = None, fmt: str = "",
                max_files: int = MAX_FILES) -> st.SearchStrategy[Any]:
    """``FlyteDirectory`` values of folders of up to ``max_files`` files holding ``contents``."""
    from flowgen.data.files import FlyteDirectory

    cls: Any = FlyteDirectory[fmt] if fmt else FlyteDirectory  # type: ignore[misc]
    entries = st.dictionaries(_NAME, contents if contents is not None else _contents(fmt), max_size=max_files)
    return entries.map(lambda e: cls(_write_directory(e, fmt)))


_DTYPES = {"int": "int64", "float": "float64", "str": "object", "bool": "bool"}


def _column(name: str, spec: Any, element: Element) -> Any:
    from hypothesis.extra import pandas as hpd

    if not (isinstance(spec, PrimitiveType) and spec.name in _DTYPES):
        from flowgen.ir.types import render_type

        raise NoDataStrategy(f"no strategy for table column {name!r} of type {render_type(spec)}: flowgen draws "
                             f"int, float, str and bool columns; pass a strategy for that input")
    return hpd.column(name, dtype=_DTYPES[spec.name], elements=element(spec))


def tables(spec: TableType, element: Element, max_rows: int = MAX_ROWS) -> st.SearchStrategy[Any]:
    """Tables of ``spec``'s flavor with its declared columns (or drawn ones for an untyped table);
    ``element`` gives a column's values from its type (:func:`flowgen.testing.strategies.strategy_for`)."""
    from hypothesis.extra import pandas as hpd

    def frames(columns: list[tuple[str, Any]]) -> st.SearchStrategy[Any]:
        return hpd.data_frames([_column(n, t, element) for n, t in columns], index=hpd.range_indexes(max_size=max_rows))

    if spec.columns is not None:
        drawn = frames([(c.name, c.type) for c in spec.columns])
    else:
        kinds = st.sampled_from([PrimitiveType(name=n) for n in ("int", "float", "str", "bool")])
        drawn = st.lists(kinds, min_size=1, max_size=3).flatmap(
            lambda types: frames(list(zip(_COLUMN_NAMES, types))))
    return drawn.map(lambda df: _as_flavor(df, spec.flavor))


def _as_flavor(df: Any, flavor: str) -> Any:
    if flavor == "pandas":
        return df
    if flavor == "arrow":
        from flowgen.data.tables import to_arrow

        return to_arrow(df)
    from flowgen.data.tables import StructuredDataset

    return StructuredDataset(dataframe=df)


def data_strategy(spec: FileType | DirectoryType | TableType, element: Element) -> st.SearchStrategy[Any]:
    """The strategy for a file, folder or table type (``element``: a table column's values from its type)."""
    if isinstance(spec, FileType):
        return files(fmt=spec.format)
    if isinstance(spec, DirectoryType):
        return directories(fmt=spec.format)
    return tables(spec, element)
