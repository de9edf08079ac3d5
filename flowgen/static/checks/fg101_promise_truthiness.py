"""FG101: a Promise used as a truth value (`if`, `while`, `assert`, `x if p else y`, `bool()`)."""

from flowgen.static.checks._base import Check

_TASKS = '''from flowgen import dynamic, task, workflow


@task
def double(x: int) -> int:
    return 2 * x


@task
def positive(x: int) -> bool:
    return x > 0
'''

CHECK = Check(
    code="FG101",
    name="promise-truthiness",
    severity="error",
    summary="A Promise has no value while the workflow body runs, so it is neither true nor false.",
    hint="branch with conditional(\"name\").if_(p.is_true()).then(...).else_().then(...), "
    "or make this a @dynamic",
    valid=(
        _TASKS + '''

@workflow
def wf(x: int, debug: bool = False) -> int:
    flag = True
    if flag:
        return double(x=x)
    return double(x=1)
''',
    ),
    invalid=(
        _TASKS + '''

@workflow
def wf(x: int) -> int:
    if x:  # expect: FG101
        return double(x=x)
    return double(x=1)
''',
        _TASKS + '''

@workflow
def wf(x: int) -> int:
    ok = positive(x=x)
    y = double(x=x) if ok else double(x=0)  # expect: FG101
    return y
''',
        _TASKS + '''

@dynamic
def dyn(x: int) -> int:
    ok = positive(x=x)
    while ok:  # expect: FG101
        x = x - 1
    return double(x=x)
''',
    ),
)
