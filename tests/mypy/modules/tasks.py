"""Tasks shared by the golden modules."""

from dataclasses import dataclass
from typing import NamedTuple, Optional

from flowgen import task


@dataclass
class Point:
    x: int
    y: float


class Fit(NamedTuple):
    slope: float
    intercept: float


@task
def double(x: int) -> int:
    return 2 * x


@task
def scale(value: float) -> float:
    return value * 1.5


@task
def maybe(value: Optional[int]) -> int:
    return value or 0


@task
def total(values: list[int]) -> int:
    return sum(values)


@task
def name_of(n: int) -> str:
    return str(n)


@task
def make_point(x: int) -> Point:
    return Point(x=x, y=1.0)


@task
def fit(xs: list[float]) -> Fit:
    return Fit(slope=1.0, intercept=0.0)


@task
def split(text: str) -> tuple[str, int]:
    return text, len(text)


@task
def flag(n: int) -> bool:
    return n > 0


@task
def log(message: str) -> None:
    print(message)
