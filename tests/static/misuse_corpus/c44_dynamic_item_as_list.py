# expect-check: FG201
# expect-mypy: flags
# expect-tracer: raises
# tracer-runs: wf {"xs": [1, 2, 3]}
# ruff: noqa
"""In a @dynamic, one item of a list passed as a list."""

from flowgen import task, workflow
from flowgen import dynamic


@task
def double(x: int) -> int:
    return 2 * x


@task
def name_of(x: int) -> str:
    return str(x)


@task
def numbers(n: int) -> list[int]:
    return list(range(n))


@task
def total(xs: list[int]) -> int:
    return sum(xs)


@dynamic
def head_total(xs: list[int]) -> int:
    return total(xs=xs[0])  # flag


@workflow
def wf(xs: list[int]) -> int:
    return head_total(xs=xs)
