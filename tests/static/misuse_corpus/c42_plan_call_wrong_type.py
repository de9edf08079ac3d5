# expect-check: FG201
# expect-mypy: flags
# expect-tracer: raises
# ruff: noqa
"""Calling a launch plan with an input of the wrong type."""

from flowgen import task, workflow
from flowgen import LaunchPlan


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
def inner(x: int) -> int:
    return double(x=x)


plan = LaunchPlan.get_or_create(inner, name="misuse_plan_call")


@workflow
def wf(x: int) -> int:
    return plan(x=name_of(x=x))  # flag
