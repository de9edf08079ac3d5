"""Conditions of a ``conditional``, evaluated: one definition for every back end.

The interpreter, the parallel executors and generated modules all decide a
``conditional``'s branch with these functions, so a comparison that cannot be made
fails with the same located error everywhere.

=================  ===================================================================
IR condition       meaning
=================  ===================================================================
``Comparison``     ``left <op> right`` with ``op`` in :data:`COMPARISONS`; a
                   ``TypeError`` (``"a" < 1``) is an :class:`InputValidationError`
                   naming the conditional
``BoolOp``         ``and`` / ``or``, short-circuit: the right side is not evaluated
                   (nor its bindings resolved) when the left side decides
``UnaryCheck``     ``is_true`` / ``is_false`` / ``is_none``: identity with ``True`` /
                   ``False`` / ``None`` (:data:`UNARY_CHECKS`), never truthiness
=================  ===================================================================

Resolving the bindings a condition reads is the caller's (``value``): the interpreter
reads its value table, generated code passes values it already holds.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from flowgen.errors import InputValidationError
from flowgen.ir.model import Binding, BoolOp, Comparison, Condition, UnaryCheck

__all__ = ["COMPARISONS", "UNARY_CHECKS", "compare", "evaluate", "unary_check"]

COMPARISONS: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}

UNARY_CHECKS: dict[str, bool | None] = {"is_true": True, "is_false": False, "is_none": None}


def compare(left: Any, op: str, right: Any, describe: Callable[[], str]) -> bool:
    """``left <op> right`` as a bool; values that cannot be compared are a located error."""
    try:
        return bool(COMPARISONS[op](left, right))
    except TypeError as exc:
        raise InputValidationError(f"{describe()}: cannot compare {left!r} {op} {right!r}: {exc}") from None


def unary_check(value: Any, check: str) -> bool:
    """``is_true`` / ``is_false`` / ``is_none``: identity, so ``1`` is not true and ``0`` not false."""
    return value is UNARY_CHECKS[check]


def evaluate(condition: Condition, value: Callable[[Binding], Any], describe: Callable[[], str]) -> bool:
    """Whether ``condition`` holds, with ``value(binding)`` giving the value a binding reads."""
    if isinstance(condition, Comparison):
        return compare(value(condition.left), condition.op, value(condition.right), describe)
    if isinstance(condition, BoolOp):
        first = evaluate(condition.left, value, describe)
        if condition.op == "and":
            return first and evaluate(condition.right, value, describe)
        return first or evaluate(condition.right, value, describe)
    if isinstance(condition, UnaryCheck):
        return unary_check(value(condition.operand), condition.check)
    raise TypeError(f"unknown condition {condition!r}")  # pragma: no cover - the IR union is closed
