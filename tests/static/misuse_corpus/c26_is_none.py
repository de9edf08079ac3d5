# expect-check: FG102
# expect-mypy: flags
# expect-tracer: raises
# ruff: noqa
"""`is None` on a Promise."""

from typing import Optional

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
def maybe(x: int) -> Optional[int]:
    return x if x > 0 else None


@workflow
def wf(x: int) -> int:
    y = maybe(x=x)
    if y is None:  # flag
        return x
    return double(x=x)
