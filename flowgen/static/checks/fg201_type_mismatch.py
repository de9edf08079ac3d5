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

# Conditions compare like values: a comparison across unrelated types, or is_true()/is_false() on a
# non-bool, could never hold (or would fail) at run time, so the tracer rejects them as wiring errors.
_CONDITIONS = '''from typing import Optional

from flowgen import conditional, task, workflow


@task
def use(x: int) -> int:
    return x


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
        _CONDITIONS + '''

@workflow
def wf(x: int, f: float, flag: Optional[bool]) -> int:
    m = maybe(x=x)
    return (conditional("c").if_((x > 2.5) & (f < x) & (m == 3) & flag.is_true()).then(use(x=1))
            .elif_(m.is_none() | flag.is_false()).then(use(x=2)).else_().then(use(x=3)))
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
        _CONDITIONS + '''

@workflow
def wf(x: int) -> int:
    return conditional("c").if_(x.is_true()).then(use(x=x)).else_().then(use(x=0))  # expect: FG201
''',
        _CONDITIONS + '''

@workflow
def wf(x: int) -> int:
    m = maybe(x=x)
    return (conditional("c").if_(m.is_false())  # expect: FG201
            .then(use(x=x)).else_().then(use(x=0)))
''',
        _CONDITIONS + '''

@workflow
def wf(x: int) -> int:
    return conditional("c").if_(x > "a").then(use(x=x)).else_().then(use(x=0))  # expect: FG201
''',
        _CONDITIONS + '''

@workflow
def wf(x: int, s: str) -> int:
    return conditional("c").if_(s == x).then(use(x=x)).else_().then(use(x=0))  # expect: FG201
''',
    ),
)
