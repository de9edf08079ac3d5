# ruff: noqa  -- input for mypy: deliberate mistakes and reveal_type()
"""Two classes with one name in two modules are two types: messages spell them in full."""

from dataclasses import dataclass

from flowgen import task, workflow

from .tasks import make_point


@dataclass
class Point:
    x: int
    y: int


@task
def norm(p: Point) -> int:
    return p.x + p.y


@workflow
def mixed_up(x: int) -> int:
    return norm(p=make_point(x=x))
    # MYPY: error: Input "p" of "norm" expects "tests.mypy.modules.lookalikes.Point", but gets "Promise[tests.mypy.modules.tasks.Point]"  [flowgen-wiring]
