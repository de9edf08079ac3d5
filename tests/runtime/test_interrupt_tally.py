"""The in-process interpreter counts what finished as a Ctrl-C unwinds it (runtime/interrupts.py).

The CLI tests (tests/conformance/test_interrupt_counts.py) stop real runs with SIGINT; these
stop a run in this process, with a task that raises ``KeyboardInterrupt`` at a known node
(what Python does when SIGINT lands in it), and read the tally the exception carries, for
the shapes the CLI tests do not reach: a conditional's branch, a run that keeps going past a
failure, map items allowed to fail, and a @dynamic on both of its paths (lean records and IR)
-- the same counts either way, and the same as an observer (the progress counters) sees.
"""

from __future__ import annotations

import typing
from typing import Any

import pytest

from flowgen import WorkflowFailurePolicy, conditional, dynamic, map_task, task, workflow
from flowgen.runtime.interpreter import Interpreter
from flowgen.runtime.interrupts import InterruptTally
from flowgen.runtime.progress import RunProgress

STOP = -1  # a value that makes `step` raise KeyboardInterrupt


@task
def step(x: int) -> int:
    if x == STOP:
        raise KeyboardInterrupt
    return x + 1


@task
def fails(x: int) -> int:
    raise ValueError(f"no {x}")


@task
def item(x: int) -> int:
    if x == STOP:
        raise KeyboardInterrupt
    if x % 2:
        raise ValueError(f"odd {x}")
    return x


@workflow
def branch_stops(x: int) -> int:
    a = step(x=x)
    return conditional("c").if_(a > 0).then(step(x=step(x=STOP))).else_().then(step(x=a))


@workflow(failure_policy=WorkflowFailurePolicy.FAIL_AFTER_EXECUTABLE_NODES_COMPLETE)
def keeps_going(x: int) -> int:
    bad = fails(x=x)
    step(x=bad)  # skipped: it reads the failed node
    a = step(x=x)
    b = step(x=a)
    return stop_after(b=b)


@task
def stop_after(b: int) -> int:
    raise KeyboardInterrupt


@workflow
def items_stop(xs: list[int]) -> list[typing.Optional[int]]:
    return map_task(item, min_success_ratio=0.1)(x=xs)


@dynamic
def chain(n: int, stop_at: int, after: int) -> int:
    value = after
    for k in range(n):
        value = step(x=STOP if k == stop_at else value)
    return value


@workflow
def dynamic_stops(n: int, stop_at: int) -> int:
    a = step(x=1)
    b = step(x=a)
    return chain(n=n, stop_at=stop_at, after=b)


def _tally(wf: Any, inputs: dict[str, Any], observer: Any = None, records: bool = True) -> InterruptTally:
    program = wf.compile_program()
    interpreter = Interpreter(program, observer)
    interpreter.use_records = records
    with pytest.raises(KeyboardInterrupt) as stopped:
        interpreter.run_workflow(program.entry, inputs)
    tally = stopped.value.flowgen_tally  # type: ignore[attr-defined]
    assert isinstance(tally, InterruptTally)
    return tally


def _counts(tally: InterruptTally) -> tuple[int, int, int, int, int]:
    return tally.done, tally.items_done, tally.failed, tally.cached, tally.running


def _observed(wf: Any, inputs: dict[str, Any]) -> tuple[int, int, int, int, int]:
    """The same counts as the progress counters (an observer) have them."""
    progress = RunProgress()
    _tally(wf, inputs, progress)
    return progress.done, progress.items_done, progress.failed, progress.cached, progress.running


def test_a_conditional_branch_counts_its_finished_nodes() -> None:
    tally = _tally(branch_stops, {"x": 1})
    # step a done; the branch's first node, step(STOP), stops: it and the conditional cancelled.
    assert tally.counted
    assert _counts(tally) == (1, 0, 0, 0, 2)
    assert _counts(tally) == _observed(branch_stops, {"x": 1})


def test_a_run_that_keeps_going_counts_failed_and_skips_skipped() -> None:
    tally = _tally(keeps_going, {"x": 1})
    # fails (failed, counted), its reader skipped, step a, step b done; stop_after cancelled.
    assert _counts(tally) == (3, 0, 1, 0, 1)
    assert _counts(tally) == _observed(keeps_going, {"x": 1})


def test_map_items_allowed_to_fail_are_counted_failed() -> None:
    tally = _tally(items_stop, {"xs": [0, 1, 2, 3, STOP, 4]})
    # items 0..3 finished (1 and 3 failed), item 4 stops: the map node and that item cancelled.
    assert _counts(tally) == (4, 4, 2, 0, 2)
    assert _counts(tally) == _observed(items_stop, {"xs": [0, 1, 2, 3, STOP, 4]})


@pytest.mark.parametrize("records", [True, False])
def test_a_dynamic_counts_the_same_on_records_and_on_ir(records: bool) -> None:
    tally = _tally(dynamic_stops, {"n": 5, "stop_at": 3}, records=records)
    # step(1), step(a) done; the chain's first three children done, the fourth stops: chain and it cancelled.
    assert _counts(tally) == (5, 0, 0, 0, 2)
    assert _counts(tally) == _observed(dynamic_stops, {"n": 5, "stop_at": 3})
