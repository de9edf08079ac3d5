import asyncio
import typing

from flytekit import eager, task


@task
def add_one(x: int) -> int:
    return x + 1


@task
def double(x: int) -> int:
    return x * 2


@task(retries=2)
def flaky_square(x: int) -> int:
    from flytekit import current_context

    if current_context().attempt < 2:
        raise RuntimeError("transient")
    return x * x


@eager
async def simple(x: int) -> int:
    out = await add_one(x=x)
    if out % 2 == 0:  # Python control flow on a real value
        return await double(x=out)
    return out


@eager
async def fan_out(xs: typing.List[int]) -> typing.List[int]:
    results = await asyncio.gather(*[double(x=x) for x in xs])
    return list(results)


@eager
async def inner(x: int) -> int:
    return await flaky_square(x=x)


@eager
async def outer(x: int) -> int:
    a = await inner(x=x)
    b = await add_one(x=a)
    return b


CASES = [
    ("simple", {"x": 1}, 4),
    ("simple", {"x": 2}, 3),
    ("fan_out", {"xs": [1, 2, 3]}, [2, 4, 6]),
    ("outer", {"x": 3}, 10),
]
FAILS = [
    ("simple", {"x": "a"}, "input 'x'"),
]
