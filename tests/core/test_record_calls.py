"""The per-task code of the record path: record makers (flowgen/tracing/record_calls.py) and
node runners (flowgen/runtime/record_runners.py).

A record maker takes only the calls it can make exactly as the recorder's general path would;
every other call (positional, defaults, coercions, other graphs, wrong literals) is left to
the general path untouched. Each test traces (and runs) bodies with makers and runners on and
off and compares records, Programs, results and errors -- and the IR path's.
"""

from __future__ import annotations

import enum
import os
import typing
import weakref
from typing import Any

import pytest

from flowgen import dynamic, task
from flowgen.errors import FlowgenError, TaskError, WiringError
from flowgen.ir.model import Program
from flowgen.runtime import recorded
from flowgen.runtime.cache import set_cache_enabled
from flowgen.runtime.interpreter import Interpreter
from flowgen.tracing import records as records_module
from flowgen.tracing.compiler import trace_dynamic, trace_dynamic_records
from flowgen.tracing.records import RecordedGraph, Recorder

HERE = os.path.abspath(__file__)
CALLS: list[str] = []


@task
def inc(x: int) -> int:
    return x + 1


@task
def pair(a: int, b: str) -> str:
    return f"{b}{a}"


@task
def halve(x: float) -> float:
    return x / 2


@task
def flag(b: bool) -> bool:
    return not b


@task
def grow(xs: typing.List[int], x: int) -> typing.List[int]:
    xs.append(x)  # mutates its input
    return xs


@task
def total(xs: typing.List[int]) -> int:
    return sum(xs)


@task
def log(x: int) -> None:
    CALLS.append(f"log {x}")


@task
def noisy(x: int) -> None:
    CALLS.append(f"noisy {x}")
    return x  # type: ignore[return-value]  # a task without outputs: what it returns is dropped


@task
def defaulted(x: int, y: int = 5) -> int:
    return x + y


@task
def explode(x: int) -> int:
    if x > 2:
        raise KeyError(f"no {x}")
    return x


@task
def lies(x: int) -> int:
    return [x]  # type: ignore[return-value]


@task
def takes_str(s: str) -> int:
    return len(s)


class Label(str):
    pass


class Level(enum.IntEnum):
    HIGH = 3


@task
def labelled(x: int) -> str:
    return Label(f"#{x}")  # a str subclass: the checker keeps it as it is


@task
def leveled(x: int) -> int:
    return Level.HIGH if x else x  # an int subclass


@task
def positive(x: int) -> int:
    return x > 0  # a bool for an int output


@task
def to_float(x: int) -> float:
    return x  # an int for a float output: converted


@task
def int_kind(x: int) -> str:
    return type(x).__name__


@task
def str_kind(s: str) -> str:
    return type(s).__name__


@task
def seed() -> int:
    CALLS.append("seed")
    return 7


@task
def tick() -> None:
    CALLS.append("tick")


@dynamic
def keywords(n: int) -> str:
    a = inc(x=n)
    b = inc(x=a)
    log(x=b)
    return pair(a=b, b="k")


@dynamic
def positional(n: int) -> str:
    a = inc(n)
    return pair(a, "p")


@dynamic
def mixed_args(n: int) -> str:
    return pair(inc(x=n), b="m")


@dynamic
def coerces(n: int) -> float:
    return halve(x=inc(x=n))  # an int Promise into a float input: the general path


@dynamic
def float_literal(n: int) -> float:
    return halve(x=n)  # an int literal for a float input


@dynamic
def bools(n: int) -> int:
    return inc(x=flag(b=n > 1))  # a bool Promise into an int input


@dynamic
def bool_literal(n: int) -> int:
    return inc(x=True) if n else inc(x=n)


@dynamic
def defaults(n: int) -> int:
    return defaulted(x=inc(x=n))


@dynamic
def lists(n: int) -> int:
    xs = grow(xs=[1, 2], x=n)
    xs = grow(xs=xs, x=inc(x=n))
    return total(xs=[total(xs=xs), inc(x=n)])


@dynamic
def unknown_keyword(n: int) -> int:
    return inc(y=n)  # type: ignore[call-arg]


@dynamic
def missing_keyword(n: int) -> int:
    return pair(a=n)  # type: ignore[call-arg, return-value]


@dynamic
def wrong_literal(n: int) -> int:
    return inc(x="three" if n else 3)  # type: ignore[arg-type]


@dynamic
def wrong_promise(n: int) -> int:
    return takes_str(s=inc(x=n))  # type: ignore[arg-type]


@dynamic
def failing(n: int) -> int:
    v = 0
    for _ in range(n):
        v = explode(x=inc(x=v))
    return v


@dynamic
def bad_output(n: int) -> int:
    return inc(x=lies(x=n))


@dynamic
def no_outputs(n: int) -> int:
    noisy(x=n)
    log(x=n)
    return inc(x=n)


@dynamic
def scalars(n: int) -> typing.List[typing.Any]:
    text = labelled(x=n)
    level = leveled(x=n)
    return [pair(a=level, b=text), halve(x=to_float(x=level)), takes_str(s=text), inc(x=level),
            int_kind(x=level), str_kind(s=text), int_kind(x=leveled(x=n)), str_kind(s=labelled(x=n))]


