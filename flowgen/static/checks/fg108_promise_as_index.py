"""FG108: a Promise used as an index or key (`xs[p]`)."""

from flowgen.static.checks._base import Check

_TASKS = '''from flowgen import task, workflow


@task
def double(x: int) -> int:
    return 2 * x
'''

CHECK = Check(
    code="FG108",
    name="promise-as-index",
    severity="error",
    summary="Indexing needs the value of the index; a Promise has none while the workflow body runs.",
    hint="pass both the container and the index to a task, or make this a @dynamic",
    valid=(
        _TASKS + '''

@workflow
def wf(xs: list[int]) -> int:
    i = 1
    return double(x=xs[i])
''',
    ),
    invalid=(
        _TASKS + '''

@workflow
def wf(i: int) -> int:
    table = [1, 2, 3]
    return double(x=table[i])  # expect: FG108
''',
        _TASKS + '''

@workflow
def wf(xs: list[int], i: int) -> int:
    return double(x=xs[i])  # expect: FG108
''',
    ),
)
