# expect-check: FG206
# expect-mypy: flags
# expect-tracer: raises
# ruff: noqa
"""A field the dataclass does not have."""

from dataclasses import dataclass
from enum import Enum

from flowgen import task, workflow


@dataclass
class Point:
    x: int
    y: int


@dataclass
class Size:
    width: int
    height: int


class Color(Enum):
    RED = "red"
    BLUE = "blue"


class Shape(Enum):
    SQUARE = "square"
    ROUND = "round"


@task
def origin(n: int) -> Point:
    return Point(x=n, y=n)


@task
def show(v: int) -> str:
    return str(v)


@workflow
def wf(n: int) -> str:
    return show(v=origin(n=n).z)  # flag
