"""What a diagnostic says, beyond its code and line: one report per mistake, and words
that tell two different things apart."""

from __future__ import annotations

import os

import pytest

from flowgen.static import check_paths


def _check(tmp_path: object, files: dict[str, str]) -> list[tuple[int, str, str]]:
    root = str(tmp_path)
    for rel, text in files.items():
        with open(os.path.join(root, rel), "w") as fh:
            fh.write(text)
    result = check_paths([root], jobs=1)
    return [(d.line, d.code, d.message) for d in result.diagnostics]


_POINT = '''from dataclasses import dataclass


@dataclass
class Point:
    x: int
    y: int
'''


def test_same_class_name_in_two_modules_is_spelled_with_its_module(tmp_path: object) -> None:
    flow = '''from flowgen import task, workflow

from geo_a import Point
from geo_b import Point as OtherPoint


@task
def make(n: int) -> Point:
    return Point(n, n)


@task
def norm(p: OtherPoint) -> int:
    return p.x


@workflow
def wf(n: int) -> int:
    return norm(p=make(n=n))
'''
    found = _check(tmp_path, {"geo_a.py": _POINT, "geo_b.py": _POINT, "flow.py": flow})
    assert [(line, code) for line, code, _ in found] == [(19, "FG201")]
    assert "expects geo_b.Point, but output 'o0' of task flow.make (node n0) is geo_a.Point" in found[0][2]


def test_returned_conditional_without_else_is_reported_once(tmp_path: object) -> None:
    flow = '''from flowgen import conditional, task, workflow


@task
def double(x: int) -> int:
    return 2 * x


@workflow
def wf(x: int) -> int:
    return conditional("sign").if_(x > 0).then(double(x=x))
'''
    found = _check(tmp_path, {"flow.py": flow})
    assert [(line, code) for line, code, _ in found] == [(11, "FG210")]


_MISUSE_BODY = '''from flowgen import task, workflow


@task
def numbers() -> list[int]:
    return [1, 2, 3]


@task
def number() -> int:
    return 3


@workflow
def wf() -> None:
    xs = numbers()
    n = number()
    {statement}
'''


@pytest.mark.parametrize(
    ("statement", "code", "words"),
    [
        # The same words the tracer uses for the construct (tests/core/test_qa_runtime.py).
        ("xs[1:3]", "FG207", ("slicing a Promise", "`xs[1:3]`")),
        ("xs.append(1)", "FG206", ("`.append` (a method of the value) on a Promise", "`xs.append`")),
        ("a, b = n", "FG104", ("unpacking a Promise into 2 names", "`a, b`")),
        ("dict(xs)", "FG104", ("converting a Promise to a dict", "`dict(xs)`")),
        ("d = {**xs}", "FG104", ("converting a Promise to a dict", "`**xs`")),
        ("d = dict(**xs)", "FG104", ("converting a Promise to a dict", "`**xs`")),
    ],
)
def test_misuse_names_the_construct_like_the_tracer(
    tmp_path: object, statement: str, code: str, words: tuple[str, ...]
) -> None:
    found = _check(tmp_path, {"flow.py": _MISUSE_BODY.replace("{statement}", statement)})
    assert [(line, c) for line, c, _ in found] == [(18, code)], found
    for word in words:
        assert word in found[0][2], found[0][2]


def test_unpacking_a_single_output_hints_at_one_name(tmp_path: object) -> None:
    found = _check(tmp_path, {"flow.py": _MISUSE_BODY.replace("{statement}", "a, b = number()")})
    result = check_paths([str(tmp_path)], jobs=1)
    assert [(line, c) for line, c, _ in found] == [(18, "FG104")]
    assert result.diagnostics[0].hint is not None and "assign it to one name" in result.diagnostics[0].hint


_CONDITIONS = '''from flowgen import conditional, task, workflow


@task
def use(x: int) -> int:
    return x


@task
def name(x: int) -> str:
    return "a"


@workflow
def wf(x: int) -> int:
    s = name(x=x)
    return conditional("c").if_({condition}).then(use(x=x)).else_().then(use(x=0))
'''


@pytest.mark.parametrize(
    ("condition", "words"),
    [
        ("x.is_true()", ("workflow input 'x'.is_true(): workflow input 'x' is int, not bool",)),
        ("x.is_false()", ("is int, not bool",)),
        ('x > "a"', ("cannot compare a Promise of int with 'a' (str)",)),
        ("x == s", ("cannot compare workflow input 'x' (int) with output 'o0' of task flow.name (node n0) (str)",)),
    ],
)
def test_a_condition_that_can_never_hold_is_one_type_mismatch(
    tmp_path: object, condition: str, words: tuple[str, ...]
) -> None:
    # One report at the condition: no "conditional 'c' has no else_()" for the chain it interrupted.
    found = _check(tmp_path, {"flow.py": _CONDITIONS.replace("{condition}", condition)})
    assert [(line, c) for line, c, _ in found] == [(17, "FG201")], found
    for word in words:
        assert word in found[0][2], found[0][2]
