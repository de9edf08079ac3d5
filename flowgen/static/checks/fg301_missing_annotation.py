"""FG301: a task, workflow or dynamic whose parameters or return are not all annotated."""

from flowgen.static.checks._base import Check

CHECK = Check(
    code="FG301",
    name="missing-annotation",
    severity="error",
    summary="Interfaces are typed: every parameter and the return need an annotation, and "
    "*args/**kwargs are not allowed.",
    hint="annotate every parameter and the return; use `-> None` when it returns nothing",
    valid=('''from flowgen import task


@task
def double(x: int) -> int:
    return 2 * x
''',),
    invalid=(
        '''from flowgen import task


@task
def double(x) -> int:  # expect: FG301
    return 2 * x
''',
        '''from flowgen import workflow


@workflow
def wf(x: int):  # expect: FG301
    return x
''',
        '''from flowgen import task


@task
def total(*xs: int) -> int:  # expect: FG301
    return sum(xs)
''',
    ),
)
