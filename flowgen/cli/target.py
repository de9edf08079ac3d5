"""Loading ``FILE.py:NAME`` or ``package.module:NAME`` targets for ``run`` and ``compile``."""

from __future__ import annotations

import importlib
import os
import sys
from types import ModuleType
from typing import Any

import click

from flowgen.discovery import SourceError, import_file

__all__ = ["TargetError", "load_module", "load_target", "split_target"]


class TargetError(click.ClickException):
    """A target that names no loadable workflow; click prints it as ``Error: ...`` and exits 2."""

    exit_code = 2


def split_target(target: str) -> tuple[str, str]:
    module, sep, name = target.rpartition(":")
    if not sep or not module or not name:
        raise TargetError(f"{target!r} is not a target: write FILE.py:WORKFLOW or package.module:WORKFLOW")
    return module, name


def load_module(spec: str) -> ModuleType:
    """Import a module by file path (with its package context) or by dotted name."""
    if spec.endswith(".py") or os.sep in spec or os.path.exists(spec):
        try:
            return import_file(spec)
        except SourceError as exc:
            raise TargetError(str(exc)) from None
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        return importlib.import_module(spec)
    except ModuleNotFoundError as exc:
        if exc.name and spec.startswith(exc.name):
            raise TargetError(f"no module named {spec!r} (looked in the current directory and sys.path)") from None
        raise


def load_target(target: str, kinds: tuple[type, ...]) -> Any:
    module_spec, name = split_target(target)
    module = load_module(module_spec)
    obj = getattr(module, name, None)
    if obj is None or not isinstance(obj, kinds):
        found = sorted(k for k, v in vars(module).items() if isinstance(v, kinds))
        what = " or ".join(k.__name__.lower() for k in kinds)
        kind = getattr(obj, "kind", None)
        if isinstance(kind, str):  # a task or a @dynamic
            raise TargetError(f"{module_spec}: {name!r} is a {kind}, not a {what}; "
                              f"`flowgen run` runs workflows: call it from a @workflow")
        listing = f"; {what}s there: {', '.join(found)}" if found else f"; it defines no {what}"
        raise TargetError(f"{module_spec} has no {what} named {name!r}{listing}")
    return obj
