"""The raw-data store: where the bytes of files, directories and tables live between nodes.

A store is an fsspec URL prefix (``s3://bucket/flowgen``, ``gs://…``, ``file:///data`` or a
plain local folder). Every value gets a fresh folder under it, ``<prefix>/<32 hex>/<name>``,
so nothing is ever overwritten and a value's URI names its bytes for as long as they live.
Addresses are opened through one filesystem interface (``fsspec.core.url_to_fs``); the code
never branches on the scheme.

=================================  ==================================================
setting                             store
=================================  ==================================================
``use_store(url)`` / ``--raw-data-  that prefix
prefix URL`` / ``flowgen.run(...,
raw_data_prefix=URL)``
``FLOWGEN_RAW_DATA_PREFIX``         that prefix
default                             a local folder per run: ``<cache dir>/raw/<run>``
=================================  ==================================================

Local copies handed to tasks live in a scratch folder of the process
(:func:`scratch_dir`), removed when the process exits.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import os
import shutil
import tempfile
import threading
import uuid
from collections.abc import Iterator
from typing import Any

__all__ = [
    "RawDataStore",
    "StoreError",
    "current_store",
    "fresh_local_path",
    "is_remote",
    "scratch_dir",
    "set_raw_data_prefix",
    "use_store",
]

ENV_PREFIX = "FLOWGEN_RAW_DATA_PREFIX"


class StoreError(Exception):
    """The store cannot be reached or a value's bytes are missing (the message names the URI)."""


def is_remote(path: str) -> bool:
    """True for a URL whose protocol is not the local file system (``s3://…``, ``memory://…``)."""
    protocol, sep, _ = path.partition("://")
    return bool(sep) and protocol not in ("file", "local")


def _local_path(path: str) -> str:
    return path[len("file://"):] if path.startswith("file://") else path


class RawDataStore:
    """One prefix and its fsspec filesystem."""

    def __init__(self, prefix: str) -> None:
        import fsspec.core

        self.prefix = prefix.rstrip("/") if prefix not in ("/",) else prefix
        if not is_remote(self.prefix):
            self.prefix = os.path.abspath(_local_path(self.prefix))
        try:
            self.fs, self._root = fsspec.core.url_to_fs(self.prefix)
        except (ImportError, ValueError) as exc:
            raise StoreError(f"raw-data prefix {prefix!r} cannot be used: {exc}") from exc

    @property
    def local(self) -> bool:
        return not is_remote(self.prefix)

    def __repr__(self) -> str:
        return f"RawDataStore({self.prefix!r})"

    def new_uri(self, name: str) -> str:
        """A fresh address under the prefix, ending in ``name`` (a file or folder name)."""
        name = os.path.basename(name.rstrip("/")) or "data"
        return f"{self.prefix}/{uuid.uuid4().hex}/{name}"

    # -- moving bytes -------------------------------------------------------------------------
    def put_file(self, local: str, name: str | None = None) -> str:
        """Store a copy of the file at ``local``.

        A local store takes a scratch file (one under the system's temporary folder, where
        tasks write what they return) by a hard link when it can: no bytes are copied, and
        the scratch file's owner is done with it. Any other file is copied, so changing it
        later never changes what was stored.
        """
        uri = self.new_uri(name or local)
        if self.local:
            os.makedirs(os.path.dirname(uri), exist_ok=True)
            if not (_is_scratch(local) and _link(local, uri)):
                shutil.copyfile(local, uri)
        else:
            _guard(uri, lambda: self.fs.put_file(local, uri))
        return uri

    def put_dir(self, local: str, name: str | None = None) -> str:
        uri = self.new_uri(name or local)
        if self.local:
            shutil.copytree(local, uri)
        else:
            files = [os.path.join(d, f) for d, _, fs in os.walk(local) for f in fs]
            for f in files:
                target = f"{uri}/{os.path.relpath(f, local).replace(os.sep, '/')}"
                _guard(target, lambda f=f, target=target: self.fs.put_file(f, target))  # type: ignore[misc]
            if not files:
                _guard(uri, lambda: self.fs.makedirs(uri, exist_ok=True))
        return uri


def _is_scratch(path: str) -> bool:
    temp = os.path.realpath(tempfile.gettempdir()) + os.sep
    return os.path.realpath(path).startswith(temp)


def _link(source: str, target: str) -> bool:
    try:
        os.link(source, target)
    except OSError:  # another file system, or links not allowed
        return False
    return True


def _guard(uri: str, action: Any) -> Any:
    try:
        return action()
    except FileNotFoundError as exc:
        raise StoreError(f"{uri}: not found ({exc})") from exc
    except OSError as exc:
        raise StoreError(f"{uri}: {type(exc).__name__}: {exc}") from exc


def filesystem(uri: str) -> tuple[Any, str]:
    """The fsspec filesystem and in-filesystem path of any URI or local path."""
    import fsspec.core

    return fsspec.core.url_to_fs(uri if is_remote(uri) else os.path.abspath(_local_path(uri)))


