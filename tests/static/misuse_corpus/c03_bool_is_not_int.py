# expect-check: FG201
# expect-mypy: flags
# expect-tracer: raises
# ruff: noqa
"""Bool is not int for wiring (exact primitives)."""

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
def positive(x: int) -> bool:
    return x > 0


@workflow
def wf(x: int) -> int:
    return double(x=positive(x=x))  # flag
