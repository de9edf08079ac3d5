# expect-check: FG106
# expect-mypy: flags
# expect-tracer: raises
# ruff: noqa
"""An f-string of a Promise."""

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
def shout(text: str) -> str:
    return text.upper()


@workflow
def wf(x: int) -> str:
    return shout(text=f"value: {double(x=x)}")  # flag
