"""Benchmark: what ``timeout=`` costs (each attempt runs in a forked child that can be stopped).

A workflow of 100 independent trivial tasks (``x + 1``), written twice: once with tasks without a
timeout and once with ``timeout=60``. Printed per task call, side by side in one run: plain Python,
flowgen without a timeout, flowgen with one (in-process, threads, processes), and, for the choice
of ``fork``, what one call costs in a fresh child made by multiprocessing's ``forkserver`` and
``spawn`` (the alternatives a stoppable attempt could use). Best of ``--repeat`` runs.

    python bench/bench_timeouts.py [--repeat 5] [--nodes 100]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from collections.abc import Callable
from typing import Any

from flowgen import task, workflow
from flowgen.runtime.api import run
from flowgen.runtime.executors import make_executor

NODES = 100


def bump(x: int) -> int:
    return x + 1


@task
def plain_step(x: int) -> int:
    return x + 1


@task(timeout=60)
def stoppable_step(x: int) -> int:
    return x + 1


@workflow
def without_timeout() -> list[int]:
    return [plain_step(x=i) for i in range(NODES)]


@workflow
def with_timeout() -> list[int]:
    return [stoppable_step(x=i) for i in range(NODES)]


def best(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def one_process_per_call(method: str, calls: int) -> Callable[[], None]:
    context = multiprocessing.get_context(method)

    def go() -> None:
        for i in range(calls):
            process = context.Process(target=bump, args=(i,))
            process.start()
            process.join()

    return go


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"bench_timeouts: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, {NODES} trivial task calls")
    expected = [i + 1 for i in range(NODES)]
    threads = make_executor("threads", max_parallelism=4)
    processes = make_executor("processes", max_parallelism=2)
    rows: list[tuple[str, float]] = []
    try:
        for executor in (threads, processes):
            executor.start()
            assert run(with_timeout, executor=executor) == expected  # warm: pools started, modules imported
        rows.append(("plain Python (the function called)", best(lambda: [bump(i) for i in range(NODES)], 20)))
        rows.append(("flowgen in-process, no timeout", best(lambda: run(without_timeout), args.repeat)))
        rows.append(("flowgen in-process, timeout= (fork per call)", best(lambda: run(with_timeout), args.repeat)))
        rows.append(("flowgen threads(4), timeout=", best(lambda: run(with_timeout, executor=threads), args.repeat)))
        rows.append(
            ("flowgen processes(2), timeout=", best(lambda: run(with_timeout, executor=processes), args.repeat))
        )
        for method in ("forkserver", "spawn"):
            calls = 10 if method == "spawn" else 20
            seconds = best(one_process_per_call(method, calls), 2) * NODES / calls
            rows.append((f"alternative: a {method} process per call", seconds))
        assert run(without_timeout) == run(with_timeout) == expected
    finally:
        threads.shutdown()
        processes.shutdown()
    base = rows[1][1]
    print(f"\n  {'':<46} {'per call':>13}  {'vs no timeout':>14}")
    for label, seconds in rows:
        print(f"  {label:<46} {seconds / NODES * 1e6:10.2f} us  {seconds / base:13.1f}x")
    with_ = rows[2][1] - rows[1][1]
    print(f"\nthe timeout's own cost, in-process: {with_ / NODES * 1e3:.2f} ms per task call")
    return 0


if __name__ == "__main__":
    sys.exit(main())
