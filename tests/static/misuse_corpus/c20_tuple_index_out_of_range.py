# expect-check: FG402
# expect-mypy: flags
# expect-tracer: raises
# ruff: noqa
"""A constant index past a tuple output."""

from flowgen import task, workflow


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


@task
def pair(x: int) -> tuple[int, int]:
    return x, x


@workflow
def wf(x: int) -> int:
    return double(x=pair(x=x)[2])  # flag
