"""FG201: a value whose type does not fit the input it feeds (nested types included)."""

from flowgen.static.checks._base import Check

_TASKS = '''from typing import Optional

from flowgen import task, workflow


@task
def mean(xs: list[float]) -> float:
    return sum(xs) / len(xs)


@task
def count(xs: list[int]) -> int:
    return len(xs)


@task
def maybe(x: int) -> Optional[int]:
    return x or None
'''

CHECK = Check(
    code="FG201",
    name="type-mismatch",
    severity="error",
    summary="The producer's type is not assignable to the consumer's input type (PEP 484 rules; "
    "int widens to float, T fits Optional[T], bool is not int).",
    hint="convert the value in a task, or fix one of the annotations",
    valid=(
        _TASKS + '''

@workflow
def wf(xs: list[int]) -> float:
    return mean(xs=xs)
''',
    ),
    invalid=(
        _TASKS + '''

@workflow
def wf(xs: list[float]) -> int:
    return count(xs=xs)  # expect: FG201
''',
        _TASKS + '''

@workflow
def wf(x: int) -> int:
    m = maybe(x=x)
    return count(xs=[x, m])  # expect: FG201
''',
        _TASKS + '''

@workflow
def wf(x: int) -> int:
    return count(xs=[1, "two"])  # expect: FG201
''',
    ),
)
