"""The task cache: an embedded SQLite database of task outputs, keyed by what determines them.

Key = sha256 of the canonical JSON of (task name, task interface, ``cache_version``,
input values encoded by their types, minus ``ignored_inputs``). Change any of those and
the task runs again; change nothing and it is served from the cache.

Values are stored as JSON through the type system (:mod:`flowgen.ir.codec`), never
pickled, so reading a cache cannot execute code. Where it lives:

==========================  ========================================================
setting                      location
==========================  ========================================================
``FLOWGEN_CACHE_DIR``        ``$FLOWGEN_CACHE_DIR/cache.sqlite``
``--cache-dir DIR``          ``DIR/cache.sqlite`` (``flowgen run``, ``flowgen cache``)
default                      ``$XDG_CACHE_HOME/flowgen/cache.sqlite`` (``~/.cache/...``)
==========================  ========================================================

Several processes may read and write at once (WAL journal, busy timeout; each thread
has its own connection). A cache that cannot be read (a truncated or garbage file, a
row that no longer decodes) is a warning, never a failure: the file is moved aside to
``cache.sqlite.corrupt-<time>`` and a fresh one started, and the task recomputes.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flowgen.ir.codec import from_json, to_json
from flowgen.ir.model import TaskSpec
from flowgen.ir.values import TypeMismatch, has_data, has_opaque
from flowgen.paths import default_cache_dir

if TYPE_CHECKING:
    import sqlite3

__all__ = [
    "CacheEntry",
    "CacheStore",
    "CacheWarning",
    "cache_enabled",
    "cache_key",
    "cacheable",
    "default_cache_dir",
    "get_store",
    "set_cache_dir",
    "set_cache_enabled",
]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    key TEXT PRIMARY KEY,
    task TEXT NOT NULL,
    version TEXT NOT NULL,
    outputs TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_task ON entries(task);
"""


class _Unusable(Exception):
    """The cache directory or file cannot be opened at all (already warned about)."""


class CacheWarning(UserWarning):
    """The cache could not be used; the task was computed instead."""


@dataclass(frozen=True)
class CacheEntry:
    task: str
    version: str
    created: float
    key: str


