# expect-check: FG107
# expect-mypy: flags
# expect-tracer: raises in misuse_shared.py:31 (the helper runs; max() of a Promise raises there)
# ruff: noqa
"""A Promise given to a helper imported from another module."""

from flowgen import task, workflow

from misuse_shared import clamp


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
    return double(x=clamp(double(x=x)))  # flag
