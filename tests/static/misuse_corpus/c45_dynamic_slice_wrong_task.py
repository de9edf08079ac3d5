# expect-check: FG201
# expect-mypy: flags
# expect-tracer: raises
# tracer-runs: wf {"xs": [1, 2, 3]}
# ruff: noqa
"""In a @dynamic, a slice (a list) passed to an int input."""

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
def first_two(xs: list[int]) -> int:
    return double(x=xs[:2])  # flag


@workflow
def wf(xs: list[int]) -> int:
    return first_two(xs=xs)
