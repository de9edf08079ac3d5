"""FG103: `and`, `or` or `not` applied to a Promise."""

from flowgen.static.checks._base import Check

_TASKS = '''from flowgen import task, workflow


@task
def check(a: bool, b: bool) -> bool:
    return a and b
'''

CHECK = Check(
    code="FG103",
    name="promise-boolean-operator",
    severity="error",
    summary="`and`, `or` and `not` ask a Promise for its truth value, which it does not have yet.",
    hint="compute it in a task, or build a condition with p.is_true() & q.is_true() for conditional()",
    valid=(
        _TASKS + '''

@workflow
def wf(a: bool, b: bool) -> bool:
    strict = True and not False
    return check(a=a, b=b if strict else a)
''',
    ),
    invalid=(
        _TASKS + '''

@workflow
def wf(a: bool, b: bool) -> bool:
    return check(a=a and b, b=b)  # expect: FG103
''',
        _TASKS + '''

@workflow
def wf(a: bool, b: bool) -> bool:
    return check(a=not a, b=b)  # expect: FG103
''',
    ),
)
