"""FG205: unpacking a call's outputs into the wrong number of names."""

from flowgen.static.checks._base import Check

_TASKS = '''from flowgen import task, workflow


@task
def split(x: int) -> tuple[int, int]:
    return x // 2, x - x // 2


@task
def add(a: int, b: int) -> int:
    return a + b
'''

CHECK = Check(
    code="FG205",
    name="unpack-count",
    severity="error",
    summary="A call with N outputs unpacks into exactly N names.",
    hint="unpack as many names as the callee declares outputs",
    valid=(_TASKS + '''

@workflow
def wf(x: int) -> int:
    a, b = split(x=x)
    return add(a=a, b=b)
''',),
    invalid=(_TASKS + '''

@workflow
def wf(x: int) -> int:
    a, b, c = split(x=x)  # expect: FG205
    return add(a=a, b=b)
''',),
)
