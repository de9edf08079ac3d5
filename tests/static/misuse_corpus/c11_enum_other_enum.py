# expect-check: FG201
# expect-mypy: flags
# expect-tracer: raises
# ruff: noqa
"""An enum passed where another enum is declared."""

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
def pick(n: int) -> Color:
    return Color.RED


@task
def draw(shape: Shape) -> str:
    return shape.value


@workflow
def wf(n: int) -> str:
    return draw(shape=pick(n=n))  # flag
