import typing
from datetime import timedelta

from flytekit import LaunchPlan, task, workflow


class op(typing.NamedTuple):
    greet: str
    count: int


@task(cache=True, cache_version="1.0", timeout=timedelta(minutes=5))
def t1(a: int) -> typing.Tuple[int, str]:
    return a + 2, "world"


@task
def t2(a: str, b: str) -> op:
    return op(greet=b + a, count=len(a))


@workflow
def my_wf(a: int, b: str) -> typing.Tuple[int, str]:
    x, y = t1(a=a)
    d = t2(a=y, b=b)
    return x, d.greet


default_lp = LaunchPlan.get_default_launch_plan(None, my_wf)
fixed_lp = LaunchPlan.get_or_create(workflow=my_wf, name="fixed_b", fixed_inputs={"b": "hello "})


@workflow
def uses_plan(a: int) -> str:
    x, greet = fixed_lp(a=a)
    return greet


CASES = [
    ("my_wf", {"a": 1, "b": "hi "}, (3, "hi world")),
    ("uses_plan", {"a": 1}, "hello world"),
]
FAILS: list = []
