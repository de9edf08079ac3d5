# expect-check: FG203
# expect-mypy: flags
# expect-tracer: raises
# ruff: noqa
"""A required input not given."""

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
def add(a: int, b: int) -> int:
    return a + b


@workflow
def wf(x: int) -> int:
    return add(a=x)  # flag
