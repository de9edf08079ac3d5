"""Differential property of generated plans: for hypothesis-generated @dynamic bodies inside the
plannable subset, the generated module with its plan gives exactly the interpreter's outcome and
the outcome of the same module with the plan disabled (the interpreter's record path), validation
on and off: results, or error type, message, node and task.

Bodies mix task calls (keyword and positional arguments, nested calls, a list threaded through
a task), loops and branches over the input, plain arithmetic, a task failing for some values,
and -- sometimes -- a task's result used as a value, which the plan must hand to the
interpreter's path (that raises the interpreter's own error).
"""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from flowgen.errors import FlowgenError
from flowgen.runtime import generated as runtime

from .workspace import write_and_build

PRELUDE = '''
import typing

from flowgen import dynamic, task, workflow


@task
def add(a: int, b: int) -> int:
    return a + b


@task
def neg(a: int) -> int:
    return -a


@task
def fragile(a: int) -> int:
    if a % 7 == 3:
        raise ValueError(f"fragile at {a}")
    return a * 2


@task
def join(xs: typing.List[int], a: int) -> typing.List[int]:
    xs.append(a)
    return xs


@task
def total(xs: typing.List[int]) -> int:
    return sum(xs)


'''


@st.composite
def bodies(draw: Any) -> str:
    lines = ["@dynamic", "def d(n: int) -> int:", "    xs = [n, 1]", "    m = n * 2 + 1", "    v0 = add(a=n, b=m)"]
    count = 1

    def expr(loop: bool) -> str:
        choices = ["n", "m", "3", "len(xs) if n > 100 else 2", *(f"v{j}" for j in range(count))]
        return draw(st.sampled_from([*choices, "i"] if loop else choices))

    def call(loop: bool) -> str:
        kind = draw(st.sampled_from(["add", "add_pos", "neg", "fragile", "nested", "misuse"]))
        if kind == "add":
            return f"add(a={expr(loop)}, b={expr(loop)})"
        if kind == "add_pos":
            return f"add({expr(loop)}, b={expr(loop)})"
        if kind == "neg":
            return f"neg(a={expr(loop)})"
        if kind == "fragile":
            return f"fragile({expr(loop)})"
        if kind == "nested":
            return f"add(a=neg(a={expr(loop)}), b={expr(loop)})"
        return f"neg(a=v{draw(st.integers(0, count - 1))} + 1)"  # a task's result used as a value

    for _ in range(draw(st.integers(1, 5))):
        shape = draw(st.sampled_from(["plain", "loop", "branch", "list"]))
        if shape == "plain":
            lines.append(f"    v{count} = {call(False)}")
        elif shape == "loop":
            lines.append(f"    v{count} = v0")
            lines.append("    for i in range(n % 4):")
            lines.append(f"        v{count} = {call(True)}")
        elif shape == "branch":
            lines.append(f"    v{count} = v0")
            lines.append("    if n % 2 == 0:")
            lines.append(f"        v{count} = {call(False)}")
        else:
            lines.append(f"    xs = join(xs=xs, a={expr(False)})")
            lines.append(f"    v{count} = total(xs=xs)")
        count += 1
    last = f"v{count - 1}"
    lines.append(draw(st.sampled_from([f"    return total(xs=join(xs, a={last}))", f"    return add(a={last}, b=n)"])))
    return PRELUDE + "\n".join(lines) + "\n\n\n@workflow\ndef wf(n: int) -> int:\n    return d(n=n)\n"


def _outcome(fn: Any, n: int) -> Any:
    try:
        return ("ok", fn(n=n))
    except FlowgenError as exc:
        return ("error", type(exc).__name__, exc.node, exc.task, str(exc))


@given(bodies(), st.integers(-10, 10))
def test_a_plan_equals_the_interpreter_and_the_record_path(source: str, n: int) -> None:
    user, generated = write_and_build(source, "planprop")
    plan = generated._P_d  # every generated body is in the plannable subset
    interpreted = _outcome(user.wf, n)
    checked = _outcome(generated.wf, n)
    with runtime.validation(False):
        fast = _outcome(generated.wf, n)
    assert plan.runs + plan.fallbacks == 2
    plan.enabled = False
    checked_records = _outcome(generated.wf, n)
    with runtime.validation(False):
        fast_records = _outcome(generated.wf, n)
    assert checked == interpreted == checked_records
    assert fast == fast_records
    if "+ 1)" not in source:  # no result used as a value: the plan ran both times
        assert plan.runs == 2, plan.last_fallback
