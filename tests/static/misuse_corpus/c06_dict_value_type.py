# expect-check: FG201
# expect-mypy: flags
# expect-tracer: raises
# ruff: noqa
"""Dict[str, int] to dict[str, str]."""

from typing import Dict

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
def counts(n: int) -> Dict[str, int]:
    return {"n": n}


@task
def render(table: Dict[str, str]) -> str:
    return ",".join(table)


@workflow
def wf(n: int) -> str:
    return render(table=counts(n=n))  # flag
