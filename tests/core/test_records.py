"""The lean record path of @dynamic bodies (flowgen/tracing/records.py, flowgen/runtime/recorded.py).

Every test compares the record path with the IR path it replaces: the same Program when the
IR is asked for, the same results, the same errors (type, message, node, location), the
same cache behaviour; and checks which bodies fall back to the IR path before any node runs.
"""

from __future__ import annotations

import dataclasses
import os
import typing
from typing import Any

import pytest
from annotated_types import Ge, MaxLen

from flowgen import Resources, conditional, dynamic, map_task, task, workflow
from flowgen.errors import FlowgenError
from flowgen.ir.model import Program
from flowgen.runtime.cache import set_cache_enabled
from flowgen.runtime.interpreter import Interpreter
from flowgen.tracing.compiler import trace_dynamic, trace_dynamic_records
from flowgen.tracing.records import RecordedGraph

HERE = os.path.abspath(__file__)
CALLS: list[str] = []


@dataclasses.dataclass
class Box:
    items: typing.List[int]
    label: str


@task
def inc(x: int) -> int:
    return x + 1


@task
def grow(xs: typing.List[int], x: int) -> typing.List[int]:
    xs.append(x)  # mutates its input: value semantics must hide it
    return xs


@task
def total(xs: typing.List[int]) -> int:
    return sum(xs)


@task
def boxed(xs: typing.List[int]) -> Box:
    return Box(items=xs, label=str(len(xs)))


@task
def label_len(s: str) -> int:
    return len(s)


@task
def maybe_fail(x: int) -> int:
    if x == 3:
        raise ValueError(f"bad {x}")
    return x


@task
def wrong_output(x: int) -> int:
    return str(x)  # type: ignore[return-value]


@task
def with_default(x: int, y: int = 10) -> int:
    return x + y


@task
def note(x: int) -> None:
    CALLS.append(f"note {x}")


@task
def as_float(x: float) -> float:
    return x * 2


@task
def split(x: int) -> typing.Tuple[int, int]:
    return x, -x


@task(cache=True, cache_version="1")
def cached_square(x: int) -> int:
    CALLS.append(f"square {x}")
    return x * x


@task
def clear(xs: typing.List[int]) -> typing.List[int]:
    xs.clear()  # mutates its input
    return xs


@task
def short(xs: typing.Annotated[typing.List[int], MaxLen(2)], k: typing.Annotated[int, Ge(0)]) -> int:
    return len(xs) + k


@dynamic
def constrained(n: int) -> int:
    return short(xs=[1, 2, 3][:n], k=n - 1)  # a list literal checked while tracing, an int when run


@task(cache=True, cache_version="1")
def cached_list(n: int) -> typing.List[int]:
    return [n, n]


@dynamic
def read_twice(n: int) -> int:
    xs = grow(xs=[1], x=n)
    cleared = clear(xs=xs)  # one reader mutates its copy ...
    return total(xs=[total(xs=cleared), total(xs=xs)])  # ... the other still sees [1, n]


@dynamic
def clear_cached(n: int) -> int:
    return total(xs=clear(xs=cached_list(n=n)))  # read once, but maybe a cache hit


@dynamic
def read_cached(n: int) -> int:
    return total(xs=cached_list(n=n))


@dynamic
def chain(n: int) -> int:
    v = 0
    for _ in range(n):
        v = inc(x=v)
    return v


@dynamic
def mixed(n: int) -> float:
    xs = grow(xs=[1, 2], x=n)  # a list literal: kept as IR
    xs = grow(xs=xs, x=inc(x=n))
    b = boxed(xs=xs)
    note(x=n)
    parts = [inc(x=i) for i in range(3)]  # Promises inside a list literal
    length = label_len(s=b.label)  # a Promise with a path
    return as_float(x=inc(x=total(xs=[*parts, total(xs=xs), length])))  # int into float


@dynamic
def fails_at_three(n: int) -> int:
    v = 0
    for _ in range(n):
        v = maybe_fail(x=inc(x=v))
    return v


@dynamic
def bad_output(n: int) -> int:
    return wrong_output(x=inc(x=n))


@dynamic
def squares(n: int) -> int:
    return total(xs=[cached_square(x=i) for i in range(n)])


@dynamic
def uses_default(n: int) -> int:
    a = inc(x=n)
    return with_default(x=a)


@dynamic
def uses_map(n: int) -> int:
    a = inc(x=n)
    return total(xs=map_task(inc)(x=[a, 2, 3]))