def cache_key(spec: TaskSpec, inputs: dict[str, Any], delivered: dict[str, Any] | None = None) -> str:
    """The key of a task call: identity, interface, version and canonical input values.

    ``inputs`` are the stored values; files, folders and tables among them are keyed by
    their content (or the task's ``HashMethod``, applied to ``delivered``, what the task
    receives), never by their address.
    """
    assert spec.cache is not None
    ignored = set(spec.cache.ignored_inputs)
    encoded = {}
    for p in spec.interface.inputs:
        if p.name in ignored or p.name not in inputs:
            continue
        if has_data(p.type):
            from flowgen.data.cache_bytes import key_material
            from flowgen.data.hashing import hash_methods

            method = hash_methods(spec.function).get(p.name)
            encoded[p.name] = key_material(inputs[p.name], p.type, method, (delivered or inputs)[p.name])
        else:
            encoded[p.name] = to_json(inputs[p.name], p.type)
    material = {
        "task": spec.name,
        "interface": spec.interface.model_dump(mode="json"),
        "version": spec.cache.version,
        "inputs": encoded,
    }
    text = json.dumps(material, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    import hashlib  # here: a run whose tasks cache nothing never loads it (start-up)

    return hashlib.sha256(text.encode()).hexdigest()


class CacheStore:
    """One SQLite cache file."""

    def __init__(self, directory: str) -> None:
        import sqlite3  # here: a run whose tasks cache nothing never loads it (start-up)

        self._sqlite = sqlite3
        self.directory = directory
        self.path = os.path.join(directory, "cache.sqlite")
        self._local = threading.local()
        self._lock = threading.Lock()
        self._generation = 0
        self.unusable: str | None = None  # why this cache cannot be used at all (then tasks just run)

    # -- connections --------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        os.makedirs(self.directory, exist_ok=True)
        conn = self._sqlite.connect(self.path, timeout=30.0, isolation_level=None)
        try:
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(_SCHEMA)
        except self._sqlite.DatabaseError:
            conn.close()
            raise
        return conn

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None or getattr(self._local, "generation", -1) != self._generation:
            try:
                try:
                    conn = self._connect()
                except self._sqlite.DatabaseError as exc:
                    if not os.path.isfile(self.path):
                        raise
                    self._quarantine(exc)
                    conn = self._connect()
            except (OSError, self._sqlite.Error) as exc:
                self._give_up(exc)
                raise _Unusable from exc
            self._local.conn = conn
            self._local.generation = self._generation
        return conn

    def _give_up(self, exc: BaseException) -> None:
        with self._lock:
            if self.unusable is None:
                self.unusable = f"{type(exc).__name__}: {exc}"
                warnings.warn(f"flowgen cache {self.path} cannot be used ({self.unusable}); "
                              "tasks run without it", CacheWarning, stacklevel=5)

    def _quarantine(self, exc: Exception) -> None:
        """Move an unreadable cache file aside (kept for inspection) and start afresh."""
        with self._lock:
            if not os.path.exists(self.path):
                return
            aside = f"{self.path}.corrupt-{int(time.time())}"
            warnings.warn(f"flowgen cache {self.path} is unreadable ({exc}); moved it to {aside} "
                          "and started a new one", CacheWarning, stacklevel=4)
            for suffix in ("-wal", "-shm"):
                with contextlib.suppress(OSError):
                    os.remove(self.path + suffix)
            try:
                os.replace(self.path, aside)
            except OSError:
                os.remove(self.path)
            self._generation += 1

    # -- lookups ------------------------------------------------------------------------------
    def get(self, spec: TaskSpec, key: str) -> dict[str, Any] | None:
        """The cached outputs of a call, decoded by the task's output types; None on a miss."""
        if self.unusable is not None:
            return None
        try:
            row = self._conn().execute("SELECT outputs FROM entries WHERE key = ?", (key,)).fetchone()
        except _Unusable:
            return None
        except self._sqlite.DatabaseError as exc:
            self._quarantine(exc)
            return None
        if row is None:
            return None
        try:
            data = json.loads(row[0])
            outputs = {o.name: from_json(data[o.name], o.type) for o in spec.interface.outputs}
        except (ValueError, KeyError, TypeError, TypeMismatch) as exc:
            warnings.warn(f"flowgen cache entry for {spec.name} does not decode ({exc}); recomputing",
                          CacheWarning, stacklevel=3)
            return None
        if _holds_data(spec):
            from flowgen.data.cache_bytes import restore_outputs

            restored = restore_outputs(outputs, {o.name: o.type for o in spec.interface.outputs})
            if restored is None:
                warnings.warn(f"flowgen cache entry for {spec.name}: the bytes of its files or tables are gone "
                              f"from {self.directory}; recomputing", CacheWarning, stacklevel=3)
                return None
            return restored
        return outputs

    def put(self, spec: TaskSpec, key: str, outputs: dict[str, Any]) -> None:
        assert spec.cache is not None
        if _holds_data(spec):
            from flowgen.data.cache_bytes import keep_outputs
            from flowgen.data.store import StoreError

            try:
                outputs = keep_outputs(outputs, {o.name: o.type for o in spec.interface.outputs}, self.directory, key)
            except (OSError, StoreError) as exc:
                warnings.warn(f"flowgen cache {self.directory}: could not keep the bytes of {spec.name}'s outputs "
                              f"({exc}); not cached", CacheWarning, stacklevel=3)
                return
        data = json.dumps({o.name: to_json(outputs[o.name], o.type) for o in spec.interface.outputs},
                          ensure_ascii=False)
        for _ in range(2):
            if self.unusable is not None:
                return
            try:
                self._conn().execute(
                    "INSERT OR REPLACE INTO entries (key, task, version, outputs, created) VALUES (?, ?, ?, ?, ?)",
                    (key, spec.name, spec.cache.version, data, time.time()),
                )
                return
            except _Unusable:
                return
            except self._sqlite.DatabaseError as exc:
                self._quarantine(exc)
        warnings.warn(f"flowgen cache {self.path}: could not store the outputs of {spec.name}", CacheWarning,
                      stacklevel=3)

    def entries(self) -> Iterator[CacheEntry]:
        try:
            rows = self._conn().execute("SELECT task, version, created, key FROM entries ORDER BY task, created")
            for task, version, created, key in rows:
                yield CacheEntry(task, version, created, key)
        except _Unusable:
            return
        except self._sqlite.DatabaseError as exc:
            self._quarantine(exc)

    def clear(self, task: str | None = None) -> int:
        """Delete entries (all, or TASK's) and the bytes of their files and tables."""
        from flowgen.data.cache_bytes import remove_entries

        try:
            conn = self._conn()
            if task is None:
                removed = conn.execute("DELETE FROM entries").rowcount
                remove_entries(self.directory, None)
                return removed
            where = "task = ? OR task LIKE ?"
            keys = [k for (k,) in conn.execute(f"SELECT key FROM entries WHERE {where}", (task, f"%.{task}"))]
            removed = conn.execute(f"DELETE FROM entries WHERE {where}", (task, f"%.{task}")).rowcount
            remove_entries(self.directory, keys)
            return removed
        except _Unusable:
            return 0
        except self._sqlite.DatabaseError as exc:
            self._quarantine(exc)
            return 0


def _holds_data(spec: TaskSpec) -> bool:
    return any(has_data(o.type) for o in spec.interface.outputs)


_warned_opaque: set[str] = set()
_opaque_tasks: dict[int, tuple[TaskSpec, bool]] = {}


def cacheable(spec: TaskSpec) -> bool:
    """False for a task with opaque (``Any``, untyped, arbitrary-class) inputs or outputs: the cache
    never unpickles, so such a task always runs (warned once per task). A deliberate difference
    from Flyte, which pickles them into its cache."""
    opaque = _opaque_tasks.get(id(spec))
    if opaque is None or opaque[0] is not spec:
        interface = spec.interface
        opaque = _opaque_tasks[id(spec)] = (spec, any(has_opaque(p.type) for p in (*interface.inputs,
                                                                                      *interface.outputs)))
    if not opaque[1]:
        return True
    if spec.name not in _warned_opaque:
        _warned_opaque.add(spec.name)
        warnings.warn(f"task {spec.name} is not served from the cache: its inputs or outputs include opaque values "
                      "(typing.Any, untyped or arbitrary classes), which flowgen never pickles into the cache",
                      CacheWarning, stacklevel=3)
    return False


_stores: dict[str, CacheStore] = {}
_configured: str | None = None
_enabled = os.environ.get("FLOWGEN_NO_CACHE", "") in ("", "0")


def cache_enabled() -> bool:
    return _enabled


def set_cache_enabled(enabled: bool) -> None:
    """Turn caching off for this process (``flowgen run --no-cache``, ``FLOWGEN_NO_CACHE=1``)."""
    global _enabled
    _enabled = enabled


def set_cache_dir(directory: str | None) -> None:
    """Use another cache directory in this process (``--cache-dir``); None goes back to the default."""
    global _configured
    _configured = directory


def get_store() -> CacheStore:
    directory = _configured or default_cache_dir()
    store = _stores.get(directory)
    if store is None:
        store = _stores[directory] = CacheStore(directory)
    return store
