"""FG402: plain Python in a workflow body that would raise while the workflow is compiled."""

from flowgen.static.checks._base import Check

_TASKS = '''from flowgen import task, workflow


@task
def double(x: int) -> int:
    return 2 * x
'''

CHECK = Check(
    code="FG402",
    name="raises-at-compile-time",
    severity="error",
    summary="A workflow body runs at compile time; an exception there means it never compiles.",
    hint=None,
    valid=(_TASKS + '''

@workflow
def wf(x: int) -> int:
    sizes = [1, 2, 3]
    return double(x=sizes[-1])
''',),
    invalid=(
        _TASKS + '''

@workflow
def wf(x: int) -> int:
    sizes = [1, 2, 3]
    return double(x=sizes[5])  # expect: FG402
''',
        _TASKS + '''

@workflow
def wf(x: int) -> int:
    return double(x=undefined_name)  # expect: FG402
''',
    ),
)