def get_file(uri: str, local: str) -> None:
    """Copy the file at ``uri`` (a URL or local path) to ``local``; :class:`StoreError` when it is gone."""
    os.makedirs(os.path.dirname(local) or ".", exist_ok=True)
    if not is_remote(uri):
        _guard(uri, lambda: shutil.copyfile(_local_path(uri), local))
        return
    fs, path = filesystem(uri)
    _guard(uri, lambda: fs.get_file(path, local))


def get_dir(uri: str, local: str) -> None:
    """Copy the folder at ``uri`` to ``local`` (created)."""
    if not is_remote(uri):
        _guard(uri, lambda: shutil.copytree(_local_path(uri), local, dirs_exist_ok=True))
        return
    fs, path = filesystem(uri)
    os.makedirs(local, exist_ok=True)
    found = _guard(uri, lambda: fs.find(path))
    for item in found:
        rel = item[len(path.rstrip("/")) + 1:]
        target = os.path.join(local, *rel.split("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        _guard(item, lambda item=item, target=target: fs.get_file(item, target))  # type: ignore[misc]


def exists(uri: str) -> bool:
    try:
        fs, path = filesystem(uri)
        return bool(fs.exists(path))
    except (OSError, ValueError):
        return False


def size(uri: str) -> int | None:
    try:
        fs, path = filesystem(uri)
        return int(fs.size(path))
    except (OSError, ValueError, TypeError):
        return None


def remove(uri: str) -> None:
    """Delete a value's folder (``<prefix>/<hex>``) and what it holds; missing is fine."""
    with contextlib.suppress(OSError, ValueError):
        fs, path = filesystem(uri)
        fs.rm(path.rsplit("/", 1)[0], recursive=True)


# -- the store of this process ------------------------------------------------------------------

_lock = threading.RLock()
_configured: RawDataStore | None = None
_default: RawDataStore | None = None
_default_prefix: str | None = None


def default_prefix() -> str:
    """A local folder for one run, under the cache directory."""
    from flowgen.paths import default_cache_dir

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return os.path.join(default_cache_dir(), "raw", f"{stamp}-{os.getpid()}-{uuid.uuid4().hex[:8]}")


def set_raw_data_prefix(prefix: str | None) -> None:
    """Use ``prefix`` for every value stored by this process from now on (None: back to the default)."""
    global _configured
    with _lock:
        _configured = RawDataStore(prefix) if prefix else None


def current_store() -> RawDataStore:
    """The store values are written to: the configured one, ``FLOWGEN_RAW_DATA_PREFIX``, or a local
    folder for this run (made on first use)."""
    global _default
    if _configured is not None:
        return _configured
    with _lock:
        if _default is None:
            _default = RawDataStore(configured_prefix())
        return _default


def configured_prefix() -> str:
    """The prefix of this process's store, as workers must be told it (no filesystem is opened)."""
    global _default_prefix
    if _configured is not None:
        return _configured.prefix
    if _default is not None:
        return _default.prefix
    with _lock:
        if _default_prefix is None:
            _default_prefix = os.environ.get(ENV_PREFIX) or default_prefix()
        return _default_prefix


def store_settings() -> tuple[str, dict[str, Any]]:
    """The prefix and the fsspec options of its protocol (``fsspec.config.conf``), as workers
    must be given them: a forkserver or a Dask worker does not see the driver's later settings."""
    prefix = configured_prefix()
    if not is_remote(prefix):
        return prefix, {}
    import fsspec.config

    protocol = prefix.partition("://")[0]
    return prefix, dict(fsspec.config.conf.get(protocol, {}))


def apply_store_settings(prefix: str, options: dict[str, Any]) -> None:
    """Use the driver's store and its fsspec options in this (worker) process."""
    if options:
        import fsspec.config

        protocol = prefix.partition("://")[0]
        if fsspec.config.conf.get(protocol) != options:
            fsspec.config.conf[protocol] = dict(options)
    if configured_prefix() != prefix:
        set_raw_data_prefix(prefix)


@contextlib.contextmanager
def use_store(prefix: str | None) -> Iterator[RawDataStore | None]:
    """Within the block, values are stored under ``prefix`` (None: leave the store as it is)."""
    global _configured
    if prefix is None:
        yield None
        return
    store = RawDataStore(prefix)
    with _lock:
        before, _configured = _configured, store
    try:
        yield store
    finally:
        with _lock:
            _configured = before


# -- local copies -------------------------------------------------------------------------------

_scratch: str | None = None


def scratch_dir() -> str:
    """This process's folder for local copies of stored values (removed at exit)."""
    global _scratch
    with _lock:
        if _scratch is None or not os.path.isdir(_scratch):
            _scratch = tempfile.mkdtemp(prefix="flowgen-local-")
            atexit.register(shutil.rmtree, _scratch, True)
        return _scratch


def fresh_local_path(name: str) -> str:
    """A path no one else uses, in a new folder of the scratch folder, ending in ``name``."""
    folder = tempfile.mkdtemp(dir=scratch_dir())
    return os.path.join(folder, os.path.basename(name.rstrip("/")) or "data")
