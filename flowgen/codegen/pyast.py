"""Small constructors of Python AST nodes, shared by the emitter's parts.

Every user string enters a generated module through :func:`const` (an ``ast.Constant``),
so none can inject code; keyword names that are not identifiers go through ``**{...}``.
"""

from __future__ import annotations

import ast
from typing import Any

from flowgen.codegen.names import is_identifier

__all__ = ["COMPARE_OPS", "assign", "assign_many", "call", "const", "load", "store", "subscript"]

COMPARE_OPS: dict[str, ast.cmpop] = {
    "==": ast.Eq(), "!=": ast.NotEq(), "<": ast.Lt(), "<=": ast.LtE(), ">": ast.Gt(), ">=": ast.GtE(),
}


def load(id_: str) -> ast.Name:
    return ast.Name(id=id_, ctx=ast.Load())


def store(id_: str) -> ast.Name:
    return ast.Name(id=id_, ctx=ast.Store())


def const(value: Any) -> ast.Constant:
    return ast.Constant(value=value)


def call(func: ast.expr, args: list[ast.expr] | None = None, kwargs: list[tuple[str, ast.expr]] | None = None) -> ast.Call:
    """A call; keyword names that are not identifiers go through ``**{"name": value}``."""
    keywords: list[ast.keyword] = []
    odd: list[tuple[str, ast.expr]] = []
    for key, value in kwargs or []:
        if is_identifier(key):
            keywords.append(ast.keyword(arg=key, value=value))
        else:
            odd.append((key, value))
    if odd:
        keywords.append(ast.keyword(arg=None, value=ast.Dict(keys=[const(k) for k, _ in odd],
                                                               values=[v for _, v in odd])))
    return ast.Call(func=func, args=list(args or []), keywords=keywords)


def assign(target: str, value: ast.expr, annotation_expr: ast.expr | None = None) -> ast.stmt:
    if annotation_expr is not None:
        return ast.AnnAssign(target=store(target), annotation=annotation_expr, value=value, simple=1)
    return ast.Assign(targets=[store(target)], value=value, lineno=0)


def assign_many(targets: list[str], value: ast.expr) -> ast.stmt:
    return ast.Assign(targets=[ast.Tuple(elts=[store(t) for t in targets], ctx=ast.Store())], value=value, lineno=0)


def subscript(value: ast.expr, items: list[ast.expr]) -> ast.expr:
    index: ast.expr = items[0] if len(items) == 1 else ast.Tuple(elts=items, ctx=ast.Load())
    return ast.Subscript(value=value, slice=index, ctx=ast.Load())
