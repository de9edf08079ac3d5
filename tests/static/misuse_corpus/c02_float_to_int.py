# expect-check: FG201
# expect-mypy: flags
# expect-tracer: raises
# ruff: noqa
"""Float does not narrow to int."""

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
def half(x: int) -> float:
    return x / 2


@workflow
def wf(x: int) -> int:
    return double(x=half(x=x))  # flag
