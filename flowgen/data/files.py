"""``FlyteFile`` and ``FlyteDirectory``: Flyte's file and folder values, backed by the raw-data store.

A value has up to three addresses:

=================  =============================================================
``_path``          where the bytes are on this machine (None until needed, for a
                   value that arrived from the store)
``_remote_source`` where the bytes are in the store (or a remote URL the user gave)
``_remote_path``   where the user asked them to be uploaded (``remote_path=``,
                   ``new_remote_file()``)
=================  =============================================================

At a node boundary (:mod:`flowgen.data.checkers`) a local value is uploaded and becomes
a *stored* value (``_remote_source`` only); each consumer then gets its own handle whose
local copy is made on first use (``.path``, ``open(f)``, ``os.fspath(f)``,
``download()``), so a consumer changing its copy never changes what another node sees.
``FlyteFile["csv"]`` (or ``FlyteFile[TypeVar("csv")]``) is a subclass remembering the format.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import IO, Any, ClassVar

import flowgen.data.store as _store

__all__ = ["FlyteDirectory", "FlyteFile"]


def _format_name(item: Any) -> str:
    name = getattr(item, "__name__", None) if not isinstance(item, str) else item
    if name is None:
        name = str(item)
    return name.strip().lstrip("~").lstrip(".")


class _Stored(os.PathLike):  # type: ignore[type-arg]
    """What files and folders share: the three addresses, formats, lazy local copies."""

    _format: ClassVar[str] = ""
    _formats: ClassVar[dict[str, type]]
    _kind: ClassVar[str] = ""

    def __class_getitem__(cls, item: Any) -> Any:
        fmt = "" if item is None else _format_name(item)
        if not fmt:
            return cls
        base = cls._base()
        typed = base._formats.get(fmt)
        if typed is None:
            typed = type(f"{base.__name__}[{fmt!r}]", (base,), {"_format": fmt, "__module__": base.__module__,
                                                                "__qualname__": base.__qualname__})
            base._formats[fmt] = typed
        return typed

    @classmethod
    def _base(cls) -> type[_Stored]:
        for klass in cls.__mro__:
            if "_formats" in klass.__dict__:
                return klass
        return cls

    @classmethod
    def extension(cls) -> str:
        """The declared format (``"csv"``), or ``""``."""
        return cls._format

    def __reduce__(self) -> Any:
        # Formatted subclasses are made on demand: pickle by base class and format.
        return (_rebuild, (self._base(), self._format, self.__dict__.copy()))

    def __init__(self, path: str | os.PathLike[str], downloader: Any = None, remote_path: Any = None) -> None:
        self._path: str | None = os.fspath(path)
        self._downloader = downloader
        self._downloaded = False
        self._remote_path = os.fspath(remote_path) if isinstance(remote_path, os.PathLike) else remote_path
        self._remote_source: str | None = None

    @classmethod
    def _stored(cls, uri: str) -> Any:
        """A handle on bytes in the store, with its local copy made on first use."""
        value = cls.__new__(cls)
        value._path = None
        value._downloader = None
        value._downloaded = False
        value._remote_path = None
        value._remote_source = uri
        return value

    # -- addresses --------------------------------------------------------------------------
    @property
    def remote_source(self) -> str | None:
        """The store (or remote) address this value was read from, if any."""
        return self._remote_source

    @property
    def downloaded(self) -> bool:
        return self._downloaded

    @property
    def path(self) -> str:
        """The local path (the bytes are fetched to it on first use)."""
        return self.download()

    def download(self) -> str:
        """Fetch the bytes to a fresh local copy (once) and return its path."""
        if self._downloaded:
            return self._path  # type: ignore[return-value]
        if self._downloader is not None:
            self._downloader()
        elif self._remote_source is not None:
            if self._path is None:
                self._path = _store.fresh_local_path(self._remote_source)
            self._fetch(self._remote_source, self._path)
        elif self._path is not None and _store.is_remote(self._path):
            uri, self._path = self._path, _store.fresh_local_path(self._path)
            self._remote_source = uri
            self._fetch(uri, self._path)
        self._downloaded = True
        return self._path  # type: ignore[return-value]

    def _fetch(self, uri: str, local: str) -> None:
        raise NotImplementedError

    def __fspath__(self) -> str:
        return self.download()

    def _shown(self) -> str:
        return self._path or self._remote_source or ""

    def __repr__(self) -> str:
        return self._shown()

    def __str__(self) -> str:
        return self._shown()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _Stored):
            return (self._remote_source or self._path) == (other._remote_source or other._path) \
                and self.extension() == other.extension()
        return self._shown() == other

    def __hash__(self) -> int:
        return hash(self._remote_source or self._path)


def _rebuild(base: type[_Stored], fmt: str, state: dict[str, Any]) -> _Stored:
    cls = base[fmt] if fmt else base  # type: ignore[index]
    value = cls.__new__(cls)
    value.__dict__.update(state)
    return value


class FlyteFile(_Stored):
    """A file passed between tasks: return a local path (or a ``FlyteFile`` of it), read it
    with ``open(f)``, ``f.path`` or ``f.download()``."""

    _formats: ClassVar[dict[str, type]] = {}
    _kind = "file"

    def _fetch(self, uri: str, local: str) -> None:
        _store.get_file(uri, local)

    @classmethod
    def __flowgen_spec__(cls) -> Any:
        from flowgen.ir.types import FileType

        return FileType(format=cls._format)

    @classmethod
    def new_remote_file(cls, name: str | None = None) -> FlyteFile:
        """A new file in the raw-data store: write it with ``f.open("w")`` and return it."""
        uri = _store.current_store().new_uri(name or "file")
        return cls(uri, remote_path=uri)

    def open(self, mode: str = "rb", **kwargs: Any) -> IO[Any]:
        """Open the file: reading fetches the local copy first; writing to a file made by
        :meth:`new_remote_file` writes to the store directly."""
        if any(m in mode for m in "wax") and self._remote_path is not None and self._path == self._remote_path:
            import fsspec

            if not _store.is_remote(self._remote_path):
                os.makedirs(os.path.dirname(self._remote_path), exist_ok=True)
            return fsspec.open(self._remote_path, mode, **kwargs).open()  # type: ignore[no-any-return]
        if any(m in mode for m in "wax"):
            if self._path is None:
                self.download()
            return open(self._path, mode, **kwargs)  # type: ignore[arg-type]
        return open(self.download(), mode, **kwargs)


class FlyteDirectory(_Stored):
    """A folder passed between tasks: return a local folder path (or a ``FlyteDirectory``),
    list it with ``FlyteDirectory.listdir(d)`` or ``d.crawl()``, fetch it with ``d.download()``."""

    _formats: ClassVar[dict[str, type]] = {}
    _kind = "directory"

    def _fetch(self, uri: str, local: str) -> None:
        _store.get_dir(uri, local)

    @classmethod
    def __flowgen_spec__(cls) -> Any:
        from flowgen.ir.types import DirectoryType

        return DirectoryType(format=cls._format)

    @classmethod
    def new_remote(cls, name: str | None = None) -> FlyteDirectory:
        """A new, empty folder in the raw-data store; add to it with :meth:`new_file`."""
        uri = _store.current_store().new_uri(name or "dir")
        return cls(uri, remote_path=uri)

    @classmethod
    def new(cls, dirname: str | os.PathLike[str]) -> FlyteDirectory:
        """A new local folder (created) as a ``FlyteDirectory``."""
        os.makedirs(dirname, exist_ok=True)
        return cls(dirname)

    def _root(self) -> str:
        """Where the folder's files are: the store address when not fetched, else the local copy."""
        if self._path is not None and (self._downloaded or self._remote_source is None):
            return self._path
        return self._remote_source or ""

    def new_file(self, name: str | None = None) -> FlyteFile:
        """A file inside this folder (local, or in the store for :meth:`new_remote` folders)."""
        name = name or f"file-{os.urandom(4).hex()}"
        root = self._path if self._path is not None else self.download()
        target = f"{root.rstrip('/')}/{name}" if _store.is_remote(root) else os.path.join(root, name)
        return FlyteFile(target, remote_path=target if _store.is_remote(root) or self._remote_path else None)

    def new_dir(self, name: str | None = None) -> FlyteDirectory:
        """A folder inside this folder."""
        name = name or f"dir-{os.urandom(4).hex()}"
        root = self._path if self._path is not None else self.download()
        if _store.is_remote(root):
            return FlyteDirectory(f"{root.rstrip('/')}/{name}", remote_path=f"{root.rstrip('/')}/{name}")
        os.makedirs(os.path.join(root, name), exist_ok=True)
        return FlyteDirectory(os.path.join(root, name))

    def crawl(self, maxdepth: int | None = None, topdown: bool = True, **kwargs: Any) -> Iterator[tuple[str, str]]:
        """``(folder, relative path)`` of every file, without fetching them."""
        root = self._root()
        fs, path = _store.filesystem(root)
        base = path.rstrip("/")
        found = fs.find(path, maxdepth=maxdepth, **kwargs)
        for item in sorted(found, reverse=not topdown):
            yield root, item[len(base) + 1:]

    @classmethod
    def listdir(cls, directory: FlyteDirectory) -> list[FlyteFile | FlyteDirectory]:
        """The entries of a folder as ``FlyteFile`` / ``FlyteDirectory`` values (not fetched)."""
        root = directory._root()
        in_store = root == directory._remote_source  # entries are read as copies, never in place
        fs, path = _store.filesystem(root)
        entries: list[FlyteFile | FlyteDirectory] = []
        for info in sorted(fs.ls(path, detail=True), key=lambda i: i["name"]):
            name = info["name"].rstrip("/").rsplit("/", 1)[-1]
            address = f"{root.rstrip('/')}/{name}" if _store.is_remote(root) else os.path.join(root, name)
            entry: FlyteFile | FlyteDirectory
            if info.get("type") == "directory":
                entry = FlyteDirectory._stored(address) if in_store else FlyteDirectory(address)
            else:
                entry = FlyteFile._stored(address) if in_store else FlyteFile(address)
            entries.append(entry)
        return entries
