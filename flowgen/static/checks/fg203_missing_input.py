"""FG203: an input without a default that the call does not pass."""

from flowgen.static.checks._base import Check

_TASKS = '''from flowgen import task, workflow


@task
def add(a: int, b: int = 1) -> int:
    return a + b
'''

CHECK = Check(
    code="FG203",
    name="missing-input",
    severity="error",
    summary="Every input without a default must be passed.",
    hint="pass the missing input, or give it a default in the definition",
    valid=(_TASKS + '''

@workflow
def wf(x: int) -> int:
    return add(a=x)
''',),
    invalid=(_TASKS + '''

@workflow
def wf(x: int) -> int:
    return add(b=x)  # expect: FG203
''',),
)
