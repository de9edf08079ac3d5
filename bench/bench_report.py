"""Benchmark: what a run report costs (``flowgen run ... --report``), at about 1,000 and 10,000 nodes.

The reference example (examples/dynamic_workflows.py) with two strings of N
random letters makes 4N+1 task calls inside one ``@dynamic``. Measured in this
one process, best of ``--repeats`` runs:

* plain      -- the task bodies (each entity's ``.fn``) called in a plain loop;
* run        -- the flowgen interpreter, no observer;
* run+rec    -- the interpreter with a RunRecorder observing every node;
* report     -- building the HTML report from the recorder (layout, timeline, JSON);

and prints times, the ratios to plain Python and to the bare run, the report's
size, and how many nodes the grouped picture draws.

    .venv/bin/python bench/bench_report.py            # N = 250 and 2,500
    .venv/bin/python bench/bench_report.py --quick    # N = 25 and 250
"""

from __future__ import annotations

import argparse
import os
import random
import string
import sys
import time
from collections.abc import Callable
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "examples"))

import dynamic_workflows as ref  # noqa: E402

from flowgen.report import RunRecorder, build_report_html  # noqa: E402
from flowgen.runtime.gc_policy import run_scope  # noqa: E402
from flowgen.runtime.interpreter import Interpreter  # noqa: E402


def best(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def plain(s1: str, s2: str) -> int:
    return_index, update_list, derive_count = ref.return_index.fn, ref.update_list.fn, ref.derive_count.fn
    freq1, freq2 = [0] * 26, [0] * 26
    for ch in s1:
        freq1 = update_list(freq_list=list(freq1), list_index=return_index(character=ch))
    for ch in s2:
        freq2 = update_list(freq_list=list(freq2), list_index=return_index(character=ch))
    return int(derive_count(freq1=freq1, freq2=freq2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    sizes = (25, 250) if args.quick else (250, 2500)
    rng = random.Random(8)
    program = ref.wf.compile_program()
    rows = []
    for n in sizes:
        s1 = "".join(rng.choice(string.ascii_letters) for _ in range(n))
        s2 = "".join(rng.choice(string.ascii_letters) for _ in range(n))
        inputs = {"s1": s1, "s2": s2}

        def run(observer: RunRecorder | None = None, inputs: dict[str, str] = inputs) -> Any:
            with run_scope():
                return Interpreter(program, observer).run_workflow(program.entry, inputs)

        recorders: list[RunRecorder] = []  # the last run's recorder feeds the report

        def run_recorded(inputs: dict[str, str] = inputs, recorders: list[RunRecorder] = recorders) -> Any:
            recorder = RunRecorder(program)
            out = run(recorder, inputs)
            recorder.run_finished()
            recorders.append(recorder)
            return out

        t_plain, expected = best(lambda s1=s1, s2=s2: plain(s1, s2), max(args.repeats, 5))
        t_run, out = best(run, args.repeats)
        t_rec, out_rec = best(run_recorded, args.repeats)
        assert out["o0"] == out_rec["o0"] == expected, (out, out_rec, expected)
        recorder = recorders[-1]
        t_report, page = best(lambda recorder=recorder: build_report_html(recorder), args.repeats)
        drawn = page.count('class="fg-node ')
        rows.append((n, len(recorder.records), t_plain, t_run, t_rec, t_report, len(page), drawn))

    header = (f"{'chars':>6} {'nodes':>7} {'plain ms':>9} {'run ms':>8} {'run+rec ms':>11} {'report ms':>10} "
              f"{'run x plain':>11} {'rec/run':>8} {'report/run':>10} {'report KB':>10} {'drawn':>6}")
    print(header)
    print("-" * len(header))
    for n, nodes, tp, tr, tc, tg, size, drawn in rows:
        print(f"{n:>6} {nodes:>7} {tp * 1e3:>9.1f} {tr * 1e3:>8.1f} {tc * 1e3:>11.1f} {tg * 1e3:>10.1f} "
              f"{tr / tp:>11.1f} {tc / tr:>8.2f} {tg / tr:>10.2f} {size / 1024:>10.0f} {drawn:>6}")
    print("\nrec/run: cost of recording every node; report/run: building the HTML after the run;"
          "\ndrawn: boxes in the grouped picture (inputs and outputs included).")


if __name__ == "__main__":
    main()
