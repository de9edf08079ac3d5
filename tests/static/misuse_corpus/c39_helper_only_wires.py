# expect-check: FG107
# expect-mypy: flags
# expect-tracer: silent -- the helper runs and only wires the Promise into tasks; the tracer never sees the annotation, which promises an int the helper never gets
# ruff: noqa
"""A helper annotated with a value type that only passes it on to a task."""

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


def twice(x: int) -> int:
    return double(x=double(x=x))


@workflow
def wf(x: int) -> int:
    return twice(x)  # flag
