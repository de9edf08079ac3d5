# expect-check: FG107
# expect-mypy: flags
# expect-tracer: raises
# ruff: noqa
"""A Promise given to a local helper that wants an int."""

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


def scaled(x: int, factor: int) -> int:
    return x * factor  # tracer-raises-here: the helper runs, and its arithmetic on the Promise raises


@workflow
def wf(x: int) -> int:
    return double(x=scaled(double(x=x), factor=3))  # flag
