# expect-check: FG202
# expect-mypy: flags
# expect-tracer: raises
# ruff: noqa
"""A task imported under another name, an unknown input."""

from flowgen import task, workflow

from misuse_shared import greet as hello


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
def wf(x: str) -> str:
    return hello(nam=x)  # flag
