# expect-check: FG201
# expect-mypy: flags
# expect-tracer: raises
# ruff: noqa
"""A launch plan fixing an input to a value of the wrong type."""

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
def wf(x: int) -> int:
    return double(x=x)


plan = LaunchPlan.get_or_create(wf, name="misuse_plan_fixed", fixed_inputs={"x": "two"})  # flag