@dynamic
def bool_output(n: int) -> int:
    return inc(x=positive(x=n))


@dynamic
def no_inputs(n: int) -> int:
    tick()
    return inc(x=seed()) if n else seed(x=n)  # type: ignore[call-arg]


@dynamic
def helper_calls(n: int) -> int:
    return _helper(_helper(n))


def _helper(v: Any) -> Any:
    return inc(x=v)  # records made from another code object than the body's


@dynamic
def inner(n: int) -> int:
    return inc(x=n)


PROMISES: list[Any] = []
MARKERS: list[Any] = []


class Marker:
    pass


@dynamic
def keeps_a_local(n: int) -> int:
    marker = Marker()
    MARKERS.append(weakref.ref(marker))
    for _ in range(3):
        n = _helper(inc(x=n))
    return inc(x=n)


@dynamic
def outer_promise(n: int) -> int:
    PROMISES.append(inc(x=n))
    return inc(x=n)


@dynamic
def other_graph(n: int) -> int:
    return inc(x=PROMISES[-1])  # a Promise of another (finished) graph


BODIES = [
    (keywords, {"n": 1}), (positional, {"n": 2}), (mixed_args, {"n": 3}), (coerces, {"n": 3}),
    (float_literal, {"n": 3}), (bools, {"n": 2}), (bool_literal, {"n": 1}), (bool_literal, {"n": 0}),
    (defaults, {"n": 1}), (lists, {"n": 4}), (unknown_keyword, {"n": 1}), (missing_keyword, {"n": 1}),
    (wrong_literal, {"n": 1}), (wrong_literal, {"n": 0}), (wrong_promise, {"n": 1}), (failing, {"n": 2}),
    (failing, {"n": 4}), (bad_output, {"n": 1}), (no_outputs, {"n": 2}), (helper_calls, {"n": 1}),
    (no_inputs, {"n": 1}), (no_inputs, {"n": 0}), (scalars, {"n": 1}), (scalars, {"n": 0}),
    (bool_output, {"n": 1}), (keeps_a_local, {"n": 2}),
]


def _forget_makers() -> None:
    for entity in (inc, pair, halve, flag, grow, total, log, noisy, defaulted, explode, lies, takes_str, seed, tick,
                   labelled, leveled, positive, to_float, int_kind, str_kind):
        entity.__dict__.pop("_flowgen_record_info", None)
        entity.__dict__.pop("_flowgen_record_maker", None)


def _trace(dyn: Any, inputs: dict[str, Any]) -> Any:
    try:
        return trace_dynamic_records(dyn.spec(), dyn.fn, inputs)
    except FlowgenError as exc:
        return ("error", type(exc).__name__, str(exc), exc.node, exc.task, exc.location)


def _fields(traced: Any) -> Any:
    """Everything a record holds (a record as an input: its index)."""
    if not isinstance(traced, RecordedGraph):
        return traced
    return [(r._info.spec.name, [_arg(a) for a in r._args], r._site, r._index, r._readers, r._scope.name)
            for r in traced.records]


def _arg(value: Any) -> Any:
    if type(value) is records_module.RecordPromise:
        return ("record", value._index)
    if type(value) is records_module.Bound:
        return ("bound", value.binding, {node: r._index for node, r in value.reads.items()})
    return (type(value), value)


def _outcome(dyn: Any, inputs: dict[str, Any], *, use_records: bool = True) -> Any:
    spec = dyn.spec()
    interpreter = Interpreter(Program(entry=spec.name, workflows={}, tasks={spec.name: spec}))
    interpreter.use_records = use_records
    CALLS.clear()
    try:
        result: Any = ("ok", interpreter.run_dynamic(spec, dyn.fn, inputs, spec.name, "n0", None))
    except FlowgenError as exc:
        result = ("error", type(exc).__name__, str(exc), exc.node, exc.task, exc.location)
    return result, list(CALLS)


