"""FG202: a keyword argument that is not an input of the task or workflow."""

from flowgen.static.checks._base import Check

_TASKS = '''from flowgen import task, workflow


@task
def double(x: int) -> int:
    return 2 * x
'''

CHECK = Check(
    code="FG202",
    name="unknown-input",
    severity="error",
    summary="The callee has no input of that name.",
    hint="call it with the names of its parameters",
    valid=(_TASKS + '''

@workflow
def wf(y: int) -> int:
    return double(x=y)
''',),
    invalid=(_TASKS + '''

@workflow
def wf(y: int) -> int:
    return double(y=y)  # expect: FG202
''',),
)
