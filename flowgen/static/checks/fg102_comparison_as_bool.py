"""FG102: a comparison involving a Promise used as a Python truth value, or `is` on a Promise."""

from flowgen.static.checks._base import Check

_TASKS = '''from flowgen import task, workflow


@task
def double(x: int) -> int:
    return 2 * x
'''

CHECK = Check(
    code="FG102",
    name="comparison-as-bool",
    severity="error",
    summary="Comparing a Promise builds a condition for conditional(); Python cannot branch on it.",
    hint="use conditional(\"name\").if_(p > 3).then(...).else_().then(...); "
    "combine conditions with & and |",
    valid=(
        _TASKS + '''

@workflow
def wf(x: int) -> int:
    n = 3
    if n > 2:
        return double(x=x)
    return double(x=0)
''',
    ),
    invalid=(
        _TASKS + '''

@workflow
def wf(x: int) -> int:
    y = double(x=x)
    if y > 3:  # expect: FG102
        return double(x=y)
    return y
''',
        _TASKS + '''

@workflow
def wf(x: int) -> int:
    if 0 < x < 10:  # expect: FG102
        return double(x=x)
    return x
''',
        _TASKS + '''

@workflow
def wf(x: int) -> int:
    y = double(x=x)
    missing = y is None  # expect: FG102
    return y
''',
        '''from flowgen import conditional, task, workflow


@task
def double(x: int) -> int:
    return 2 * x


@workflow
def wf(x: int) -> int:
    return conditional("c").if_(True).then(double(x=x)).else_().then(double(x=1))  # expect: FG102
''',
    ),
)