@pytest.mark.parametrize(("dyn", "inputs"), BODIES, ids=lambda v: getattr(v, "name", str(v)))
def test_makers_make_the_records_and_errors_of_the_general_path(
        dyn: Any, inputs: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    _forget_makers()
    fast = _trace(dyn, inputs)
    fast_fields, fast_program = _fields(fast), (fast.program() if isinstance(fast, RecordedGraph) else fast)
    monkeypatch.setattr(records_module, "record_maker", lambda *_: None)
    _forget_makers()
    try:
        general = _trace(dyn, inputs)
        assert fast_fields == _fields(general)
        assert fast_program == (general.program() if isinstance(general, RecordedGraph) else general)
    finally:
        _forget_makers()
    if isinstance(fast_program, Program):
        assert fast_program == trace_dynamic(dyn.spec(), dyn.fn, inputs)


@pytest.mark.parametrize(("dyn", "inputs"), BODIES, ids=lambda v: getattr(v, "name", str(v)))
def test_runners_give_the_results_and_errors_of_the_ir_path(dyn: Any, inputs: dict[str, Any]) -> None:
    set_cache_enabled(False)
    try:
        assert _outcome(dyn, inputs) == _outcome(dyn, inputs, use_records=False)
    finally:
        set_cache_enabled(True)


def test_plain_keyword_calls_never_reach_the_general_path(monkeypatch: pytest.MonkeyPatch) -> None:
    def general(self: Any, *_: Any) -> Any:
        raise AssertionError("the general path was taken")

    monkeypatch.setattr(Recorder, "add_call_general", general)
    traced = _trace(keywords, {"n": 1})
    assert isinstance(traced, RecordedGraph) and len(traced.records) == 4
    assert [r._readers for r in traced.records] == [1, 2, 0, 1]
    line = next(i for i, text in enumerate(open(HERE).read().splitlines(), 1) if "b = inc(x=a)" in text)
    assert traced.program().workflows[keywords.spec().name].nodes[1].call_site.line == line


def test_the_general_path_is_taken_when_a_maker_cannot_make_the_record(monkeypatch: pytest.MonkeyPatch) -> None:
    taken: list[str] = []
    general = Recorder.add_call_general

    def counting(self: Any, callee: Any, args: Any, kwargs: Any) -> Any:
        taken.append(callee.name.rpartition(".")[2])
        return general(self, callee, args, kwargs)

    monkeypatch.setattr(Recorder, "add_call_general", counting)
    for dyn, inputs in [(positional, {"n": 1}), (coerces, {"n": 1}), (float_literal, {"n": 1}), (lists, {"n": 1})]:
        assert isinstance(_trace(dyn, inputs), RecordedGraph)
    # positional calls; an int Promise and an int literal for a float; list literals
    assert taken == ["inc", "pair", "halve", "halve", "grow", "total"]


def test_a_promise_of_another_graph_is_a_wiring_error_on_both_paths() -> None:
    """A Promise kept from an earlier run (here in a global) stands for a node of a finished graph:
    the records step aside to the IR path, whose builder refuses it at the call, in the user's
    words and at the user's line, before any task runs (it used to be taken for this graph's
    node of the same id, or fail with a KeyError from inside flowgen)."""
    PROMISES.clear()
    assert _outcome(outer_promise, {"n": 1})[0] == ("ok", {"o0": 2})
    traced = _trace(other_graph, {"n": 1})
    assert traced[:2] == ("error", "WiringError")
    assert "a Promise of dynamic" in traced[2] and "already traced" in traced[2]
    line = next(i for i, text in enumerate(open(HERE).read().splitlines(), 1) if "return inc(x=PROMISES[-1])" in text)
    assert (traced[5].file, traced[5].line) == (HERE, line)
    for use_records in (True, False):
        assert _outcome(other_graph, {"n": 1}, use_records=use_records) == (traced, [])
    with pytest.raises(WiringError, match="a Promise belongs to the graph that made it"):
        trace_dynamic(other_graph.spec(), other_graph.fn, {"n": 1})


def test_a_failing_task_keeps_its_own_traceback_and_names_its_node() -> None:
    spec = failing.spec()
    interpreter = Interpreter(Program(entry=spec.name, workflows={}, tasks={spec.name: spec}))
    with pytest.raises(TaskError) as info:
        interpreter.run_dynamic(spec, failing.fn, {"n": 4}, spec.name, "n0", None)
    err = info.value
    assert err.node == "n0.n5" and isinstance(err.__cause__, KeyError)
    assert 'raise KeyError(f"no {x}")' in err.task_traceback
    assert "record runner" not in err.task_traceback and "flowgen" not in err.task_traceback
    line = next(i for i, text in enumerate(open(HERE).read().splitlines(), 1) if "v = explode(x=inc(x=v))" in text)
    assert (err.location.file, err.location.line) == (HERE, line)


def test_unchecked_runners_hand_values_over_as_they_are() -> None:
    spec = lists.spec()
    interpreter = Interpreter(Program(entry=spec.name, workflows={}, tasks={spec.name: spec}))
    traced = _trace(lists, {"n": 4})
    assert recorded.run_records(interpreter, traced, spec.name, "n0.", checked=False) == {"o0": 1 + 2 + 4 + 5 + 5}
    traced = _trace(no_outputs, {"n": 3})
    CALLS.clear()
    assert recorded.run_records(interpreter, traced, spec.name, "n0.", checked=False) == {"o0": 4}
    assert CALLS == ["noisy 3", "log 3"]
    traced = _trace(failing, {"n": 4})
    with pytest.raises(TaskError) as info:
        recorded.run_records(interpreter, traced, "failing", "n0.", checked=False)
    assert info.value.node == "n0.n5"


def test_the_body_and_its_locals_are_not_kept_past_the_trace() -> None:
    traced = _trace(keeps_a_local, {"n": 1})
    assert isinstance(traced, RecordedGraph) and len(traced.records) == 7
    assert MARKERS[-1]() is None  # the recorder let go of the body's frame
    assert _outcome(keeps_a_local, {"n": 1}) == _outcome(keeps_a_local, {"n": 1}, use_records=False)
