# expect-check: FG201
# expect-mypy: flags
# expect-tracer: raises
# ruff: noqa
"""A str output wired to an int input."""

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


@workflow
def wf(x: int) -> int:
    label = name_of(x=x)
    return double(x=label)  # flag
