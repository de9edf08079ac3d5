"""Workflows for flowgen.testing's tests: one with a bug for some inputs, correct ones, a launch plan."""

import enum
from dataclasses import dataclass
from typing import Annotated, Literal, NamedTuple, Optional

import pydantic
from annotated_types import Ge, Gt, Le, Lt, MaxLen, MinLen, MultipleOf

from flowgen import LaunchPlan, conditional, task, workflow


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"


@dataclass
class Point:
    x: int
    y: float


class Pair(NamedTuple):
    left: str
    right: Optional[int]


class Order(pydantic.BaseModel):
    item: Annotated[str, MinLen(1)]
    quantity: Annotated[int, Ge(1), Le(100)]


@task
def check(x: int) -> int:
    if x > 50 and x % 2 == 0:
        raise ValueError(f"cannot take {x}")
    return x + 1


@task
def double(x: int) -> int:
    return 2 * x


@workflow
def buggy(x: int) -> int:
    return double(x=check(x=x))


@task
def describe(point: Point, pair: Pair, color: Color, order: Order, tags: list[str], mode: Literal["a", "b"]) -> str:
    return f"{point.x},{point.y}:{pair.left}/{pair.right}:{color.name}:{order.item}x{order.quantity}:{len(tags)}:{mode}"


@workflow
def records(point: Point, pair: Pair, color: Color, order: Order, tags: list[str], mode: Literal["a", "b"]) -> str:
    return describe(point=point, pair=pair, color=color, order=order, tags=tags, mode=mode)


@task
def scale(n: Annotated[int, Ge(0), Lt(1000), MultipleOf(5)], factor: Annotated[float, Gt(0.0), Le(2.0)],
          names: Annotated[list[str], MinLen(1), MaxLen(3)]) -> Annotated[int, Ge(0)]:
    return int(n * factor) + len(names)


@workflow
def constrained(n: Annotated[int, Ge(0), Lt(1000), MultipleOf(5)], factor: Annotated[float, Gt(0.0), Le(2.0)],
                names: Annotated[list[str], MinLen(1), MaxLen(3)]) -> int:
    return scale(n=n, factor=factor, names=names)


@task
def negate(x: int) -> int:
    return -x


@task
def shrink(x: int) -> Annotated[int, Ge(0)]:
    return x - 10


@workflow
def bad_output(x: Annotated[int, Ge(0), Le(100)]) -> int:
    return shrink(x=x)


@workflow
def branching(x: int) -> int:
    return conditional("sign").if_(x > 0).then(double(x=x)).else_().then(negate(x=x))


@workflow
def refusing(x: int) -> int:
    return conditional("positive").if_(x >= 0).then(double(x=x)).else_().fail("x must not be negative")


@task
def add(x: int, y: int) -> int:
    return x + y


@workflow
def add_two(x: int, y: int = 2) -> int:
    return add(x=double(x=x), y=y)


lp = LaunchPlan.get_or_create(add_two, "add_two_lp", fixed_inputs={"y": 3})
