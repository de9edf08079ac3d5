# ruff: noqa  -- input for mypy: deliberate mistakes
import functools

from flowgen import map_task, task, workflow


@task
def double(x: int) -> int:
    return 2 * x


@task
def rated(x: int, rate: float) -> float:
    return x * rate


@workflow
def identity(x: int) -> int:
    y = double(x=x)
    if y is None:  # flag
        return double(x=x)
    return double(x=y)


@workflow
def percent_format(x: int) -> str:
    y = double(x=x)
    label = "%s items" % y  # flag
    return label


@workflow
def reversed_equality(x: int) -> int:
    y = double(x=x)
    if 3 == y:  # flag
        return double(x=y)
    return double(x=x)


@workflow
def equality(x: int) -> int:
    y = double(x=x)
    if y == 3:  # flag
        return double(x=y)
    return double(x=x)


@workflow
def summed(x: int) -> int:
    y = double(x=x)
    total = sum([y, y])  # flag
    return double(x=x)


@workflow
def negated(x: int, flag: bool) -> int:
    if not flag:  # flag
        return double(x=x)
    return double(x=1)


@workflow
def partial_rate(xs: list[int]) -> list[float]:
    return map_task(functools.partial(rated, rate="10%"))(x=xs)  # flag
