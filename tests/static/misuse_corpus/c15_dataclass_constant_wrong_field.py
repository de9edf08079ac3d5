# expect-check: FG401 (warning) -- constructing a class in a workflow body is outside the static subset: check warns and build defers the workflow to the tracer, which raises
# expect-mypy: flags
# expect-tracer: raises
# ruff: noqa
"""A dataclass constant of another class passed to a dataclass input."""

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
def plot(p: Point) -> str:
    return f"{p.x},{p.y}"


@workflow
def wf() -> str:
    return plot(p=Size(width=1, height=2))  # flag
