"""FG401 (warning): a construct the static compiler cannot follow; the workflow is not compiled."""

from flowgen.static.checks._base import Check

_TASKS = '''import os

from flowgen import task, workflow


@task
def double(x: int) -> int:
    return 2 * x
'''

CHECK = Check(
    code="FG401",
    name="outside-static-subset",
    severity="warning",
    summary="The static compiler follows straight-line calls, constant loops and constant Python; "
    "anything else (calls into unknown code, try/with, nested functions) is reported, never guessed.",
    hint="`flowgen compile` without --static traces the workflow instead",
    valid=(_TASKS + '''

@workflow
def wf(x: int) -> int:
    factors = {"a": 1, "b": 2}
    return double(x=factors["b"])
''',),
    invalid=(
        _TASKS + '''

@workflow
def wf(x: int) -> int:
    return double(x=int(os.environ["N"]))  # expect: FG401
''',
        _TASKS + '''

@workflow
def wf(x: int) -> int:
    try:  # expect: FG401
        y = double(x=x)
    finally:
        pass
    return y
''',
    ),
)
