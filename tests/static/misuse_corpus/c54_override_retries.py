# expect-check: FG304
# expect-mypy: silent -- -1 is an int, as the stub declares; the range is a value, not a type
# expect-tracer: raises
# ruff: noqa
"""With_overrides(retries=-1)."""

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
    return double(x=x).with_overrides(retries=-1)  # flag
