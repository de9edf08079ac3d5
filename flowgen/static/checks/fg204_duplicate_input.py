"""FG204: an input passed twice (by position and keyword), or too many positional arguments."""

from flowgen.static.checks._base import Check

_TASKS = '''from flowgen import task, workflow


@task
def add(a: int, b: int) -> int:
    return a + b
'''

CHECK = Check(
    code="FG204",
    name="duplicate-input",
    severity="error",
    summary="Arguments are bound to inputs by the signature; each input is bound once.",
    hint="pass each input once",
    valid=(_TASKS + '''

@workflow
def wf(x: int) -> int:
    return add(x, b=2)
''',),
    invalid=(
        _TASKS + '''

@workflow
def wf(x: int) -> int:
    return add(x, a=2)  # expect: FG204
''',
        _TASKS + '''

@workflow
def wf(x: int) -> int:
    return add(x, 1, 2)  # expect: FG204
''',
    ),
)
