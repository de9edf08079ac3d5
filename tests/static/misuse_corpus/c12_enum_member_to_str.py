# expect-check: FG201
# expect-mypy: flags
# expect-tracer: raises
# ruff: noqa
"""An enum member constant passed to a str input."""

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
def paint(color: str) -> str:
    return color


@workflow
def wf() -> str:
    return paint(color=Color.RED)  # flag
