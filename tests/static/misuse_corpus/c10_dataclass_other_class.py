# expect-check: FG201
# expect-mypy: flags
# expect-tracer: raises
# ruff: noqa
"""A dataclass passed where another dataclass is declared."""

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
def measure(n: int) -> Size:
    return Size(width=n, height=n)


@task
def plot(p: Point) -> str:
    return f"{p.x},{p.y}"


@workflow
def wf(n: int) -> str:
    return plot(p=measure(n=n))  # flag
