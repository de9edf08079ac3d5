# expect-check: FG303
# expect-mypy: flags
# expect-tracer: raises
# ruff: noqa
"""Range() of a workflow input."""

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
def wf(n: int) -> list[int]:
    return [double(x=i) for i in range(n)]  # flag
