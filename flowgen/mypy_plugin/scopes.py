"""Which kind of body is being checked: a @workflow's, a @dynamic's, or neither.

The checker's scope stack gives the innermost function being checked; a per-module
index (built once per parsed tree, by walking its statements for decorators) maps
each decorated ``FuncDef`` to the flowgen kind of its decorator. Lambdas and nested
``def``s inside a body are plain Python run at trace time: only the decorated
function's own statements are a body.
"""

from __future__ import annotations

from mypy.nodes import (
    CallExpr,
    Decorator,
    Expression,
    FuncDef,
    MypyFile,
    RefExpr,
)
from mypy.plugin import CheckerPluginInterface

import flowgen.mypy_plugin.names as names
from flowgen.mypy_plugin.walk import decorators

_index: dict[str, tuple[MypyFile, dict[FuncDef, str]]] = {}


def decorator_kind(expr: Expression) -> str | None:
    target = expr.callee if isinstance(expr, CallExpr) else expr
    if isinstance(target, RefExpr):
        return names.DECORATORS.get(target.fullname)
    return None


def kind_of(decorator: Decorator) -> str | None:
    for expr in decorator.original_decorators:
        kind = decorator_kind(expr)
        if kind is not None:
            return kind
    return None


def body_kind(api: CheckerPluginInterface) -> str | None:
    """"workflow" or "dynamic" when the innermost function being checked is one."""
    scope = getattr(api, "scope", None)
    tree = getattr(api, "tree", None)
    if scope is None or tree is None:  # pragma: no cover - not mypy's TypeChecker
        return None
    func = scope.current_function()
    if not isinstance(func, FuncDef) or not func.is_decorated:
        return None
    kind = _kinds(tree).get(func)
    return kind if kind in ("workflow", "dynamic") else None


def in_eager_body(api: CheckerPluginInterface) -> bool:
    """Whether the innermost function being checked is an ``@eager`` body (task calls are awaited there)."""
    scope = getattr(api, "scope", None)
    tree = getattr(api, "tree", None)
    if scope is None or tree is None:  # pragma: no cover - not mypy's TypeChecker
        return False
    func = scope.current_function()
    return isinstance(func, FuncDef) and func.is_decorated and _kinds(tree).get(func) == "eager"


def _kinds(tree: MypyFile) -> dict[FuncDef, str]:
    cached = _index.get(tree.fullname)
    if cached is not None and cached[0] is tree:
        return cached[1]
    kinds = {}
    for decorator in decorators(tree.defs):
        kind = kind_of(decorator)
        if kind is not None:
            kinds[decorator.func] = kind
    _index[tree.fullname] = (tree, kinds)
    return kinds

