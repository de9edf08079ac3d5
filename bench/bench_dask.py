"""Benchmark: flowgen on Dask against hand-written ``dask.delayed``, per node, on ~10,000 trivial tasks.

Issue 15's target: flowgen on Dask at least 2x faster per node than ``dask.delayed`` for the same
graph, on a 10,000-node workflow of trivial tasks. One run measures, on the same local cluster
(one single-threaded worker process per CPU, started and warmed before timing):

* the reference example (``examples/dynamic_workflows.py``) with two ``--chars``-character strings:
  ``4 * chars + 1`` task nodes (10,001 by default), chains where each step also reads one fresh
  task. flowgen fuses them (``flowgen.runtime.executors.fusion``); ``dask.delayed`` submits every
  task as it is written. Also shown: plain Python (the same count, no tasks), the in-process
  interpreter, and flowgen on Dask with fusion and batching off
  (``DaskExecutor(fuse=False, batch=False)``: one Dask call per task node);
* ``--wide`` independent trivial tasks summed by one task (a fan-in nothing fuses), flowgen vs
  ``dask.delayed``, with batching on and off: the leaves are ready together, so flowgen runs
  them as a few chunks of tasks (about two per worker thread), one Dask call each;
* ``--fan`` (10,000 by default) trivial tasks that each read one first task, summed by a last
  one (a fan-out then a fan-in: ``fan + 2`` task nodes), flowgen vs ``dask.delayed``, with the
  same 2x target as the reference example; also the same computation written as one
  ``map_task`` over the first task's list (its items are chunked the same way).

Each time is the best of ``--repeat`` runs, flowgen and ``dask.delayed`` interleaved so that drift on
a shared machine hits both alike. Results are checked against plain Python.

    python bench/bench_dask.py [--chars 2500] [--wide 2000] [--fan 10000] [--repeat 2]
"""

from __future__ import annotations

import argparse
import os
import random
import string
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "examples"))

import dask  # noqa: E402
import dynamic_workflows as ref  # noqa: E402

from flowgen import dynamic, map_task, task, workflow  # noqa: E402
from flowgen.runtime.api import run  # noqa: E402
from flowgen.runtime.executors.dask import DaskExecutor  # noqa: E402


@task
def one(i: int) -> int:
    return i + 1


@task
def total(xs: list[int]) -> int:
    return sum(xs)


@task
def add(a: int, b: int) -> int:
    return a + b


@dynamic
def fan_in(n: int) -> int:
    return total(xs=[one(i=i) for i in range(n)])


@workflow
def wide(n: int) -> int:
    return fan_in(n=n)


@dynamic
def fan_out_in(n: int) -> int:
    first = one(i=0)
    return total(xs=[add(a=first, b=i) for i in range(n)])


@workflow
def fan(n: int) -> int:
    return fan_out_in(n=n)


@task
def numbers(n: int) -> list[int]:
    return list(range(n))


@workflow
def fan_map(n: int) -> int:
    """The same fan-out/fan-in as ``fan`` written with ``map_task``: one task, n items, one sum."""
    return total(xs=map_task(one)(i=numbers(n=n)))


def delayed_reference(s1: str, s2: str) -> Any:
    """The reference example's graph written directly with dask.delayed (the same task bodies)."""
    return_index, update_list, derive_count = ref.return_index.fn, ref.update_list.fn, ref.derive_count.fn
    freq1, freq2 = [0] * 26, [0] * 26
    for c in s1:
        freq1 = dask.delayed(update_list, pure=False)(freq1, dask.delayed(return_index, pure=False)(c))
    for c in s2:
        freq2 = dask.delayed(update_list, pure=False)(freq2, dask.delayed(return_index, pure=False)(c))
    return dask.delayed(derive_count, pure=False)(freq1, freq2)


def delayed_wide(n: int) -> Any:
    return dask.delayed(total.fn, pure=False)([dask.delayed(one.fn, pure=False)(i) for i in range(n)])


def delayed_fan(n: int) -> Any:
    first = dask.delayed(one.fn, pure=False)(0)
    return dask.delayed(total.fn, pure=False)([dask.delayed(add.fn, pure=False)(first, i) for i in range(n)])


def plain_count(s1: str, s2: str) -> int:
    c1, c2 = Counter(s1.lower()), Counter(s2.lower())
    return sum(min(c1[k], c2[k]) for k in c1)


def timed(fn: Callable[[], Any], expected: Any) -> float:
    t0 = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - t0
    assert result == expected, (result, expected)
    return seconds


