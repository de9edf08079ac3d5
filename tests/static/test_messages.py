"""What a diagnostic says, beyond its code and line: one report per mistake, and words
that tell two different things apart."""

from __future__ import annotations

import os

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
