# ruff: noqa  -- input for mypy: deliberate mistakes and reveal_type()
"""Operators mypy tries both ways, and library functions that need a Promise's value."""

import json
import math

from flowgen import workflow

from .tasks import double


@workflow
def library_calls(x: int, xs: list[int]) -> int:
    y = double(x=x)
    2 * y
    # MYPY: error: Arithmetic (`*`) on a Promise in a workflow body: "Promise[int]" has no value until the workflow runs; pass it to a task that computes it  [flowgen-promise]
    10 - y
    # MYPY: error: Arithmetic (`-`) on a Promise in a workflow body: "Promise[int]" has no value until the workflow runs; pass it to a task that computes it  [flowgen-promise]
    if y == 3:
    # MYPY: error: Python branching on a condition built from Promises: its value is known only when the workflow runs; use conditional("name").if_(cond).then(...).else_().then(...), or make this a @dynamic; combine conditions with & and |  [flowgen-promise]
        pass
    if y != 3:
    # MYPY: error: Python branching on a condition built from Promises: its value is known only when the workflow runs; use conditional("name").if_(cond).then(...).else_().then(...), or make this a @dynamic; combine conditions with & and |  [flowgen-promise]
        pass
    same = y == 3  # a condition, for conditional(): fine
    divmod(y, 2)
    # MYPY: error: Arithmetic (`divmod()`) on a Promise in a workflow body: "Promise[int]" has no value until the workflow runs; pass it to a task that computes it  [flowgen-promise]
    math.trunc(y)
    # MYPY: error: `math.trunc()` of a Promise in a workflow body: "Promise[int]" has no value until the workflow runs; pass it to a task that computes it  [flowgen-promise]
    math.sqrt(y)
    # MYPY: error: `math.sqrt()` of a Promise in a workflow body: "Promise[int]" has no value until the workflow runs; pass it to a task that computes it  [flowgen-promise]
    json.dumps(y)
    # MYPY: error: `json.dumps()` of a Promise in a workflow body: "Promise[int]" has no value until the workflow runs; pass it to a task that serializes it  [flowgen-promise]
    any(xs)
    # MYPY: error: Iterating over a Promise (`any()`) in a workflow body: "Promise[list[int]]" has no value until the workflow runs; pass it to a task that computes it  [flowgen-promise]
    reversed(xs)
    # MYPY: error: Iterating over a Promise (`reversed()`) in a workflow body: "Promise[list[int]]" has no value until the workflow runs; make this a @dynamic, or use map_task()  [flowgen-promise]
    hex(y)
    # MYPY: error: `hex()` of a Promise in a workflow body: "Promise[int]" has no value until the workflow runs; pass it to a task that formats it  [flowgen-promise]
    xs[0] = 1
    # MYPY: error: Assigning into a Promise in a workflow body: "Promise[list[int]]" has no value until the workflow runs; build a new value in a task  [flowgen-promise]
    del xs[0]
    # MYPY: error: Deleting from a Promise in a workflow body: "Promise[list[int]]" has no value until the workflow runs; build a new value in a task  [flowgen-promise]
    f"{y!r}"  # repr() of a Promise is for debugging
    "{0!r} {v!r}".format(y, v=y)
    f"{y!r} {y}"
    # MYPY: error: Formatting a Promise (f-string or `format()`) in a workflow body: "Promise[int]" has no value until the workflow runs; pass it to a task that formats it  [flowgen-promise]
    return y
