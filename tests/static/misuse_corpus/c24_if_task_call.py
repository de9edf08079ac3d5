# expect-check: FG101
# expect-mypy: silent -- the plugin's truth probe copies only names, attributes and constant indexes, never a call (evaluating it twice could mean something new); flowgen check and the tracer report it
# expect-tracer: raises
# ruff: noqa
"""If directly on a task call."""

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
    if double(x=x):  # flag
        return double(x=x)
    return x
