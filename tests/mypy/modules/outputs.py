# ruff: noqa  -- input for mypy: deliberate mistakes and reveal_type()
"""Multiple outputs: tuples of Promises with the right arity; NamedTuples keep their fields."""

from flowgen import workflow

from .tasks import Fit, double, fit, split


@workflow
def outputs(text: str, xs: list[float]) -> tuple[str, int]:
    head, size = split(text=text)
    reveal_type(head)
    # MYPY: note: Revealed type is "flowgen.tracing.promise.Promise[str]"
    reveal_type(size)
    # MYPY: note: Revealed type is "flowgen.tracing.promise.Promise[int]"
    a, b, c = split(text=text)
    # MYPY: error: Need more than 2 values to unpack (3 expected)  [misc]
    out = fit(xs=xs)
    reveal_type(out)
    # MYPY: note: Revealed type is "tuple[flowgen.tracing.promise.Promise[float], flowgen.tracing.promise.Promise[float], fallback=tests.mypy.modules.tasks.Fit]"
    reveal_type(out.slope)
    # MYPY: note: Revealed type is "flowgen.tracing.promise.Promise[float]"
    s, i = fit(xs=xs)
    reveal_type(i)
    # MYPY: note: Revealed type is "flowgen.tracing.promise.Promise[float]"
    out.curvature
    # MYPY: error: "Fit" has no attribute "curvature"  [attr-defined]
    return head, double(x=size)


@workflow
def returns_fit(xs: list[float]) -> Fit:
    out = fit(xs=xs)
    return Fit(slope=out.intercept, intercept=out.slope)  # built from Promises


reveal_type(outputs)
# MYPY: note: Revealed type is "flowgen.dsl.entities.Workflow[[text: str, xs: list[float]], tuple[str, int]]"
reveal_type(returns_fit)
# MYPY: note: Revealed type is "flowgen.dsl.entities.Workflow[[xs: list[float]], tuple[float, float, fallback=tests.mypy.modules.tasks.Fit]]"
