"""FG105: arithmetic on a Promise (the reference page's `index + 1`)."""

from flowgen.static.checks._base import Check

_TASKS = '''from flowgen import dynamic, task, workflow


@task
def double(x: int) -> int:
    return 2 * x


@task
def add(a: int, b: int) -> int:
    return a + b
'''

CHECK = Check(
    code="FG105",
    name="promise-arithmetic",
    severity="error",
    summary="Arithmetic needs the value of a Promise, which exists only when the workflow runs.",
    hint="pass the Promise to a task that computes it",
    valid=(
        _TASKS + '''

@workflow
def wf(x: int) -> int:
    offset = 2 * 3 + 1
    return add(a=double(x=x), b=offset)
''',
        _TASKS + '''

@dynamic
def dyn(x: int) -> int:
    return double(x=x + 1)
''',
    ),
    invalid=(
        _TASKS + '''

@workflow
def wf(x: int) -> int:
    return double(x=x + 1)  # expect: FG105
''',
        _TASKS + '''

@dynamic
def dyn(x: int) -> int:
    index = double(x=x)
    return double(x=index + 1)  # expect: FG105
''',
        _TASKS + '''

@workflow
def wf(x: int) -> int:
    total = sum([double(x=x), double(x=1)])  # expect: FG105
    return total
''',
    ),
)
