"""The extension point for files, folders and tables: the IR names them, :mod:`flowgen.data` runs them.

Their specs (:class:`~flowgen.ir.types.FileType`, ``DirectoryType``, ``TableType``) are part of
the IR, but validating, storing and encoding their values needs fsspec (and pandas/pyarrow),
which a program without them never imports. :mod:`flowgen.data` registers its
implementation here when it is imported (every program that uses these types imports it,
through ``FlyteFile`` and friends); a spec met first, say in an IR read from JSON, imports it
by name. So the IR depends on no data-plane module, and the data plane on the IR.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, Protocol

__all__ = ["DataPlane", "plane", "register"]


class DataPlane(Protocol):
    def checker(self, spec: Any) -> Callable[[Any], Any]:
        """Validate-and-store for a file, folder or table spec."""

    def delivering(self, spec: Any, check: Callable[[Any], Any]) -> Callable[[Any], Any]:
        """``check`` followed by reading stored tables into frames (a task's inputs)."""

    def to_json(self, value: Any, spec: Any) -> Any: ...

    def from_json(self, data: Any, spec: Any) -> Any: ...


_plane: DataPlane | None = None


def register(implementation: DataPlane) -> None:
    global _plane
    _plane = implementation


def plane() -> DataPlane:
    if _plane is None:
        importlib.import_module("flowgen.data")  # registers itself
    assert _plane is not None, "flowgen.data did not register its data plane"
    return _plane
