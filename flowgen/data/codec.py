"""Files, folders and tables in JSON (CLI inputs, ``--json`` outputs, literals, the cache).

A value is spelled by its address: a local path or a URL (``s3://…``). Decoding gives the
value a caller would have passed (``FlyteFile(path)``, ``StructuredDataset(uri=…)``); the
node boundary then stores it like any other.
"""

from __future__ import annotations

from typing import Any

from flowgen.data.files import FlyteDirectory, FlyteFile
from flowgen.data.tables import StructuredDataset
from flowgen.ir.types import DirectoryType, FileType, TableType
from flowgen.ir.values import TypeMismatch, checker

__all__ = ["data_from_json", "data_to_json"]


def data_to_json(value: Any, spec: FileType | DirectoryType | TableType) -> str:
    """The address of a value (stored first when it is only local)."""
    stored = checker(spec)(value) if not _is_stored(value) else value
    if isinstance(stored, StructuredDataset):
        return stored.uri  # type: ignore[return-value]
    return stored.remote_source or stored._shown()  # type: ignore[no-any-return]


def _is_stored(value: Any) -> bool:
    if isinstance(value, StructuredDataset):
        return value.uri is not None and value.dataframe is None
    return isinstance(value, (FlyteFile, FlyteDirectory)) and value.remote_source is not None


def data_from_json(data: Any, spec: FileType | DirectoryType | TableType) -> Any:
    if not isinstance(data, str) or not data:
        raise TypeMismatch(f"{spec} (a path or URL)", data)
    if isinstance(spec, TableType):
        return StructuredDataset(uri=data)
    cls = FlyteFile if isinstance(spec, FileType) else FlyteDirectory
    return (cls[spec.format] if spec.format else cls)(data)  # type: ignore[index]
