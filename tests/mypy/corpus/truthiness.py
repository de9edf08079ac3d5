# ruff: noqa  -- input for mypy: deliberate mistakes and reveal_type()
from flowgen import task, workflow


@task
def double(x: int) -> int:
    return 2 * x


@workflow
def truth(x: int) -> int:
    if x:  # flag
        return double(x=x)
    return double(x=1)


@workflow
def compare(x: int) -> int:
    y = double(x=x)
    if y > 3:  # flag
        return double(x=y)
    return double(x=0)


@workflow
def ternary(x: int) -> int:
    y = double(x=x)
    return double(x=y) if y < 0 else double(x=x)  # flag


@workflow
def constant_branch(x: int, fast: bool = False) -> int:
    mode = 1
    if mode == 1:
        return double(x=x)
    return double(x=2)
