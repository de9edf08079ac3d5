"""The generated @dynamic hook on the lean record path (flowgen/runtime/generated/nodes.py::DynamicNode).

A generated module's @dynamic runs its body's plain task calls straight from records, checked
(validation on) or not (validation off); a body the records do not model runs its IR on the
interpreter. Results and errors (type, node, task, call site) equal the interpreter's.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from flowgen.errors import FlowgenError
from flowgen.runtime import generated as runtime

from .workspace import write_and_build

SOURCE = '''
import typing

from flowgen import dynamic, map_task, task, workflow


@task
def inc(x: int) -> int:
    return x + 1


@task
def grow(xs: typing.List[int], x: int) -> typing.List[int]:
    xs.append(x)
    return xs


@task
def total(xs: typing.List[int]) -> int:
    return sum(xs)


@task
def fragile(x: int) -> int:
    if x == 7:
        raise ValueError("seven")
    return x


@dynamic
def chain(n: int) -> int:
    xs = [0]
    for i in range(n):
        xs = grow(xs=xs, x=fragile(x=inc(x=i)))
    return total(xs=xs)


@dynamic
def mapped(n: int) -> int:
    return total(xs=map_task(inc)(x=[inc(x=n), 2]))


@workflow
def wf(n: int) -> int:
    return chain(n=n)


@workflow
def wf_map(n: int) -> int:
    return mapped(n=n)
'''


def _outcome(fn: Any, **inputs: Any) -> Any:
    try:
        return ("ok", fn(**inputs))
    except FlowgenError as exc:
        location = exc.location
        return ("error", type(exc).__name__, exc.node, exc.task,
                (os.path.basename(location.file), location.line) if location else None)


@pytest.fixture(scope="module")
def modules() -> tuple[Any, Any]:
    return write_and_build(SOURCE, "dynrec")


@pytest.mark.parametrize(("workflow", "n"), [("wf", 0), ("wf", 4), ("wf", 6), ("wf", 9), ("wf_map", 3)])
def test_generated_dynamic_equals_the_interpreter_checked_and_fast(modules: tuple[Any, Any], workflow: str,
                                                                   n: int) -> None:
    user, generated = modules
    interpreted = _outcome(getattr(user, workflow), n=n)
    checked = _outcome(getattr(generated, workflow), n=n)
    with runtime.validation(False):
        fast = _outcome(getattr(generated, workflow), n=n)
    assert interpreted == checked == fast
    if workflow == "wf" and n < 7:
        assert interpreted == ("ok", sum(range(1, n + 1)))
    if workflow == "wf" and n >= 7:  # fragile(x=7): node n0.n19 (3 nodes per step, the 7th step)
        line = SOURCE.splitlines().index("        xs = grow(xs=xs, x=fragile(x=inc(x=i)))") + 1
        assert interpreted[:3] == ("error", "TaskError", "n0.n19")
        assert interpreted[4][1] == line
    if workflow == "wf_map":
        assert interpreted == ("ok", 5 + 3)


def test_the_hook_names_its_strategy(modules: tuple[Any, Any]) -> None:
    """`chain` runs from its generated plan (flowgen.runtime.generated.plans); `mapped` (a map_task
    call) has none and runs on the interpreter's record path."""
    assert runtime.DYNAMIC_STRATEGY == "plan"
    _, generated = modules
    plan = generated._P_chain
    before = plan.runs
    assert generated.wf(n=3) == 6
    assert plan.runs == before + 1 and plan.fallbacks == 0
    assert not hasattr(generated, "_P_mapped")
