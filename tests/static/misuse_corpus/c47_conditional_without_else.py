# expect-check: FG210
# expect-mypy: flags
# expect-tracer: raises
# ruff: noqa
"""A conditional without else_() used as a value."""

from flowgen import task, workflow
from flowgen import conditional


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
    result = conditional("sign").if_(x > 0).then(double(x=x))
    return double(x=result)  # flag
