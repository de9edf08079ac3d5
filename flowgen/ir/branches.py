"""What a ``conditional`` produces when its branches return different things (flytekit's rule).

=========================================  ==========================================
branches                                   the conditional's outputs
=========================================  ==========================================
every branch returns ``n`` values          ``o0`` .. ``o{n-1}``
some return more than others               the outputs all of them have: the first
                                           ``min(n)`` (flytekit intersects by name)
a branch returns nothing (a task with no   none: the conditional is void, usable only
outputs), and is not a ``fail``            for its effects (using its result is FG211)
``else_().fail(...)``                      not counted: it produces no value
=========================================  ==========================================

Both front ends call :func:`branch_arity`, so ``flowgen check`` and the tracer agree.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["branch_arity"]


def branch_arity(counts: Sequence[int]) -> int:
    """How many outputs a conditional has, given how many values each non-``fail`` branch returns."""
    if not counts or any(n == 0 for n in counts):
        return 0
    return min(counts)
