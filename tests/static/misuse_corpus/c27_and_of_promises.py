# expect-check: FG103
# expect-mypy: flags
# expect-tracer: raises
# ruff: noqa
"""`and` on Promises."""

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
def wf(x: int, y: int) -> int:
    a = double(x=x)
    b = double(x=y)
    both = a and b  # flag
    return both
