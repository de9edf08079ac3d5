# expect-check: FG303
# expect-mypy: flags
# expect-tracer: raises
# ruff: noqa
"""A for loop over a Promise."""

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
    out = []
    for v in numbers(n=n):  # flag
        out.append(double(x=v))
    return out
