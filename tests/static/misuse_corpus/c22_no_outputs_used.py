# expect-check: FG211
# expect-mypy: flags
# expect-tracer: raises
# ruff: noqa
"""The result of a task without outputs wired to an input."""

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
def log(x: int) -> None:
    print(x)


@workflow
def wf(x: int) -> int:
    return double(x=log(x=x))  # flag
