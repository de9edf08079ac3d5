"""FG210: a `conditional` used without an `else_()` branch."""

from flowgen.static.checks._base import Check

_TASKS = '''from flowgen import conditional, task, workflow


@task
def double(x: int) -> int:
    return 2 * x


@task
def negate(x: int) -> int:
    return -x
'''

CHECK = Check(
    code="FG210",
    name="conditional-without-else",
    severity="error",
    summary="A conditional must end with .else_().then(...) or .else_().fail(...), so every run "
    "produces its outputs.",
    hint="end the chain with .else_().then(...) or .else_().fail(\"message\")",
    valid=(_TASKS + '''

@workflow
def wf(x: int) -> int:
    return conditional("sign").if_(x >= 0).then(double(x=x)).else_().then(negate(x=x))
''',),
    invalid=(_TASKS + '''

@workflow
def wf(x: int) -> int:
    return conditional("sign").if_(x >= 0).then(double(x=x))  # expect: FG210
''',),
)
