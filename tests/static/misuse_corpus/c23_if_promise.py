# expect-check: FG101
# expect-mypy: flags
# expect-tracer: raises
# ruff: noqa
"""If on a Promise held in a name."""

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
def wf(x: int) -> int:
    doubled = double(x=x)
    if doubled:  # flag
        return doubled
    return x
