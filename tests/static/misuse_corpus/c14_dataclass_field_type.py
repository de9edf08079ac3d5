# expect-check: FG201
# expect-mypy: flags
# expect-tracer: raises
# ruff: noqa
"""A dataclass field of the wrong type."""

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
def label(text: str) -> str:
    return text


@workflow
def wf(n: int) -> str:
    return label(text=origin(n=n).x)  # flag
