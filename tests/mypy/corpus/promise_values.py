# ruff: noqa  -- input for mypy: deliberate mistakes and reveal_type()
from flowgen import task, workflow


@task
def double(x: int) -> int:
    return 2 * x


@task
def show(text: str) -> str:
    return text


@workflow
def arithmetic(x: int) -> int:
    y = double(x=x)
    z = y + 1  # flag
    return double(x=z)


@workflow
def iteration(xs: list[int]) -> int:
    total = 0
    for item in xs:  # flag
        total = double(x=item)
    return double(x=total)


@workflow
def length(xs: list[int]) -> int:
    return double(x=len(xs))  # flag


@workflow
def formatting(x: int) -> str:
    return show(text=f"value: {x}")  # flag


@workflow
def stringify(x: int) -> str:
    return show(text=str(x))  # flag


@workflow
def fine(x: int) -> int:
    y = double(x=x)
    return double(x=y)
