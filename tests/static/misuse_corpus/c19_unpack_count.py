# expect-check: FG205
# expect-mypy: flags
# expect-tracer: raises
# ruff: noqa
"""Unpacking three outputs into two names."""

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
def stats(xs: list[int]) -> tuple[int, int, int]:
    return min(xs), max(xs), sum(xs)


@workflow
def wf(xs: list[int]) -> int:
    low, high = stats(xs=xs)  # flag
    return double(x=low)