def table(title: str, nodes: int, rows: list[tuple[str, float]], base: str, target: float | None) -> bool:
    print(f"\n{title} ({nodes:,} task nodes)")
    print(f"  {'':<42} {'wall':>9} {'per node':>10} {'vs ' + base:>16}")
    reference = dict(rows)[base]
    for label, seconds in rows:
        print(f"  {label:<42} {seconds:8.3f}s {seconds / nodes * 1e6:8.1f}us {reference / seconds:15.2f}x")
    if target is None:
        return True
    ours = dict(rows)["flowgen on Dask"]
    ok = reference / ours >= target
    print(f"  target: flowgen on Dask >= {target:g}x faster per node than {base}: "
          f"{reference / ours:.2f}x {'PASS' if ok else 'FAIL'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chars", type=int, default=2500)
    parser.add_argument("--wide", type=int, default=2000)
    parser.add_argument("--fan", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    print(f"bench_dask: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, dask {dask.__version__}, "
          f"load average {os.getloadavg()[0]:.1f}")
    rng = random.Random(0)
    s1 = "".join(rng.choice(string.ascii_letters) for _ in range(args.chars))
    s2 = "".join(rng.choice(string.ascii_letters) for _ in range(args.chars))
    expected = plain_count(s1, s2)
    best: dict[str, float] = {}

    def keep(label: str, seconds: float) -> None:
        best[label] = min(best.get(label, float("inf")), seconds)

    t0 = time.perf_counter()
    fused = DaskExecutor()
    fused.start()
    unfused = DaskExecutor(fuse=False, batch=False, client=fused.client)  # the same cluster, one call per node
    print(f"Dask local cluster started in {time.perf_counter() - t0:.2f} s (not timed below): "
          f"{len(fused.client.nthreads())} worker processes, {fused.batch_slots()} threads")
    client = fused.client
    try:
        for executor in (fused, unfused):  # warm: imports and function shipping happen once per worker
            assert run(ref.wf, executor=executor, s1="Pear", s2="Earth") == 3
            assert run(fan, executor=executor, n=20) == 1 * 20 + sum(range(20))
            assert run(fan_map, executor=executor, n=20) == 1 * 20 + sum(range(20))
        assert client.compute(delayed_reference("Pear", "Earth")).result() == 3
        for _ in range(args.repeat):
            keep("plain Python", timed(lambda: plain_count(s1, s2), expected))
            keep("flowgen in-process", timed(lambda: run(ref.wf, s1=s1, s2=s2), expected))
            keep("dask.delayed", timed(lambda: client.compute(delayed_reference(s1, s2)).result(), expected))
            keep("flowgen on Dask", timed(lambda: run(ref.wf, executor=fused, s1=s1, s2=s2), expected))
        off = "flowgen on Dask, fusion and batching off"
        keep(off, timed(lambda: run(ref.wf, executor=unfused, s1=s1, s2=s2), expected))
        ok = table(f"reference example, {args.chars:,}-character strings", 4 * args.chars + 1,
                   [(k, best[k]) for k in ("plain Python", "flowgen in-process", "dask.delayed", "flowgen on Dask",
                                           off)], "dask.delayed", 2.0)
        if args.wide:
            n, wide_best = args.wide, {}
            want = sum(range(1, n + 1))
            for _ in range(args.repeat):
                for label, fn in (("dask.delayed", lambda: client.compute(delayed_wide(n)).result()),
                                  ("flowgen on Dask", lambda: run(wide, executor=fused, n=n)),
                                  ("flowgen on Dask, batching off", lambda: run(wide, executor=unfused, n=n))):
                    wide_best[label] = min(wide_best.get(label, float("inf")), timed(fn, want))
            table(f"fan-in: {n:,} independent trivial tasks summed by one (nothing fuses; batched)", n + 1,
                  list(wide_best.items()), "dask.delayed", None)
        if args.fan:
            n, fan_best = args.fan, {}
            want = n + sum(range(n))
            for _ in range(args.repeat):
                for label, fn in (("dask.delayed", lambda: client.compute(delayed_fan(n)).result()),
                                  ("flowgen on Dask", lambda: run(fan, executor=fused, n=n)),
                                  ("flowgen on Dask, as one map_task", lambda: run(fan_map, executor=fused, n=n))):
                    fan_best[label] = min(fan_best.get(label, float("inf")), timed(fn, want))
            ok = table(f"fan-out/fan-in: one task read by {n:,} trivial tasks, summed by one", n + 2,
                       list(fan_best.items()), "dask.delayed", 2.0) and ok
    finally:
        unfused.shutdown()
        fused.shutdown()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
