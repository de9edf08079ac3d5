"""Workflows for the Dask batching tests (importable, so Dask workers load them): many independent
tasks ready at once, which the driver runs as a few chunks (flowgen.runtime.executors.fusion)."""

from __future__ import annotations

import functools
import os
from typing import Optional

from flowgen import WorkflowFailurePolicy, map_task, task, workflow

WIDTH = 24  # step nodes n0..n23, then total n24: with 2 slots, 4 chunks of 6


@task(cache=True, cache_version="1")
def step(d: str, i: int) -> int:
    """Fails while ``d/fail-<i>`` exists, ends its process while ``d/die-<i>`` does; otherwise notes that it ran (one line per call) in ``d/ran``."""
    if os.path.exists(os.path.join(d, f"fail-{i}")):
        raise ValueError(f"step {i} was told to fail")
    if os.path.exists(os.path.join(d, f"die-{i}")):
        os._exit(3)  # the worker process dies
    with open(os.path.join(d, "ran"), "a") as log:
        log.write(f"{i}\n")
    return i


@task
def inc(x: int) -> int:
    return x + 1


@task
def total(xs: list[int]) -> int:
    return sum(xs)


@workflow
def wide(d: str) -> int:
    return total(xs=[step(d=d, i=i) for i in range(WIDTH)])


@workflow(failure_policy=WorkflowFailurePolicy.FAIL_AFTER_EXECUTABLE_NODES_COMPLETE)
def wide_keep_going(d: str) -> int:
    return total(xs=[step(d=d, i=i) for i in range(WIDTH)])


@task
def total_some(xs: list[Optional[int]]) -> int:
    return sum(x for x in xs if x is not None)


@workflow
def mapped(d: str) -> int:
    """One ``map_task`` over WIDTH items: node n0, items n0[0]..n0[23]; 4 chunks of 6 with 2 slots."""
    return total(xs=map_task(functools.partial(step, d=d))(i=list(range(WIDTH))))


@workflow
def mapped_tolerant(d: str) -> int:
    return total_some(xs=map_task(functools.partial(step, d=d), min_success_ratio=0.5)(i=list(range(WIDTH))))


@workflow
def fan_of_chains() -> int:
    """A fan-out of 2-step chains: each chain fuses, and the chains are chunked as units."""
    first = inc(x=0)
    return total(xs=[inc(x=inc(x=first)) for _ in range(20)])


def ran(d: str) -> list[int]:
    path = os.path.join(d, "ran")
    if not os.path.exists(path):
        return []
    with open(path) as log:
        return [int(line) for line in log.read().split()]
