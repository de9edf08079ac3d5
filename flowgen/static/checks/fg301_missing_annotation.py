"""FG301: a task, workflow or dynamic with ``*args`` / ``**kwargs`` (its inputs cannot be named).

As in Flyte, an untyped parameter takes an opaque value and a missing return annotation
declares no outputs: neither is an error.
"""

from flowgen.static.checks._base import Check

CHECK = Check(
    code="FG301",
    name="missing-annotation",
    severity="error",
    summary="Interfaces have named inputs: *args/**kwargs are not allowed.",
    hint="name every parameter (and annotate it, so its values are checked)",
    valid=(
        '''from flowgen import task


@task
def double(x: int) -> int:
    return 2 * x
''',
        '''from flowgen import task


@task
def log(x: int):
    print(x)
''',
    ),
    invalid=(
        '''from flowgen import task


@task
def total(*xs: int) -> int:  # expect: FG301
    return sum(xs)
''',
        '''from flowgen import task


@task
def options(**kw: int) -> int:  # expect: FG301
    return len(kw)
''',
    ),
)
