"""Fan-outs made by a loop are one line in a generated module, and behave like every other node.

A run of :data:`~flowgen.codegen.dataflow.FAN_FROM` or more identical task calls is one
statement bound to a list; generated == interpreted == plain Python, on every path
(checked, fast, a parallel executor), and a failure names the very node that failed.
"""

from __future__ import annotations

import inspect

import pytest

from flowgen.codegen.dataflow import FAN_FROM
from flowgen.errors import TaskError
from flowgen.runtime import generated as runtime

from .workspace import write_and_build

N = FAN_FROM * 3

SOURCE = f'''
from flowgen import task, workflow

CALLS: list[int] = []


@task
def inc(x: int) -> int:
    CALLS.append(x)
    if len(CALLS) == 7 and x == 13:
        raise ValueError("the seventh call fails")
    return x + 1


@task
def total(values: list[int]) -> int:
    return sum(values)


@task
def pick(v: int, w: int) -> int:
    return v * 100 + w


@workflow
def fan(x: int) -> int:
    return total(values=[inc(x=x) for _ in range({N})])


@workflow
def fan_mixed(x: int) -> int:
    ys = [inc(x=x) for _ in range({N})]
    first = pick(v=ys[0], w=ys[{N} - 1])
    return total(values=[first, *ys, first])


@workflow
def chain(x: int) -> int:
    for _ in range(700):
        x = inc(x=x)
    return x


@workflow
def fresh_lists(x: int) -> int:
    return total(values=[total(values=[x, 1]) for _ in range({N})])


@workflow
def short(x: int) -> int:
    return total(values=[inc(x=x) for _ in range({FAN_FROM - 1})])
'''


@pytest.fixture(scope="module")
def built() -> tuple[object, object]:
    return write_and_build(SOURCE, "fanout")


def _source(fn: object) -> str:
    return inspect.getsource(fn)  # type: ignore[arg-type]


def test_a_fan_out_is_one_line_and_a_short_run_is_not(built: tuple[object, object]) -> None:
    _user, gen = built
    checked = _source(gen._fan_checked)  # type: ignore[attr-defined]
    fast = _source(gen._fan_fast)  # type: ignore[attr-defined]
    assert f'n0_n{N - 1}_inc: list[int] = _n_fan_inc.fan(_p, "n", 0, {N}, x=x)' in checked
    assert f"n0_n{N - 1}_inc: list[int] = _fg.fan(_f_inc, {N}, x=x)" in fast
    assert f"values=[*n0_n{N - 1}_inc]" in checked and f"values=[*n0_n{N - 1}_inc]" in fast
    # a list input is a fresh list per node in plain Python: no run, one line per node
    fresh = _source(gen._fresh_lists_fast)  # type: ignore[attr-defined]
    assert ".fan(" not in fresh and fresh.count("_f_total(values=[x, 1])") == N
    short = _source(gen._short_checked)  # type: ignore[attr-defined]
    assert short.count("_n_short_inc(_p, ") == FAN_FROM - 1 and ".fan(" not in short


@pytest.mark.parametrize("validate", [True, False], ids=["checked", "fast"])
def test_fan_results_equal_the_interpreter_and_plain_python(built: tuple[object, object], validate: bool) -> None:
    user, gen = built
    for name, x in (("fan", 1), ("fan_mixed", 2), ("short", 3), ("fresh_lists", 4)):
        user.CALLS.clear()  # type: ignore[attr-defined]
        interpreted = getattr(user, name)(x=x)
        user.CALLS.clear()  # type: ignore[attr-defined]
        with runtime.validation(validate):
            generated = getattr(gen, name)(x=x)
        assert generated == interpreted, name
    assert gen.fan_mixed(x=2) == (3 * 100 + 3) * 2 + 3 * N  # type: ignore[attr-defined]
    user.CALLS.clear()  # type: ignore[attr-defined]
    assert runtime.run(gen.fan, executor="threads", x=5) == 6 * N  # type: ignore[attr-defined]


@pytest.mark.parametrize("validate", [True, False], ids=["checked", "fast"])
def test_a_failing_node_of_a_fan_is_named_as_the_interpreter_names_it(
        built: tuple[object, object], validate: bool) -> None:
    user, gen = built
    user.CALLS.clear()  # type: ignore[attr-defined]
    with pytest.raises(TaskError) as interpreted:
        user.fan(x=13)  # type: ignore[attr-defined]
    user.CALLS.clear()  # type: ignore[attr-defined]
    with runtime.validation(validate), pytest.raises(TaskError) as generated:
        gen.fan(x=13)  # type: ignore[attr-defined]
    assert interpreted.value.node == generated.value.node == "n6"
    assert str(generated.value) == str(interpreted.value)
    assert generated.value.location == interpreted.value.location


@pytest.mark.parametrize("validate", [True, False], ids=["checked", "fast"])
def test_a_large_module_embeds_its_ir_and_line_tables_compressed(built: tuple[object, object], validate: bool) -> None:
    user, gen = built
    text = _source(gen)
    assert "_LINES_chain = _fg.packed_lines(" in text and "_PROGRAM = _fg.program(\n    _ROOT,\n    _fg.packed(" in text
    user.CALLS.clear()  # type: ignore[attr-defined]
    assert gen.chain(x=1) == user.chain(x=1) == 701  # type: ignore[attr-defined]
    user.CALLS.clear()  # type: ignore[attr-defined]
    with pytest.raises(TaskError) as interpreted:
        user.chain(x=7)  # type: ignore[attr-defined]
    user.CALLS.clear()  # type: ignore[attr-defined]
    with runtime.validation(validate), pytest.raises(TaskError) as generated:
        gen.chain(x=7)  # type: ignore[attr-defined]
    assert interpreted.value.node == generated.value.node == "n6"
    assert str(generated.value) == str(interpreted.value)
    assert generated.value.location == interpreted.value.location
    user.CALLS.clear()  # type: ignore[attr-defined]
    ir = runtime.workflow_of(gen.chain).ir()  # type: ignore[attr-defined]
    assert ir is not None and len(ir.workflows[ir.entry].nodes) == 700  # the packed IR decodes
    assert runtime.run(gen.chain, executor="threads", x=1) == 701  # type: ignore[attr-defined]


def test_a_module_generated_before_shared_helpers_says_to_regenerate(built: tuple[object, object]) -> None:
    from flowgen.errors import FlowgenError

    _user, gen = built
    helper = gen._n_fan_inc  # type: ignore[attr-defined]
    site = helper.site
    for make in (  # the old spelling: the node id right after the function / the callee's name
        lambda: runtime.TaskNode(helper.spec, helper.fn, "n0", "fanout.fan", site),
        lambda: runtime.DynamicNode(helper.spec, helper.fn, "n0", "fanout.fan", site),
        lambda: runtime.MapNode(helper.spec, helper.fn, "n0", "fanout.fan", site, ("x",), 1.0),
        lambda: runtime.WorkflowNode(helper.spec.interface, "fanout.fan", "n0", "fanout.fan", site),
    ):
        with pytest.raises(FlowgenError) as stale:
            make()
        assert "predates shared node helpers" in str(stale.value)
        assert "regenerate it with `flowgen build`" in (stale.value.hint or "")
