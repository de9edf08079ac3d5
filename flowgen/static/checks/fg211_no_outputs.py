"""FG211: the result of a call without outputs used as a value, or `>>` between non-calls."""

from flowgen.static.checks._base import Check

_TASKS = '''from flowgen import task, workflow


@task
def setup() -> None:
    pass


@task
def double(x: int) -> int:
    return 2 * x
'''

CHECK = Check(
    code="FG211",
    name="no-outputs",
    severity="error",
    summary="A call declared `-> None` returns a handle usable only for ordering (`a >> b`).",
    hint="order it with `setup() >> double(x=x)`; pass data only from calls that return it",
    valid=(_TASKS + '''

@workflow
def wf(x: int) -> int:
    ready = setup()
    y = double(x=x)
    ready >> y
    return y
''',),
    invalid=(
        _TASKS + '''

@workflow
def wf(x: int) -> int:
    ready = setup()
    return double(x=ready)  # expect: FG211
''',
        _TASKS + '''

@workflow
def wf(x: int) -> int:
    y = double(x=x)
    x >> y  # expect: FG211
    return y
''',
    ),
)
