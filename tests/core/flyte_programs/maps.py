import functools
import typing

from flytekit import Resources, map_task, task, workflow


@task
def detect_anomalies(data_point: int) -> bool:
    return data_point > 10


@workflow
def map_workflow(data: typing.List[int] = [10, 12, 11, 10, 13, 12, 100, 11, 12, 10]) -> typing.List[bool]:
    return map_task(detect_anomalies)(data_point=data)


@task(requests=Resources(cpu="1", mem="500Mi"), retries=1)
def multiply(x: int, y: int) -> int:
    return x * y


@task
def get_y() -> int:
    return 3


@workflow
def partial_workflow(xs: typing.List[int]) -> typing.List[int]:
    y = get_y()
    return map_task(functools.partial(multiply, y=y), concurrency=2)(x=xs)


@task
def may_fail(x: int) -> int:
    if x % 3 == 0:
        raise ValueError("divisible by three")
    return x


@workflow
def tolerant(xs: typing.List[int]) -> typing.List[typing.Optional[int]]:
    return map_task(may_fail, min_success_ratio=0.5)(x=xs)


CASES = [
    ("map_workflow", {}, [False, True, True, False, True, True, True, True, True, False]),
    ("partial_workflow", {"xs": [1, 2]}, [3, 6]),
    ("tolerant", {"xs": [1, 2, 3]}, [1, 2, None]),
]
FAILS = [("tolerant", {"xs": [3, 6, 1]}, "min_success_ratio")]
