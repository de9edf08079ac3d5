# expect-check: FG201
# expect-mypy: flags
# expect-tracer: raises in misuse_shared.py:35 (the helper runs; it wires the Promise into a task that takes an int)
# ruff: noqa
"""A helper taking Promise[int] given Promise[str]."""

from flowgen import task, workflow

from misuse_shared import wire_int


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
    return wire_int(name_of(x=x))  # flag
