"""Workflows the conformance suite runs on every executor (one idea each).

They live in an importable module so worker processes and Dask workers can load
them. Side effects that tests count (attempts, calls) go through files, which
every executor's workers can see.
"""

from __future__ import annotations

import functools
import time
import typing

from flowgen import conditional, dynamic, map_task, task, workflow


def bump(path: str) -> int:
    """Count one call in file ``path`` (an appended line: atomic across processes); the count so far."""
    with open(path, "a") as f:
        f.write("x\n")
    with open(path) as f:
        return len(f.read().splitlines())


# -- results ---------------------------------------------------------------------------------------
@task
def add(x: int, y: int) -> int:
    return x + y


@task
def double(x: int) -> int:
    return 2 * x


@task
def jittered(x: int) -> int:
    """Finishes in an order unrelated to ``x``."""
    time.sleep(((x * 7919) % 5) * 0.004)
    return x * x


class Stats(typing.NamedTuple):
    lo: int
    hi: int


@task
def stats(xs: list[int]) -> Stats:
    return Stats(min(xs), max(xs))


@workflow
def diamond(x: int) -> int:
    a = double(x=x)
    b = add(x=x, y=1)
    return add(x=a, y=b)


@workflow
def fan_in(n: int = 12) -> int:
    total = jittered(x=0)
    for i in range(1, 12):
        total = add(x=total, y=jittered(x=i))
    return add(x=total, y=n)


@workflow
def named(xs: list[int]) -> Stats:
    s = stats(xs=xs)
    return Stats(lo=double(x=s.lo), hi=double(x=s.hi))


@workflow
def inner(x: int, y: int = 10) -> int:
    return add(x=double(x=x), y=y)


@workflow
def outer(x: int) -> int:
    return add(x=inner(x=x), y=inner(x=x, y=1))


# -- errors ----------------------------------------------------------------------------------------
@task
def explode(x: int) -> int:
    raise ValueError(f"boom {x}")


@task
def bad_output(x: int) -> int:
    return str(x)  # type: ignore[return-value]


@workflow
def fails(x: int) -> int:
    return add(x=double(x=x), y=explode(x=x))


@workflow
def returns_wrong_type(x: int) -> int:
    return double(x=bad_output(x=x))


# -- value semantics -------------------------------------------------------------------------------
@task
def make_list(n: int) -> list[int]:
    return list(range(n))


@task
def mutate(xs: list[int]) -> int:
    xs.append(999)
    xs[0] = -1
    return len(xs)


@task
def total(xs: list[int]) -> int:
    return sum(xs)


@workflow
def shared_value(n: int) -> tuple[int, int, int]:
    xs = make_list(n=n)
    a = mutate(xs=xs)
    b = total(xs=xs)
    c = mutate(xs=xs)
    return a, b, c


# -- retries and timeouts --------------------------------------------------------------------------
@task(retries=2)
def flaky(path: str, failures: int) -> int:
    attempt = bump(path)
    if attempt <= failures:
        raise RuntimeError(f"attempt {attempt} fails")
    return attempt


@workflow
def retried(path: str, failures: int) -> int:
    return flaky(path=path, failures=failures)


@task(timeout=0.3)
def slow(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


@workflow
def timed(seconds: float) -> float:
    return slow(seconds=seconds)


# -- caching ---------------------------------------------------------------------------------------
@task(cache=True, cache_version="1")
def counted_square(x: int, path: str) -> int:
    bump(path)
    return x * x


@workflow
def cached_squares(path: str) -> int:
    return add(x=counted_square(x=3, path=path), y=counted_square(x=4, path=path))


# -- map_task --------------------------------------------------------------------------------------
@task
def offset_by(x: int, by: int) -> int:
    return x + by


@task
def parse(text: str) -> int:
    return int(text)


@task
def mean(values: list[typing.Optional[int]]) -> float:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else 0.0


@workflow
def mapped(xs: list[int]) -> list[int]:
    by = double(x=50)
    return map_task(functools.partial(offset_by, by=by), concurrency=2)(x=xs)


@workflow
def mapped_jitter(xs: list[int]) -> list[int]:
    return map_task(jittered)(x=xs)


@workflow
def tolerant(texts: list[str]) -> float:
    return mean(values=map_task(parse, min_success_ratio=0.5)(text=texts))


@workflow
def strict(texts: list[str]) -> list[int]:
    return map_task(parse)(text=texts)


# -- conditional -----------------------------------------------------------------------------------
@task
def is_even(x: int) -> bool:
    return x % 2 == 0


@workflow
def branchy(x: int) -> int:
    y = double(x=x)
    return (
        conditional("sign")
        .if_(y > 10)
        .then(conditional("parity").if_(is_even(x=x).is_true()).then(add(x=y, y=1)).else_().then(add(x=y, y=2)))
        .elif_(y >= 0)
        .then(double(x=y))
        .else_()
        .fail("x must not be negative")
    )


# -- dynamic ---------------------------------------------------------------------------------------
@dynamic
def repeat_double(x: int, times: int) -> int:
    for _ in range(times):
        x = double(x=x)
    return x


@dynamic
def sum_of_repeats(n: int) -> int:
    acc = add(x=0, y=0)
    for i in range(n):
        acc = add(x=acc, y=repeat_double(x=i, times=i))
    return acc


@workflow
def dynamic_nested(n: int) -> int:
    return sum_of_repeats(n=double(x=n))


@dynamic
def chars(s: str) -> list[int]:
    return [double(x=ord(c)) for c in s]


@workflow
def dynamic_list(s: str) -> list[int]:
    return chars(s=s)


@workflow
def zipped(xs: list[int], ys: list[int]) -> list[int]:
    return map_task(add)(x=xs, y=ys)
