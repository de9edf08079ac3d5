# ruff: noqa  -- input for mypy: deliberate mistakes and reveal_type()
from typing import Optional

from flowgen import task, workflow


@task
def double(x: int) -> int:
    return 2 * x


@task
def scale(value: float) -> float:
    return value * 2


@task
def name_of(n: int) -> str:
    return str(n)


@task
def maybe(n: int) -> Optional[int]:
    return n or None


@workflow
def widening(x: int) -> float:
    return scale(value=double(x=x))


@workflow
def mismatch(x: int) -> int:
    label = name_of(n=x)
    return double(x=label)  # flag


@workflow
def optional_to_plain(x: int) -> int:
    m = maybe(n=x)
    return double(x=m)  # flag


@workflow
def float_to_int(v: float) -> int:
    return double(x=v)  # flag
