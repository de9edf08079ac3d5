"""The plugin never crashes mypy: every checker hook runs behind :func:`guarded`.

Two ways a hook could fail:

- **flowgen's own types are not visible to mypy.** The plugin is imported by Python
  (it only needs ``flowgen.mypy_plugin`` to be importable), but mypy resolves
  ``flowgen`` through its own search path, which an import hook (setuptools' editable
  finder) or a missing ``mypy_path`` hides. Without ``flowgen.tracing.promise`` the
  plugin cannot build a single Promise type. Then the hook does nothing (mypy's own
  result stands) and the plugin reports, once per run, one ``flowgen-install`` error
  saying how to fix the install; mypy carries on.
- **a bug in the plugin.** The exception becomes one ``flowgen-internal`` error at the
  expression (with the exception's text), mypy's own result stands, and mypy carries on.
  ``FLOWGEN_DEBUG=1`` re-raises instead, for a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar

from mypy.errors import CompileError
from mypy.nodes import Context, ImportBase, ImportFrom, MypyFile
from mypy.plugin import (
    AttributeContext,
    FunctionContext,
    FunctionSigContext,
    MethodContext,
    MethodSigContext,
)

import flowgen.mypy_plugin.codes as codes
import flowgen.mypy_plugin.names as names

_C = TypeVar("_C", FunctionContext, MethodContext, FunctionSigContext, MethodSigContext, AttributeContext)
_R = TypeVar("_R")

INSTALL_MESSAGE = (
    "flowgen's mypy plugin is enabled, but mypy cannot find flowgen's types (\"flowgen.tracing.promise\"), "
    "so no workflow is checked. Install flowgen into the environment mypy checks (`pip install flowgen`, "
    "or `pip install -e .` in a checkout, which installs a path that mypy can follow), or, for a source "
    "checkout, set `mypy_path` (or MYPYPATH) to the checkout's `stubs` directory and the checkout"
)

_reported_install: list[bool] = [False]


def guarded(hook: Callable[[_C], _R]) -> Callable[[_C], _R]:
    """``hook`` that falls back to mypy's own result instead of failing (see the module docstring)."""

    def run(ctx: _C) -> _R:
        if not _flowgen_visible(ctx.api):
            _report_install(ctx.api, ctx.context)
            return _default(ctx)
        try:
            return hook(ctx)
        except CompileError:
            raise
        except Exception as error:
            if os.environ.get("FLOWGEN_DEBUG"):
                raise
            ctx.api.fail(
                f"flowgen's mypy plugin failed here ({type(error).__name__}: {error}); mypy's own types are "
                "used instead. Please report this (FLOWGEN_DEBUG=1 shows a traceback)",
                ctx.context,
                code=codes.FLOWGEN_INTERNAL,
            )
            return _default(ctx)

    return run


def _flowgen_visible(api: Any) -> bool:
    modules = getattr(api, "modules", None)
    return not isinstance(modules, dict) or names.MARKER_MODULE in modules


def _report_install(api: Any, context: Context) -> None:
    """Once per run, and only in a module that imports flowgen (another project's ``len()``
    with the plugin enabled and no flowgen in sight is no install problem)."""
    if _reported_install[0]:
        return
    tree = getattr(api, "tree", None)
    line = _flowgen_import(tree) if isinstance(tree, MypyFile) else None
    if line is None:
        return
    _reported_install[0] = True
    # Past any error filter the hook may run under (mypy tries some calls speculatively).
    errors = getattr(getattr(api, "msg", None), "errors", None)
    watchers = getattr(errors, "_watchers", None)
    saved = watchers[:] if isinstance(watchers, list) else None
    if saved is not None:
        watchers.clear()
    try:
        api.fail(INSTALL_MESSAGE, line, code=codes.FLOWGEN_INSTALL)
    finally:
        if saved is not None:
            watchers[:] = saved


def _flowgen_import(tree: MypyFile) -> ImportBase | None:
    for node in tree.imports:
        ids = [node.id] if isinstance(node, ImportFrom) else [i for i, _ in getattr(node, "ids", [])]
        if any(i == "flowgen" or i.startswith("flowgen.") for i in ids):
            return node
    return None


def _default(ctx: Any) -> Any:
    if isinstance(ctx, (FunctionContext, MethodContext)):
        return ctx.default_return_type
    if isinstance(ctx, (FunctionSigContext, MethodSigContext)):
        return ctx.default_signature
    return ctx.default_attr_type


def reset() -> None:
    """A new run (a new plugin instance) may report the install problem again."""
    _reported_install[0] = False
