# ruff: noqa  -- input for mypy: deliberate mistakes
"""Misuses no mypy hook sees (probes.py), under any settings; plain values pass."""

import functools
from typing import Optional

from flowgen import dynamic, map_task, task, workflow

from .tasks import double


@task
def rated(x: int, rate: float) -> float:
    return x * rate


@workflow
def identity_and_format(x: int, flag: bool) -> int:
    y = double(x=x)
    if y is None:
    # MYPY: error: `is` on a Promise in a workflow body compares the placeholder "Promise[int]", not its value: it is always the same answer; use p.is_none() in conditional(), or pass it to a task  [flowgen-promise]
        pass
    b = y is not None
    # MYPY: error: `is` on a Promise in a workflow body compares the placeholder "Promise[int]", not its value: it is always the same answer; use p.is_none() in conditional(), or pass it to a task  [flowgen-promise]
    a = "%s" % y
    # MYPY: error: Formatting a Promise (`%`) in a workflow body: "Promise[int]" has no value until the workflow runs; pass it to a task that formats it  [flowgen-promise]
    c = "%s-%s" % (x, 1)
    # MYPY: error: Formatting a Promise (`%`) in a workflow body: "tuple[Promise[int], int]" has no value until the workflow runs; pass it to a task that formats it  [flowgen-promise]
    return double(x=y)


@workflow
def truth(x: int, flag: bool) -> int:
    if x > 100:
    # MYPY: error: Python branching on a condition built from Promises: its value is known only when the workflow runs; use conditional("name").if_(cond).then(...).else_().then(...), or make this a @dynamic; combine conditions with & and |  [flowgen-promise]
        pass
    elif flag:
    # MYPY: error: Truth value of a Promise (`if`, `while`, `not`, `and`/`or`, a conditional expression) in a workflow body: "Promise[bool]" has no value until the workflow runs; use conditional("name").if_(p.is_true()).then(...).else_().then(...), or make this a @dynamic  [flowgen-promise]
        pass
    while flag:
    # MYPY: error: Truth value of a Promise (`if`, `while`, `not`, `and`/`or`, a conditional expression) in a workflow body: "Promise[bool]" has no value until the workflow runs; use conditional("name").if_(p.is_true()).then(...).else_().then(...), or make this a @dynamic  [flowgen-promise]
        break
    z = x if flag else 0
    # MYPY: error: Truth value of a Promise (`if`, `while`, `not`, `and`/`or`, a conditional expression) in a workflow body: "Promise[bool]" has no value until the workflow runs; use conditional("name").if_(p.is_true()).then(...).else_().then(...), or make this a @dynamic  [flowgen-promise]
    ok = flag and x
    # MYPY: error: Truth value of a Promise (`if`, `while`, `not`, `and`/`or`, a conditional expression) in a workflow body: "Promise[bool]" has no value until the workflow runs; use conditional("name").if_(p.is_true()).then(...).else_().then(...), or make this a @dynamic  [flowgen-promise]
    assert flag
    # MYPY: error: Truth value of a Promise (`if`, `while`, `not`, `and`/`or`, a conditional expression) in a workflow body: "Promise[bool]" has no value until the workflow runs; use conditional("name").if_(p.is_true()).then(...).else_().then(...), or make this a @dynamic  [flowgen-promise]
    return double(x=x)


@workflow
def comparisons(x: int) -> int:
    y = double(x=x)
    if 3 == y:
    # MYPY: error: Python branching on a condition built from Promises: its value is known only when the workflow runs; use conditional("name").if_(cond).then(...).else_().then(...), or make this a @dynamic; combine conditions with & and |  [flowgen-promise]
        pass
    if y == 3:
    # MYPY: error: Python branching on a condition built from Promises: its value is known only when the workflow runs; use conditional("name").if_(cond).then(...).else_().then(...), or make this a @dynamic; combine conditions with & and |  [flowgen-promise]
        pass
    if y != x:
    # MYPY: error: Python branching on a condition built from Promises: its value is known only when the workflow runs; use conditional("name").if_(cond).then(...).else_().then(...), or make this a @dynamic; combine conditions with & and |  [flowgen-promise]
        pass
    if 3 < y:
    # MYPY: error: Python branching on a condition built from Promises: its value is known only when the workflow runs; use conditional("name").if_(cond).then(...).else_().then(...), or make this a @dynamic; combine conditions with & and |  [flowgen-promise]
        pass
    c = y == 3  # a condition for conditional(): fine
    return double(x=y)


@workflow
def items(x: int) -> int:
    y = double(x=x)
    s = sum([y, y])
    # MYPY: error: List item 0 has incompatible type "Promise[int]"; expected "bool"  [list-item]
    # MYPY: error: List item 1 has incompatible type "Promise[int]"; expected "bool"  [list-item]
    j = "".join([str(x) for x in range(3)])
    return double(x=y)


@workflow
def partial_inputs(xs: list[int]) -> list[float]:
    return map_task(functools.partial(rated, rate="10%"))(x=xs)
    # MYPY: error: Input "rate" of "rated" expects "float", but gets "str"  [flowgen-wiring]


@dynamic
def plain_values(n: int, label: Optional[str]) -> int:
    if n:
        pass
    if label is None:
        label = "x"
    if not label:
        pass
    found = []
    found.append(n)
    if found:
        pass
    if (k := n + 1) > 2:
        pass
    text = "%s" % n
    return double(x=n)
