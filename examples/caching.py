"""Caching, retries and timeouts.

Run it twice with `flowgen run examples/caching.py:report --n 5`: the second run is served
from the cache (stderr names the nodes). `flowgen cache list` shows what is stored.
"""

import datetime

from flowgen import Cache, task, workflow


@task(cache=True, cache_version="1")
def expensive(n: int) -> list[int]:
    return [i * i for i in range(n)]


@task(cache=Cache(version="1", ignored_inputs=("label",)))
def summarize(values: list[int], label: str) -> int:
    return sum(values)


@task(retries=2, timeout=datetime.timedelta(seconds=30))
def publish(total: int, seed: int) -> str:
    """Retried up to twice when it raises (a flaky network call, say); fails past 30 s."""
    return f"total={total} seed={seed}"


@workflow
def report(n: int, seed: int = 0) -> str:
    values = expensive(n=n)
    total = summarize(values=values, label="squares")
    return publish(total=total, seed=seed)


RUNS = {"report": [{"n": 5}, {"n": 0, "seed": 3}]}

if __name__ == "__main__":
    print(report(n=5))
