"""FG106: `str()`, f-strings, `format()` or `%` formatting of a Promise."""

from flowgen.static.checks._base import Check

_TASKS = '''from flowgen import task, workflow


@task
def greet(name: str) -> str:
    return "hello " + name
'''

CHECK = Check(
    code="FG106",
    name="promise-formatting",
    severity="error",
    summary="Formatting a Promise would format the placeholder, not the value it stands for.",
    hint="pass the Promise to a task that formats it",
    valid=(
        _TASKS + '''

@workflow
def wf(name: str) -> str:
    prefix = f"{'dr'}. {1 + 1}"
    return greet(name=prefix)
''',
    ),
    invalid=(
        _TASKS + '''

@workflow
def wf(name: str) -> str:
    return greet(name=f"dr. {name}")  # expect: FG106
''',
        _TASKS + '''

@workflow
def wf(name: str) -> str:
    return greet(name=str(name))  # expect: FG106
''',
        _TASKS + '''

@workflow
def wf(name: str) -> str:
    return greet(name="dr. {}".format(name))  # expect: FG106
''',
    ),
)
