"""Names for user code: ``"module:QualName"`` references and their resolution.

The IR never holds Python objects, only references. A reference is made from a
live object with :func:`ref_of` and turned back with :func:`resolve`: first from
the registry of objects seen in this process (fast, and the only way for
objects defined in ``__main__``), then by import.

A function or class defined in a script run as ``__main__`` is named after the
module the script *would* have when imported (derived from its file path), so a
workflow has the same IR, node names and cache keys whether it is run as a
script, through ``flowgen run`` or compiled statically.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

__all__ = ["module_name_for_path", "ref_of", "register", "resolve"]

_registry: dict[str, Any] = {}


def module_name_for_path(path: str) -> str:
    """The dotted module name of a file, walking up through packages (``__init__.py``)."""
    path = os.path.abspath(path)
    directory, filename = os.path.split(path)
    parts = [os.path.splitext(filename)[0]]
    if parts[0] == "__init__":
        parts = []
    while os.path.isfile(os.path.join(directory, "__init__.py")):
        directory, package = os.path.split(directory)
        parts.insert(0, package)
    return ".".join(parts) or os.path.splitext(filename)[0]


def _module_of(obj: Any) -> str:
    module = getattr(obj, "__module__", None) or "__main__"
    if module == "__main__":
        main_file = getattr(sys.modules.get("__main__"), "__file__", None)
        if main_file:
            return module_name_for_path(main_file)
    return module


def ref_of(obj: Any) -> str:
    """The reference of a function or class, registering it for :func:`resolve`."""
    ref = f"{_module_of(obj)}:{obj.__qualname__}"
    _registry[ref] = obj
    return ref


def register(ref: str, obj: Any) -> None:
    _registry[ref] = obj


def resolve(ref: str) -> Any:
    """The object a reference names; raises ``LookupError`` with the reason."""
    try:
        return _registry[ref]
    except KeyError:
        pass
    module_name, _, qualname = ref.partition(":")
    try:
        obj: Any = importlib.import_module(module_name)
    except ImportError as exc:
        raise LookupError(f"cannot import module {module_name!r} for {ref!r}: {exc}") from exc
    for part in qualname.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise LookupError(f"module {module_name!r} has no {qualname!r}") from None
    _registry[ref] = obj
    return obj
