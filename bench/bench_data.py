"""Benchmark: files and tables through flowgen's raw-data store, against plain Python in the same run.

Workloads (bench/data_programs.py):

* a 100 MB file through a 3-task chain (write, transform, digest); plain Python writes and
  reads the same files;
* a 1,000,000-row DataFrame through a 3-task chain (make, add a column, group-by sum);
  plain Python passes the frames through Parquet files, as a pipeline of scripts would;
* 1,000 small files through a ``map_task`` (write one each, read them back).

flowgen runs in-process and on threads; each measurement is the best of ``--repeat`` runs.
Targets (issue 11): the file and frame chains within 1.5x of plain Python in-process and on
threads (no needless copies). Run: ``python bench/bench_data.py [--megabytes 100 --rows 1000000
--files 1000 --repeat 3]``.
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import data_programs as d

import flowgen


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--megabytes", type=int, default=100)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="flowgen-bench-data-")
    tempfile.tempdir = scratch
    os.environ["FLOWGEN_CACHE_DIR"] = os.path.join(scratch, "cache")
    xs = list(range(args.files))
    cases = [
        (f"{args.megabytes} MB file, 3 tasks", lambda: d.plain_big_file_chain(args.megabytes),
         d.big_file_chain, {"megabytes": args.megabytes}),
        (f"{args.rows:,}-row DataFrame, 3 tasks", lambda: d.plain_frame_chain(args.rows),
         d.frame_chain, {"rows": args.rows}),
        (f"{args.files:,} small files, map_task", lambda: d.plain_many_small_files(xs),
         d.many_small_files, {"xs": xs}),
    ]
    print(f"{'workload':<34} {'plain':>9} {'inprocess':>10} {'ratio':>6} {'threads':>9} {'ratio':>6}")
    try:
        for name, plain, wf, inputs in cases:
            plain_s, expected = best(plain, args.repeat)
            row = [f"{name:<34} {plain_s:>8.3f}s"]
            for executor in ("inprocess", "threads"):
                with tempfile.TemporaryDirectory(dir=scratch) as raw:
                    took, got = best(functools.partial(flowgen.run, wf, executor=executor, raw_data_prefix=raw,
                                                       **inputs), args.repeat)
                assert got == expected, (name, executor)
                row.append(f"{took:>9.3f}s {took / plain_s:>5.2f}x")
            print(" ".join(row), flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
