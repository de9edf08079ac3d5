# expect-check: FG201
# expect-mypy: flags
# expect-tracer: raises
# ruff: noqa
"""List[str] to list[int]."""

from typing import List

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
def words(n: int) -> List[str]:
    return ["a"] * n


@workflow
def wf(n: int) -> int:
    return total(xs=words(n=n))  # flag
