"""Files, folders and tables in the task cache.

* **Keys.** A stored value is keyed by the sha256 of its bytes, never by its address (a
  new run stores the same bytes under a new one), or by ``HashMethod`` when the task's
  annotation gives one: on the consumer's input (applied to the value the task receives)
  or on the producer's output (computed when it was returned, carried by the value).
* **Bytes.** A cached output's bytes are copied into the cache's own folder,
  ``<cache dir>/data/<entry key>/``, so they live as long as the entry; ``flowgen cache
  clear`` deletes that folder with the entry.
* **Reading an entry back.** Its values point into that folder; if any of those bytes are
  gone the entry is a miss (the caller warns and recomputes), never a crash.
"""

from __future__ import annotations

import os
import shutil
from typing import Any

import flowgen.data.store as _store
from flowgen.data.files import FlyteDirectory, FlyteFile
from flowgen.data.hashing import HashMethod, content_hash
from flowgen.data.tables import StructuredDataset
from flowgen.data.walk import data_leaves, map_data
from flowgen.ir.codec import to_json
from flowgen.ir.types import FileType, TableType, TypeSpec

__all__ = ["HASH_ATTRIBUTE", "attach_hash", "entry_folder", "keep_outputs", "key_material", "remove_entries", "restore_outputs"]

HASH_ATTRIBUTE = "_flowgen_hash"
"""Where a stored value carries the hash its producer's ``HashMethod`` gave it."""


def key_material(value: Any, spec: TypeSpec, method: HashMethod | None, delivered: Any) -> Any:
    """What stands for an input in a cache key."""
    if method is not None:
        return {"hash_method": method.calculate(delivered)}

    def leaf(v: Any, t: Any) -> Any:
        carried = getattr(v, HASH_ATTRIBUTE, None)
        return {"sha256": carried if carried is not None else content_hash(v)}

    marked = map_data(value, spec, leaf)
    return _json_of(marked, spec)


def _json_of(value: Any, spec: TypeSpec) -> Any:
    """``to_json``, with the key stand-ins (dicts) left where the data values were."""
    from flowgen.ir.types import DictType, ListType, RecordType, TupleType, UnionType
    from flowgen.ir.values import has_data

    if isinstance(value, dict) and ("sha256" in value or "hash_method" in value) and has_data(spec):
        return value
    if not has_data(spec):
        return to_json(value, spec)
    if isinstance(spec, ListType):
        return [_json_of(v, spec.item) for v in value]
    if isinstance(spec, DictType):
        return {str(k): _json_of(v, spec.value) for k, v in value.items()}
    if isinstance(spec, TupleType):
        return [_json_of(v, s) for v, s in zip(value, spec.items)]
    if isinstance(spec, RecordType):
        return {f.name: _json_of(getattr(value, f.name), f.type) for f in spec.fields}
    if isinstance(spec, UnionType):
        return repr(value)
    return to_json(value, spec)


def attach_hash(value: Any, method: HashMethod, returned: Any) -> None:
    """Remember ``method(returned)`` on the stored ``value`` (the producer's ``HashMethod``)."""
    if isinstance(value, (FlyteFile, FlyteDirectory, StructuredDataset)):
        object.__setattr__(value, HASH_ATTRIBUTE, method.calculate(returned))


def entry_folder(cache_dir: str, key: str) -> str:
    return os.path.join(cache_dir, "data", key)


def keep_outputs(outputs: dict[str, Any], types: dict[str, TypeSpec], cache_dir: str, key: str) -> dict[str, Any]:
    """``outputs`` with every stored value's bytes copied into the entry's folder."""
    folder = entry_folder(cache_dir, key)
    shutil.rmtree(folder, ignore_errors=True)
    kept = _store.RawDataStore(folder)

    def keep(v: Any, t: Any) -> Any:
        if isinstance(t, TableType):
            uri = _copy_file(v.uri, kept)
            return StructuredDataset._stored(uri, v.num_rows, v.schema)
        source = v.remote_source
        if isinstance(t, FileType):
            return type(v)._stored(_copy_file(source, kept))
        local = _store.fresh_local_path(source)
        _store.get_dir(source, local)
        return type(v)._stored(kept.put_dir(local))

    return {name: map_data(value, types[name], keep) for name, value in outputs.items()}


def _copy_file(uri: str, target: _store.RawDataStore) -> str:
    if not _store.is_remote(uri):
        return target.put_file(uri)
    local = _store.fresh_local_path(uri)
    _store.get_file(uri, local)
    try:
        return target.put_file(local)
    finally:
        os.remove(local)


def restore_outputs(outputs: dict[str, Any], types: dict[str, TypeSpec]) -> dict[str, Any] | None:
    """Decoded cached outputs as stored values, or None when some of their bytes are gone."""

    def restore(v: Any, t: Any) -> Any:
        if isinstance(t, TableType):
            return StructuredDataset._stored(v.uri, v.num_rows, v.schema)
        cls = type(v)
        return cls._stored(v._path if v.remote_source is None else v.remote_source)

    restored = {name: map_data(value, types[name], restore) for name, value in outputs.items()}
    for name, value in restored.items():
        for leaf, _ in data_leaves(value, types[name]):
            uri = leaf.uri if isinstance(leaf, StructuredDataset) else leaf.remote_source
            if not _store.exists(uri):
                return None
    return restored


def remove_entries(cache_dir: str, keys: list[str] | None) -> None:
    """Delete the bytes of these entries (None: of every entry)."""
    if keys is None:
        shutil.rmtree(os.path.join(cache_dir, "data"), ignore_errors=True)
        return
    for key in keys:
        shutil.rmtree(entry_folder(cache_dir, key), ignore_errors=True)

