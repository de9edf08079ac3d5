"""Conditions: comparisons of Promises are for ``conditional()``, never for Python's ``if``.

``p > 3``, ``p == q``, ``p.is_true()`` and ``c1 & c2`` build a ``ConditionExpr``,
which ``conditional().if_(...)`` takes. Python taking its truth value raises at run
time, so each such expression is reported (``flowgen-promise``) when it stands where
Python tests truth:

========================================================  ============================
where                                                     example
========================================================  ============================
``if``/``elif``/``while``/``assert`` test                 ``if p > 3:``
operand of ``not``, left of ``and``/``or``                ``ok = p.is_true() and ...``
ternary or comprehension condition                        ``a if p == 1 else b``
a chained comparison (Python ``and``s its parts)          ``0 < p < 10``
========================================================  ============================

mypy has no hook on truth testing itself, so the hooks are on the comparison (and
``is_true``/``&``/``|``) calls, and "where" is a syntactic index of the enclosing
function's boolean contexts, built once per function. The truthiness of a Promise
itself (``if p:``), ``p == 1`` and ``3 < p`` in a condition are probes.py's.
"""

from __future__ import annotations

from mypy.nodes import ComparisonExpr, Expression, FuncDef
from mypy.plugin import MethodContext
from mypy.types import Type

import flowgen.mypy_plugin.codes as codes
from flowgen.mypy_plugin.messages import report, report_operator
from flowgen.mypy_plugin.syntax import boolean_contexts, walk

CONDITION_BUILDERS = frozenset(
    {"__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "is_true", "is_false", "is_none"}
)

BRANCHING_MESSAGE = (
    "Python branching on a condition built from Promises: its value is known only when the workflow runs"
)
BRANCHING_HINT = (
    'use conditional("name").if_(cond).then(...).else_().then(...), or make this a @dynamic; '
    "combine conditions with & and |"
)
_index: dict[FuncDef, frozenset[int]] = {}
_index_tree: list[object] = [None]


def _tested(func: FuncDef, tree: object) -> frozenset[int]:
    """Ids of the expressions in ``func``'s own body whose truth value Python takes."""
    if _index_tree[0] is not tree:  # a new module: the old index is no longer needed
        _index.clear()
        _index_tree[0] = tree
    known = _index.get(func)
    if known is None:
        known = frozenset(id(e) for node in walk(func.body) for e in boolean_contexts(node))
        _index[func] = known
    return known


def _in_boolean_context(ctx: MethodContext, expr: Expression) -> bool:
    scope = getattr(ctx.api, "scope", None)
    func = scope.current_function() if scope is not None else None
    if not isinstance(func, FuncDef):
        return False
    return id(expr) in _tested(func, getattr(ctx.api, "tree", None))


def condition_built(ctx: MethodContext) -> Type:
    expr = ctx.context
    if isinstance(expr, ComparisonExpr) and len(expr.operators) > 1:
        report(
            ctx.api,
            "Chained comparison of a Promise: Python tests the truth of each part, which is known only "
            "when the workflow runs",
            expr,
            codes.FLOWGEN_PROMISE,
            "combine conditions with &: (a < p) & (p < b)",
        )
    elif isinstance(expr, Expression) and _in_boolean_context(ctx, expr):
        report_operator(ctx.api, BRANCHING_MESSAGE, expr, codes.FLOWGEN_PROMISE, BRANCHING_HINT)
    return ctx.default_return_type