@dynamic
def uses_conditional(n: int) -> int:
    a = inc(x=n)
    return conditional("c").if_(a > 2).then(inc(x=a)).else_().then(label_len(s="ab"))


@dynamic
def uses_tuple(n: int) -> int:
    a, b = split(x=inc(x=n))
    return total(xs=[a, b])


@dynamic
def inner(n: int) -> int:
    return inc(x=n)


@dynamic
def uses_nested(n: int) -> int:
    return inner(n=inc(x=n))


@workflow
def sub(n: int) -> int:
    return inc(x=n)


@dynamic
def uses_workflow(n: int) -> int:
    return sub(n=inc(x=n))


@dynamic
def uses_order(n: int) -> int:
    a = inc(x=n)
    b = inc(x=n)
    a >> b
    return b


@dynamic
def uses_override(n: int) -> int:
    return inc(x=n).with_overrides(requests=Resources(cpu="1"))


@dynamic
def wrong_literal(n: int) -> int:
    a = inc(x=n)
    return inc(x="seven" if n else a)  # type: ignore[arg-type]


@dynamic
def raises_midway(n: int) -> int:
    note(x=n)
    if n > 0:
        raise RuntimeError("stop")
    return n


def _spec(dyn: Any) -> Any:
    return dyn.spec()


def _traced(dyn: Any, **inputs: Any) -> Any:
    return trace_dynamic_records(_spec(dyn), dyn.fn, inputs)


def _run(dyn: Any, use_records: bool, **inputs: Any) -> Any:
    spec = _spec(dyn)
    interpreter = Interpreter(Program(entry=spec.name, workflows={}, tasks={spec.name: spec}))
    interpreter.use_records = use_records
    return interpreter.run_dynamic(spec, dyn.fn, inputs, spec.name, "n0", None), interpreter


def _outcome(dyn: Any, use_records: bool, **inputs: Any) -> Any:
    try:
        return ("ok", _run(dyn, use_records, **inputs)[0])
    except FlowgenError as exc:
        return ("error", type(exc).__name__, str(exc), exc.node, exc.task, exc.location)


LEAN = [(constrained, {"n": 2}), (chain, {"n": 5}), (chain, {"n": 0}), (mixed, {"n": 4}), (squares, {"n": 3}), (read_twice, {"n": 2}),
        (fails_at_three, {"n": 2}), (uses_override, {"n": 1})]
FALLBACK = [(uses_default, {"n": 1}), (uses_map, {"n": 1}), (uses_conditional, {"n": 1}),
            (uses_conditional, {"n": 5}), (uses_tuple, {"n": 2}), (uses_nested, {"n": 2}),
            (uses_workflow, {"n": 2}), (uses_order, {"n": 2})]


@pytest.mark.parametrize(("dyn", "inputs"), LEAN, ids=lambda v: getattr(v, "name", str(v)))
def test_plain_task_bodies_are_recorded_and_give_the_ir_path_program(dyn: Any, inputs: dict[str, Any]) -> None:
    traced = _traced(dyn, **inputs)
    assert isinstance(traced, RecordedGraph)
    assert traced.program() == trace_dynamic(_spec(dyn), dyn.fn, inputs)


@pytest.mark.parametrize(("dyn", "inputs"), FALLBACK, ids=lambda v: getattr(v, "name", str(v)))
def test_what_records_do_not_model_falls_back_to_the_same_program(dyn: Any, inputs: dict[str, Any]) -> None:
    traced = _traced(dyn, **inputs)
    assert isinstance(traced, Program)
    assert traced == trace_dynamic(_spec(dyn), dyn.fn, inputs)


@pytest.mark.parametrize(("dyn", "inputs"), LEAN + FALLBACK + [
    (fails_at_three, {"n": 3}), (fails_at_three, {"n": 5}), (bad_output, {"n": 1}),
    (wrong_literal, {"n": 1}), (wrong_literal, {"n": 0}), (raises_midway, {"n": 1}), (raises_midway, {"n": 0}),
    (constrained, {"n": 2}), (constrained, {"n": 3}), (constrained, {"n": 0}),
], ids=lambda v: getattr(v, "name", str(v)))
def test_records_and_ir_give_the_same_results_and_errors(dyn: Any, inputs: dict[str, Any]) -> None:
    set_cache_enabled(False)
    try:
        CALLS.clear()
        lean = _outcome(dyn, True, **inputs)
        lean_calls = list(CALLS)
        CALLS.clear()
        ir = _outcome(dyn, False, **inputs)
        assert lean == ir
        assert lean_calls == CALLS
    finally:
        set_cache_enabled(True)


