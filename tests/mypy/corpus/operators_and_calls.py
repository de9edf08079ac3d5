# ruff: noqa  -- input for mypy: deliberate mistakes and reveal_type()
"""Reflected operators, `==` under `if`, and library calls that need a Promise's value."""

import json
import math

from flowgen import dynamic, task, workflow


@task
def double(x: int) -> int:
    return 2 * x


@task
def numbers(n: int) -> list[int]:
    return list(range(n))


@task
def show(text: str) -> str:
    return text


@workflow
def reflected(x: int) -> int:
    y = double(x=x)
    z = 1 + y  # flag
    return double(x=z)


@workflow
def reflected_multiply(x: int) -> int:
    return double(x=2 * double(x=x))  # flag


@workflow
def equality_branch(x: int) -> int:
    y = double(x=x)
    if y == 4:  # flag
        return double(x=y)
    return y


@workflow
def inequality_loop(x: int) -> int:
    y = double(x=x)
    while y != 0:  # flag
        break
    return y


@workflow
def divmod_of_promise(x: int) -> int:
    q, r = divmod(double(x=x), 3)  # flag
    return double(x=x)


@workflow
def any_of_promise(n: int) -> int:
    found = any(numbers(n=n))  # flag
    return double(x=n)


@workflow
def reversed_promise(n: int) -> int:
    backwards = reversed(numbers(n=n))  # flag
    return double(x=n)


@workflow
def serialized(x: int) -> str:
    return show(text=json.dumps(double(x=x)))  # flag


@workflow
def math_of_promise(x: int) -> int:
    return double(x=math.floor(double(x=x)))  # flag


@dynamic
def dynamic_reflected(n: int) -> int:
    y = double(x=n)
    return double(x=10 - y)  # flag


@workflow
def debug_repr(x: int) -> str:
    y = double(x=x)
    return show(text=f"{y!r}")


@workflow
def collected(n: int) -> list[int]:
    out = []
    for i in range(3):
        out.append(double(x=i))
    return out


@workflow
def constant_equality(x: int) -> int:
    mode = "fast"
    if mode == "fast":
        return double(x=x)
    return double(x=1)
