"""Content hashes of files, folders and tables, for cache keys.

A cache key must not change when the same bytes arrive under a new address, so a stored
value is keyed by the sha256 of its bytes (a folder: of its files' relative paths and
hashes; a table: of its Parquet file). ``Annotated[T, HashMethod(fn)]`` on a task's input
or output replaces that with ``fn(value)``, as in Flyte (for a large table, hashing a few
columns, say).
"""

from __future__ import annotations

import hashlib
import typing
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import flowgen.data.store as _store

__all__ = ["HashMethod", "content_hash", "hash_methods"]

_CHUNK = 1 << 20


@dataclass(frozen=True)
class HashMethod:
    """``Annotated[pd.DataFrame, HashMethod(fn)]``: ``fn(value) -> str`` keys the value in the cache."""

    function: Callable[[Any], str]

    def calculate(self, value: Any) -> str:
        return str(self.function(value))


def _file_hash(uri: str, digest: Any) -> None:
    fs, path = _store.filesystem(uri)
    try:
        with fs.open(path, "rb") as src:
            while chunk := src.read(_CHUNK):
                digest.update(chunk)
    except FileNotFoundError:
        raise _store.StoreError(f"{uri}: not found (its bytes are gone from the store)") from None


def content_hash(value: Any) -> str | None:
    """The sha256 of a stored file, folder or table's bytes; None for other values."""
    from flowgen.data.files import FlyteDirectory, FlyteFile
    from flowgen.data.tables import StructuredDataset

    digest = hashlib.sha256()
    if isinstance(value, StructuredDataset) and value.uri is not None:
        _file_hash(value.uri, digest)
    elif isinstance(value, FlyteFile) and value.remote_source is not None:
        _file_hash(value.remote_source, digest)
    elif isinstance(value, FlyteDirectory) and value.remote_source is not None:
        for root, rel in value.crawl():
            inner = hashlib.sha256()
            _file_hash(f"{root.rstrip('/')}/{rel}", inner)
            digest.update(f"{rel}\0{inner.hexdigest()}\n".encode())
    else:
        return None
    return digest.hexdigest()


@lru_cache(maxsize=1024)
def hash_methods(function_ref: str) -> dict[str, HashMethod]:
    """The ``HashMethod`` of each input and output (``o0``, ``o1``, or NamedTuple field names) of
    the task function ``module:qualname``, read from its annotations."""
    from flowgen.ir import refs

    try:
        fn = refs.resolve(function_ref)
        hints = typing.get_type_hints(fn, include_extras=True)
    except Exception:
        return {}
    found: dict[str, HashMethod] = {}
    for name, hint in hints.items():
        if name == "return":
            continue
        method = _method_of(hint)
        if method is not None:
            found[name] = method
    ret = hints.get("return")
    if ret is not None:
        method = _method_of(ret)
        if method is not None:
            found["o0"] = method
        elif typing.get_origin(ret) is tuple:
            for i, item in enumerate(typing.get_args(ret)):
                method = _method_of(item)
                if method is not None:
                    found[f"o{i}"] = method
        elif isinstance(ret, type) and hasattr(ret, "_fields"):
            field_hints = typing.get_type_hints(ret, include_extras=True)
            for field_name in ret._fields:
                method = _method_of(field_hints.get(field_name))
                if method is not None:
                    found[field_name] = method
    return found


def _method_of(hint: Any) -> HashMethod | None:
    if typing.get_origin(hint) is typing.Annotated:
        for meta in typing.get_args(hint)[1:]:
            if isinstance(meta, HashMethod):
                return meta
    return None
