# ruff: noqa  -- input for mypy: deliberate mistakes and reveal_type()
"""Using a Promise as its value: flowgen-promise (and mypy's truthy-bool for truthiness)."""

from flowgen import workflow

from .tasks import double, name_of


@workflow
def misuse(x: int, xs: list[int]) -> int:
    y = double(x=x)
    y + 1
    # MYPY: error: Arithmetic (`+`) on a Promise in a workflow body: "Promise[int]" has no value until the workflow runs; pass it to a task that computes it  [flowgen-promise]
    1 + y
    # MYPY: error: Arithmetic (`+`) on a Promise in a workflow body: "Promise[int]" has no value until the workflow runs; pass it to a task that computes it  [flowgen-promise]
    -y
    # MYPY: error: Arithmetic (`-`) on a Promise in a workflow body: "Promise[int]" has no value until the workflow runs; pass it to a task that computes it  [flowgen-promise]
    y += 1
    # MYPY: error: Arithmetic (`+=`) on a Promise in a workflow body: "Promise[int]" has no value until the workflow runs; pass it to a task that computes it  [flowgen-promise]
    for item in xs:
    # MYPY: error: Iterating over (or unpacking) a Promise in a workflow body: "Promise[list[int]]" has no value until the workflow runs; make this a @dynamic, or use map_task()  [flowgen-promise]
        pass
    a, b = xs
    # MYPY: error: Iterating over (or unpacking) a Promise in a workflow body: "Promise[list[int]]" has no value until the workflow runs; make this a @dynamic, or use map_task()  [flowgen-promise]
    len(xs)
    # MYPY: error: `len()` of a Promise in a workflow body: "Promise[list[int]]" has no value until the workflow runs; pass it to a task that needs the length, or make this a @dynamic  [flowgen-promise]
    str(y)
    # MYPY: error: `str()` of a Promise in a workflow body: "Promise[int]" has no value until the workflow runs; pass it to a task that formats it  [flowgen-promise]
    f"{y}"
    # MYPY: error: Formatting a Promise (f-string or `format()`) in a workflow body: "Promise[int]" has no value until the workflow runs; pass it to a task that formats it  [flowgen-promise]
    range(y)
    # MYPY: error: Using a Promise as an integer (`range()`) in a workflow body: "Promise[int]" has no value until the workflow runs; make this a @dynamic  [flowgen-promise]
    int(y)
    # MYPY: error: `int()` of a Promise in a workflow body: "Promise[int]" has no value until the workflow runs; pass it to a task  [flowgen-promise]
    print(y)
    # MYPY: error: Printing a Promise in a workflow body: "Promise[int]" has no value until the workflow runs; its value exists only when the workflow runs; print in a task  [flowgen-promise]
    y()
    # MYPY: error: Calling a Promise in a workflow body: "Promise[int]" has no value until the workflow runs; Promises are values; pass it to a task  [flowgen-promise]
    3 in xs
    # MYPY: error: `in` on a Promise in a workflow body: "Promise[list[int]]" has no value until the workflow runs; pass it to a task, or make this a @dynamic  [flowgen-promise]
    if y:
    # MYPY: error: Truth value of a Promise (`if`, `while`, `not`, `and`/`or`, a conditional expression) in a workflow body: "Promise[int]" has no value until the workflow runs; use conditional("name").if_(p.is_true()).then(...).else_().then(...), or make this a @dynamic  [flowgen-promise]
        pass
    if not x:
    # MYPY: error: Truth value of a Promise (`if`, `while`, `not`, `and`/`or`, a conditional expression) in a workflow body: "Promise[int]" has no value until the workflow runs; use conditional("name").if_(p.is_true()).then(...).else_().then(...), or make this a @dynamic  [flowgen-promise]
        pass
    if y > 3:
    # MYPY: error: Python branching on a condition built from Promises: its value is known only when the workflow runs; use conditional("name").if_(cond).then(...).else_().then(...), or make this a @dynamic; combine conditions with & and |  [flowgen-promise]
        pass
    while y.is_true():
    # MYPY: error: Python branching on a condition built from Promises: its value is known only when the workflow runs; use conditional("name").if_(cond).then(...).else_().then(...), or make this a @dynamic; combine conditions with & and |  [flowgen-promise]
        break
    z = double(x=y) if y > 2 else 0
    # MYPY: error: Python branching on a condition built from Promises: its value is known only when the workflow runs; use conditional("name").if_(cond).then(...).else_().then(...), or make this a @dynamic; combine conditions with & and |  [flowgen-promise]
    0 < y < 10
    # MYPY: error: Chained comparison of a Promise: Python tests the truth of each part, which is known only when the workflow runs; combine conditions with &: (a < p) & (p < b)  [flowgen-promise]
    # MYPY: error: Unsupported operand types for < ("int" and "Promise[int]")  [operator]
    repr(y)  # allowed: for debugging
    [1, 2, 3][y]
    # MYPY: error: Indexing with a Promise as the index in a workflow body: "Promise[int]" has no value until the workflow runs; pass the container and the index to a task, or make this a @dynamic  [flowgen-promise]
    {"a": 1}[name_of(n=x)]
    # MYPY: error: Invalid index type "Promise[str]" for "dict[str, int]"; expected type "str"  [index]
    "abc"[x]
    # MYPY: error: Indexing with a Promise as the index in a workflow body: "Promise[int]" has no value until the workflow runs; pass the container and the index to a task, or make this a @dynamic  [flowgen-promise]
    (1, 2)[0]  # a constant index is fine
    return double(x=y)


@workflow
def silenced(x: int) -> str:
    x + 1  # type: ignore[flowgen-promise]
    return name_of(n=x)
