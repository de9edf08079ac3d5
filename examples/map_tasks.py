"""map_task: one task over list items, with partial for fixed inputs and a tolerated failure ratio."""

import functools
from typing import Optional

from flowgen import map_task, task, workflow


@task
def offset() -> int:
    return 100


@task
def shift(x: int, by: int) -> int:
    return x + by


@task
def parse(text: str) -> int:
    return int(text)  # raises on bad items


@task
def mean(values: list[Optional[int]]) -> float:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else 0.0


@workflow
def shifted(xs: list[int]) -> list[int]:
    by = offset()
    return map_task(functools.partial(shift, by=by), concurrency=4)(x=xs)  # a Promise as the fixed input


@workflow
def tolerant_mean(texts: list[str]) -> float:
    numbers = map_task(parse, min_success_ratio=0.5)(text=texts)  # failed items become None
    return mean(values=numbers)


RUNS = {
    "shifted": [{"xs": []}, {"xs": [1, 2, 3]}],
    "tolerant_mean": [{"texts": ["1", "2", "x", "9"]}],
}

if __name__ == "__main__":
    print(shifted(xs=[1, 2, 3]))
    print(tolerant_mean(texts=["1", "2", "x", "9"]))
