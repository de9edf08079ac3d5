# expect-check: FG201
# expect-mypy: flags
# expect-tracer: raises
# ruff: noqa
"""A dataclass from another module passed to an int input."""

from flowgen import task, workflow

from misuse_shared import make_record


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
    return double(x=make_record(n=x))  # flag
