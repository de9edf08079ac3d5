# expect-check: FG209
# expect-mypy: flags
# expect-tracer: raises
# ruff: noqa
"""Map_task over an int."""

from flowgen import task, workflow
from flowgen import map_task


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
def wf(x: int) -> list[int]:
    return map_task(double)(x=x)  # flag