def test_a_failing_task_is_named_with_its_node_and_call_site() -> None:
    kind, name, message, node, task_name, location = _outcome(fails_at_three, True, n=4)
    assert (kind, name, node, task_name) == ("error", "TaskError", "n0.n5", maybe_fail.name)
    assert "bad 3" in message
    line = next(i for i, text in enumerate(open(HERE).read().splitlines(), 1) if "v = maybe_fail(x=inc(x=v))" in text)
    assert (location.file, location.line) == (HERE, line)


def test_a_wrong_literal_fails_at_its_line_while_tracing() -> None:
    kind, name, message, *_, location = _outcome(wrong_literal, True, n=1)
    assert (kind, name) == ("error", "WiringError")
    assert "input 'x' of task" in message and "'seven'" in message
    line = next(i for i, text in enumerate(open(HERE).read().splitlines(), 1) if 'inc(x="seven"' in text)
    assert (location.file, location.line) == (HERE, line)


def test_nothing_runs_when_the_body_raises_after_some_calls() -> None:
    CALLS.clear()
    assert _outcome(raises_midway, True, n=1)[:2] == ("error", "CompileError")
    assert CALLS == []  # two-phase: the note() recorded before the raise never ran


def test_values_keep_their_semantics_on_the_record_path() -> None:
    assert _run(mixed, True, n=4)[0] == _run(mixed, False, n=4)[0]
    assert _run(mixed, True, n=4)[0] == {"o0": 2.0 * (1 + 2 + 3 + (1 + 2 + 4 + 5) + 1 + 1)}
    assert _run(chain, True, n=50)[0] == {"o0": 50}


def test_cache_hits_are_the_same_on_both_paths(tmp_path: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("FLOWGEN_CACHE_DIR", str(tmp_path))
    CALLS.clear()
    first, interp = _run(squares, True, n=3)
    assert first == {"o0": 5} and CALLS == ["square 0", "square 1", "square 2"] and interp.cached_nodes == []
    CALLS.clear()
    again, interp = _run(squares, True, n=4)
    assert again == {"o0": 14} and CALLS == ["square 3"]
    assert interp.cached_nodes == ["n0.n0", "n0.n1", "n0.n2"]
    CALLS.clear()
    ir, interp_ir = _run(squares, False, n=4)
    assert ir == again and CALLS == [] and interp_ir.cached_nodes == ["n0.n0", "n0.n1", "n0.n2", "n0.n3"]


def test_a_value_read_once_is_not_copied_yet_nothing_sees_a_mutation(tmp_path: Any, monkeypatch: Any) -> None:
    assert _run(read_twice, True, n=5)[0] == {"o0": 6}
    traced = _traced(read_twice, n=5)
    assert [r._readers for r in traced.records] == [2, 1, 1, 1, 1]  # grow is read by clear and total
    monkeypatch.setenv("FLOWGEN_CACHE_DIR", str(tmp_path))
    for _ in range(3):  # cache hits the clearing reader gets: copies, so the cache keeps [4, 4]
        assert _run(clear_cached, True, n=4)[0] == {"o0": 0}
    assert _run(read_cached, True, n=4)[0] == {"o0": 8}


def test_running_releases_the_records() -> None:
    traced = _traced(chain, n=20)
    assert isinstance(traced, RecordedGraph)
    spec = _spec(chain)
    from flowgen.runtime.recorded import run_records

    interpreter = Interpreter(Program(entry=spec.name, workflows={}, tasks={spec.name: spec}))
    assert run_records(interpreter, traced, spec.name, "n0.") == {"o0": 20}
    assert traced.records == [None] * 20  # each slot dropped as its node ran
    assert list(traced.output_reads) == ["n19"]  # only what the outputs read is kept
    with pytest.raises(RuntimeError, match="have run"):
        traced.program()


def test_an_observer_or_keep_going_takes_the_ir_path() -> None:
    events: list[str] = []

    class Observer:
        def node_started(self, path: str, node: Any, **_: Any) -> None:
            events.append(path)

        def node_finished(self, path: str, node: Any, status: str, *_: Any, **__: Any) -> None:
            pass

        def nodes_added(self, path: str, count: int) -> None:
            events.append(f"added {count}")

    spec = _spec(chain)
    interpreter = Interpreter(Program(entry=spec.name, workflows={}, tasks={spec.name: spec}), Observer())
    assert interpreter.run_dynamic(spec, chain.fn, {"n": 3}, spec.name, "n0", None) == {"o0": 3}
    assert events == ["added 3", "n0.n0", "n0.n1", "n0.n2"]
