"""FG305: a workflow that calls itself (directly or through other workflows)."""

from flowgen.static.checks._base import Check

CHECK = Check(
    code="FG305",
    name="recursive-workflow",
    severity="error",
    summary="A workflow's graph is fixed at compile time, so it cannot contain itself.",
    hint="use a @dynamic to recurse",
    valid=('''from flowgen import task, workflow


@task
def double(x: int) -> int:
    return 2 * x


@workflow
def inner(x: int) -> int:
    return double(x=x)


@workflow
def outer(x: int) -> int:
    return inner(x=inner(x=x))
''',),
    invalid=('''from flowgen import task, workflow


@task
def double(x: int) -> int:
    return 2 * x


@workflow
def loop(x: int) -> int:
    return loop(x=double(x=x))  # expect: FG305
''',),
)
