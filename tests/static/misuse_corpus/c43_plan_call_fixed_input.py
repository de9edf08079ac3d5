# expect-check: FG202
# expect-mypy: flags
# expect-tracer: raises
# ruff: noqa
"""Calling a launch plan with an input it fixes."""

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
def inner(x: int, y: int) -> int:
    return double(x=x)


plan = LaunchPlan.get_or_create(inner, name="misuse_plan_fixed_call", fixed_inputs={"y": 1})


@workflow
def wf(x: int) -> int:
    return plan(x=x, y=2)  # flag
