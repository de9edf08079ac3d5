# ruff: noqa  -- input for mypy: deliberate mistakes and reveal_type()
"""Attributes and indexes of a Promise are Promises of the member's type."""

from typing import Optional

from flowgen import workflow

from .tasks import Point, double, make_point, scale


@workflow
def access(p: Point, op: Optional[Point], xs: list[int], d: dict[str, float], t: tuple[int, str]) -> float:
    reveal_type(p.x)
    # MYPY: note: Revealed type is "flowgen.tracing.promise.Promise[int]"
    reveal_type(op.y)  # Optional is looked through, as at run time
    # MYPY: note: Revealed type is "flowgen.tracing.promise.Promise[float]"
    reveal_type(xs[0])
    # MYPY: note: Revealed type is "flowgen.tracing.promise.Promise[int]"
    reveal_type(d["k"])
    # MYPY: note: Revealed type is "flowgen.tracing.promise.Promise[float]"
    reveal_type(t[1])
    # MYPY: note: Revealed type is "flowgen.tracing.promise.Promise[str]"
    reveal_type(make_point(x=xs[0]).y)
    # MYPY: note: Revealed type is "flowgen.tracing.promise.Promise[float]"
    p.z
    # MYPY: error: "Promise[Point]" has no field "z"; "Point" has fields: x, y  [flowgen-wiring]
    t[2]
    # MYPY: error: Cannot index "Promise[tuple[int, str]]" with "int"; lists and tuples take constant int indexes, dicts constant str keys  [flowgen-wiring]
    d[0]
    # MYPY: error: Cannot index "Promise[dict[str, float]]" with "int"; lists and tuples take constant int indexes, dicts constant str keys  [flowgen-wiring]
    i = double(x=1)
    xs[i]
    # MYPY: error: Indexing with a Promise: the index is known only when the workflow runs; pass both to a task, or make this a @dynamic  [flowgen-promise]
    return scale(value=p.y)
