"""Benchmark: ``flowgen check`` vs LibCST's bare parse of the same generated tree.

    .venv/bin/python bench/bench_check.py [--modules 1000] [--small 100] [--jobs 2] [--repeat 3]

Generates two trees of workflow modules in a temp dir (1,000 modules, about
50,000 lines, and 100 modules), then times, side by side:

* bare parse: ``libcst.parse_module`` of every file, in one process and over a
  process pool with the same number of workers ``flowgen check`` uses;
* ``flowgen check`` (``check_paths(..., jobs=N)``: load, summarise, resolve,
  type-check and compile every workflow, sharded over N processes).

Each is shown as wall time and as CPU time (this process and its workers): on a
shared machine the wall time moves with the load, the CPU time much less (the
load average before and after is printed with the table).

The baseline is LibCST's own ``parse_module`` of the whole files, as anyone would
call it. ``check`` parses less than that (see flowgen/static/skeleton.py,
declarations.py and cst_parse.py: task bodies, imports and comments between
statements left out, modules of task definitions summarised from ``ast``, no
per-node re-validation), and that is the point: the comparison is with the cost
of reading the project with LibCST at all.

Targets: check <= 1.2x the bare parse with the same number of workers (issue 13;
2x in issue 4), and 1,000 modules <= 12x 100 modules. Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import tempfile
import time

import libcst as cst

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from flowgen.static.engine import check_paths

MODELS = '''"""Types shared by the tasks of package {p}."""

import enum
from dataclasses import dataclass
from typing import NamedTuple, Optional


class Colour(enum.Enum):
    RED = "red"
    GREEN = "green"
    BLUE = "blue"


@dataclass
class Point:
    x: float
    y: float
    label: Optional[str] = None


class Stats(NamedTuple):
    mean: float
    count: int
'''

TASKS = '''"""Tasks of package {p}, module {m}."""

from flowgen import task

from .models import Colour, Point, Stats


@task
def make_point_{m}(x: float, y: float) -> Point:
    return Point(x=x, y=y)


@task(retries=2, cache=True, cache_version="1")
def norm_{m}(p: Point) -> float:
    return (p.x ** 2 + p.y ** 2) ** 0.5


@task
def stats_{m}(values: list[float]) -> Stats:
    return Stats(mean=sum(values) / max(len(values), 1), count=len(values))


@task
def paint_{m}(colour: Colour, scale: int = 1) -> str:
    return colour.value * scale


@task
def split_{m}(n: int) -> tuple[int, int]:
    return n // 2, n - n // 2


@task
def scale_{m}(p: Point, factor: float = 2.0) -> Point:
    return Point(x=p.x * factor, y=p.y * factor, label=p.label)


@task
def describe_{m}(p: Point, colour: Colour) -> dict[str, str]:
    return {{"x": str(p.x), "y": str(p.y), "colour": colour.value}}


@task
def total_{m}(values: list[int]) -> int:
    return sum(values)
'''

WORKFLOW = '''"""Workflows of package {p}, module {m}."""

import functools

import flowgen as fg
from flowgen import map_task, workflow

from {p}.tasks_{m} import (
    describe_{m},
    make_point_{m},
    norm_{m},
    paint_{m},
    scale_{m},
    split_{m},
    stats_{m},
    total_{m},
)
from {p}.models import Colour


@workflow
def pipeline_{m}(x: float, y: float, n: int = 3) -> tuple[float, int]:
    norms = []
    for i in range(4):
        p = make_point_{m}(x=x, y=float(i))
        norms.append(norm_{m}(p=p))
    s = stats_{m}(values=norms)
    a, b = split_{m}(n=n)
    label = paint_{m}(colour=Colour.RED, scale=2)
    label >> s.mean
    return s.mean, s.count


@workflow
def shapes_{m}(x: float, y: float) -> dict[str, str]:
    p = make_point_{m}(x=x, y=y)
    bigger = scale_{m}(p=p, factor=3.0)
    d = describe_{m}(p=bigger, colour=Colour.GREEN)
    total = total_{m}(values=[split_{m}(n=k)[1] for k in (1, 2, 3)])
    return d


@fg.workflow
def fan_{m}(xs: list[int]) -> list[int]:
    halves = map_task(functools.partial(split_{m}, n=1))
    return [split_{m}(n=x)[0] for x in [1, 2, 3]]
'''


LICENSE = "".join(f"# {line}\n" for line in (
    "Copyright (c) the flowgen benchmark authors.",
    "",
    "Licensed under the Apache License, Version 2.0 (the \"License\");",
    "you may not use this file except in compliance with the License.",
    "You may obtain a copy of the License at",
    "",
    "    http://www.apache.org/licenses/LICENSE-2.0",
    "",
    "Unless required by applicable law or agreed to in writing, software",
    "distributed under the License is distributed on an \"AS IS\" BASIS,",
    "WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.",
    "See the License for the specific language governing permissions and limitations.",
)) + "\n"


def generate(root: str, modules: int) -> int:
    """A tree of packages, each with models, task modules and workflow modules; returns its line count."""
    lines = 0
    count = 0
    p = 0
    while count < modules:
        package = f"pkg{p}"
        directory = os.path.join(root, package)
        os.makedirs(directory)
        files = {"__init__.py": "", "models.py": MODELS.format(p=package)}
        for m in range(4):
            files[f"tasks_{m}.py"] = TASKS.format(p=package, m=m)
            files[f"flows_{m}.py"] = WORKFLOW.format(p=package, m=m).replace(
                f"    halves = map_task(functools.partial(split_{m}, n=1))\n", "")
        for name, text in list(files.items())[: modules - count]:
            text = LICENSE + text
            with open(os.path.join(directory, name), "w") as fh:
                fh.write(text)
            lines += text.count("\n")
            count += 1
        p += 1
    return lines


def _files(root: str) -> list[str]:
    return sorted(os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if f.endswith(".py"))


def _parse(path: str) -> int:
    with open(path, "rb") as fh:
        cst.parse_module(fh.read())
    return 1


def _cpu() -> float:
    """CPU seconds of this process and of its finished (reaped) workers."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def bare_parse(root: str, jobs: int) -> tuple[float, float]:
    files = _files(root)
    start, cpu = time.perf_counter(), _cpu()
    if jobs <= 1:
        for f in files:
            _parse(f)
    else:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            pool.map(_parse, files, chunksize=max(1, len(files) // (jobs * 8)))
            pool.close()
            pool.join()
    return time.perf_counter() - start, _cpu() - cpu


def flowgen_check(root: str, jobs: int) -> tuple[float, float, int]:
    start, cpu = time.perf_counter(), _cpu()
    result = check_paths([root], jobs=jobs)
    return time.perf_counter() - start, _cpu() - cpu, len(result.diagnostics)


def best(fn, repeat: int):  # type: ignore[no-untyped-def]
    """The best wall time and the best CPU time of ``repeat`` runs (and the rest of the first)."""
    results = [fn() for _ in range(repeat)]
    return (min(r[0] for r in results), min(r[1] for r in results), *results[0][2:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", type=int, default=1000)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=min(os.cpu_count() or 1, 2))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="flowgen-bench-") as tmp:
        big, small = os.path.join(tmp, "big"), os.path.join(tmp, "small")
        big_lines, small_lines = generate(big, args.modules), generate(small, args.small)
        rows = []
        for label, root, lines, n in (("big", big, big_lines, args.modules), ("small", small, small_lines, args.small)):
            p1_wall, p1_cpu = best(lambda r=root: bare_parse(r, 1), args.repeat)
            pn_wall, pn_cpu = best(lambda r=root: bare_parse(r, args.jobs), args.repeat)
            c_wall, c_cpu, found = best(lambda r=root: flowgen_check(r, args.jobs), args.repeat)
            rows.append((label, n, lines, p1_wall, pn_wall, c_wall, p1_cpu, pn_cpu, c_cpu, found))
        j = args.jobs
        load_after = os.getloadavg()
        print(f"flowgen check vs libcst bare parse ({j} worker(s), best of {args.repeat}; wall | CPU seconds; "
              f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after, on {os.cpu_count()} cores)")
        print(f"{'tree':<6} {'modules':>7} {'lines':>7} | {'parse 1p':>8} {f'parse {j}p':>8} {f'check {j}p':>8} "
              f"{f'check/parse({j}p)':>16} | {'parse 1p':>8} {f'parse {j}p':>8} {f'check {j}p':>8} "
              f"{f'check/parse({j}p)':>16} {'diags':>5}")
        for label, n, lines, p1w, pnw, cw, p1c, pnc, cc, found in rows:
            print(f"{label:<6} {n:>7} {lines:>7} | {p1w:>7.2f}s {pnw:>7.2f}s {cw:>7.2f}s {cw / pnw:>16.2f} | "
                  f"{p1c:>7.2f}s {pnc:>7.2f}s {cc:>7.2f}s {cc / pnc:>16.2f} {found:>5}")
        big_row, small_row = rows[0], rows[1]
        print(f"scaling: {args.modules} modules cost {big_row[5] / small_row[5]:.1f}x (wall), "
              f"{big_row[8] / small_row[8]:.1f}x (CPU) what {args.small} cost (target <= 12x); "
              f"check/parse target <= 1.2x with the same workers")


if __name__ == "__main__":
    main()
