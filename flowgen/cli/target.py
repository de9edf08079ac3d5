"""Loading ``FILE.py:NAME`` or ``package.module:NAME`` targets for ``run`` and ``compile``."""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from types import ModuleType
from typing import Any

import click

from flowgen.ir.refs import module_name_for_path

__all__ = ["TargetError", "load_module", "load_target", "split_target"]


class TargetError(click.ClickException):
    """A target that names no loadable workflow; click prints it as ``Error: ...`` and exits 2."""

    exit_code = 2


def split_target(target: str) -> tuple[str, str]:
    module, sep, name = target.rpartition(":")
    if not sep or not module or not name:
        raise TargetError(f"{target!r} is not a target: write FILE.py:WORKFLOW or package.module:WORKFLOW")
    return module, name


def _package_root(path: str) -> str:
    directory = os.path.dirname(path)
    while os.path.isfile(os.path.join(directory, "__init__.py")):
        directory = os.path.dirname(directory)
    return directory


def load_module(spec: str) -> ModuleType:
    """Import a module by file path (with its package context) or by dotted name."""
    if spec.endswith(".py") or os.sep in spec or os.path.exists(spec):
        path = os.path.abspath(spec)
        if not os.path.isfile(path):
            raise TargetError(f"no such file: {spec}")
        root = _package_root(path)
        if root not in sys.path:
            sys.path.insert(0, root)
        name = module_name_for_path(path)
        existing = sys.modules.get(name)
        if existing is not None and os.path.abspath(getattr(existing, "__file__", "") or "") == path:
            return existing
        module_spec = importlib.util.spec_from_file_location(name, path)
        if module_spec is None or module_spec.loader is None:
            raise TargetError(f"cannot load {spec} as a Python module")
        module = importlib.util.module_from_spec(module_spec)
        sys.modules[name] = module
        try:
            module_spec.loader.exec_module(module)
        except SyntaxError as exc:
            sys.modules.pop(name, None)
            raise TargetError(_syntax_error(exc)) from None
        except BaseException:
            sys.modules.pop(name, None)
            raise
        return module
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        return importlib.import_module(spec)
    except ModuleNotFoundError as exc:
        if exc.name and spec.startswith(exc.name):
            raise TargetError(f"no module named {spec!r} (looked in the current directory and sys.path)") from None
        raise


def _syntax_error(exc: SyntaxError) -> str:
    """``file:line:col: SyntaxError: msg``, then the line and a caret (no traceback: nothing ran)."""
    where = f"{exc.filename}:{exc.lineno}" + (f":{exc.offset}" if exc.offset else "")
    text = f"{where}: {type(exc).__name__}: {exc.msg}"
    if exc.text:
        line = exc.text.rstrip("\n")
        stripped = line.lstrip()
        text += f"\n    {stripped}"
        if exc.offset:
            text += "\n    " + " " * max(exc.offset - 1 - (len(line) - len(stripped)), 0) + "^"
    return text


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
