"""FG303: a loop in a @workflow body whose iterations depend on a Promise."""

from flowgen.static.checks._base import Check

_TASKS = '''from flowgen import task, workflow


@task
def double(x: int) -> int:
    return 2 * x
'''

CHECK = Check(
    code="FG303",
    name="loop-on-promise",
    severity="error",
    summary="A @workflow body runs once at compile time; loops unroll only over constants.",
    hint="make this a @dynamic (its body runs with real inputs), or use map_task()",
    valid=(_TASKS + '''

@workflow
def wf(x: int) -> list[int]:
    return [double(x=i) for i in range(3)]
''',),
    invalid=(
        _TASKS + '''

@workflow
def wf(n: int) -> list[int]:
    out = []
    for i in range(n):  # expect: FG303
        out.append(double(x=i))
    return out
''',
        _TASKS + '''

@workflow
def wf(xs: list[int]) -> list[int]:
    return [double(x=x) for x in xs]  # expect: FG303
''',
    ),
)
