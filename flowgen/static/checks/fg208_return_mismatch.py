"""FG208: what a workflow or @dynamic returns does not match its declared outputs."""

from flowgen.static.checks._base import Check

_TASKS = '''from flowgen import dynamic, task, workflow


@task
def name_of(x: int) -> str:
    return str(x)


@task
def double(x: int) -> int:
    return 2 * x
'''

CHECK = Check(
    code="FG208",
    name="return-mismatch",
    severity="error",
    summary="The returned values must match the return annotation in number and type.",
    hint="return what the annotation declares, or fix the annotation",
    valid=(_TASKS + '''

@workflow
def wf(x: int) -> tuple[int, str]:
    return double(x=x), name_of(x=x)
''',),
    invalid=(
        _TASKS + '''

@workflow
def wf(x: int) -> int:
    return name_of(x=x)  # expect: FG208
''',
        _TASKS + '''

@workflow
def wf(x: int) -> tuple[int, str]:
    return double(x=x)  # expect: FG208
''',
        _TASKS + '''

@dynamic
def dyn(x: int) -> str:
    return double(x=x)  # expect: FG208
''',
    ),
)
