# ruff: noqa  -- input for mypy: deliberate mistakes and reveal_type()
from dataclasses import dataclass
from typing import NamedTuple

from flowgen import task, workflow


@dataclass
class Point:
    x: int
    y: int


class Stats(NamedTuple):
    low: int
    high: int


@task
def double(x: int) -> int:
    return 2 * x


@task
def make(x: int) -> Point:
    return Point(x=x, y=x)


@task
def stats(xs: list[int]) -> Stats:
    return Stats(low=min(xs), high=max(xs))


@task
def split(x: int) -> tuple[int, int]:
    return x, x


@workflow
def fields(x: int) -> int:
    p = make(x=x)
    return double(x=p.x)


@workflow
def missing_field(x: int) -> int:
    p = make(x=x)
    return double(x=p.z)  # flag


@workflow
def named_outputs(xs: list[int]) -> int:
    s = stats(xs=xs)
    return double(x=s.high)


@workflow
def unpacking(x: int) -> int:
    a, b, c = split(x=x)  # flag
    return double(x=a)


@workflow
def promise_index(xs: list[int], x: int) -> int:
    i = double(x=x)
    return double(x=xs[i])  # flag


@workflow
def constant_index(xs: list[int]) -> int:
    return double(x=xs[0])


@workflow
def slicing(xs: list[int]) -> int:
    head = xs[0:2]  # flag
    return double(x=xs[0])


@workflow
def method_of_the_value(xs: list[int]) -> int:
    xs.append(1)  # flag
    return double(x=xs[0])


@workflow
def unpacking_one_output(x: int) -> int:
    a, b = double(x=x)  # flag
    return double(x=x)
