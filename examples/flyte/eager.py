"""@eager: an async workflow that awaits tasks and branches on their real values.

    python examples/flyte/eager.py
"""

import asyncio
import typing

import flowgen
from flowgen import eager, task


@task
def square(x: int) -> int:
    return x * x


@task
def halve(x: int) -> int:
    return x // 2


@eager
async def process(xs: typing.List[int]) -> int:
    squares = await asyncio.gather(*[square(x=x) for x in xs])  # in parallel on threads/processes/Dask
    total = sum(squares)
    while total > 100:  # Python control flow on a real value
        total = await halve(x=total)
    return total


if __name__ == "__main__":
    print(process(xs=[1, 2, 3]))  # 14
    print(flowgen.run(process, executor="threads", xs=[5, 6, 7]))  # 110 -> 55
