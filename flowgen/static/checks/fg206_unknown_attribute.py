"""FG206: an attribute the Promise's type does not have."""

from flowgen.static.checks._base import Check

_TASKS = '''from dataclasses import dataclass

from flowgen import task, workflow


@dataclass
class Fit:
    slope: float
    intercept: float


@task
def fit(xs: list[float]) -> Fit:
    return Fit(slope=1.0, intercept=0.0)


@task
def show(x: float) -> str:
    return str(x)
'''

CHECK = Check(
    code="FG206",
    name="unknown-attribute",
    severity="error",
    summary="Attribute access on a Promise is typed: only fields of a dataclass, pydantic model or "
    "NamedTuple exist.",
    hint=None,
    valid=(_TASKS + '''

@workflow
def wf(xs: list[float]) -> str:
    return show(x=fit(xs=xs).slope)
''',),
    invalid=(
        _TASKS + '''

@workflow
def wf(xs: list[float]) -> str:
    return show(x=fit(xs=xs).slop)  # expect: FG206
''',
        _TASKS + '''

@workflow
def wf(xs: list[float], name: str) -> str:
    return show(x=name.upper())  # expect: FG206
''',
        _TASKS + '''

@workflow
def wf(xs: list[float]) -> str:
    xs.append(1.0)  # expect: FG206
    return show(x=xs[0])
''',
        '''from typing import NamedTuple

from flowgen import task, workflow


class Line(NamedTuple):
    slope: float
    intercept: float


@task
def line(xs: list[float]) -> Line:
    return Line(1.0, 0.0)


@task
def show(x: float) -> str:
    return str(x)


@workflow
def wf(xs: list[float]) -> str:
    return show(x=line(xs=xs).slop)  # expect: FG206
''',
    ),
)
