"""FG304: an invalid decorator option or default value."""

from flowgen.static.checks._base import Check

CHECK = Check(
    code="FG304",
    name="invalid-option",
    severity="error",
    summary="Options are cache, cache_version, cache_ignore_input_vars, retries, timeout and name "
    "(plus Flyte's cluster options, accepted and ignored); defaults must fit their type.",
    hint=None,
    valid=('''from datetime import timedelta

from flowgen import task


@task(retries=2, timeout=timedelta(minutes=5), cache=True, cache_version="1", requests=None)
def f(x: int = 3) -> int:
    return x
''',),
    invalid=(
        '''from flowgen import task


@task(retries=-1)  # expect: FG304
def f(x: int) -> int:
    return x
''',
        '''from flowgen import task


@task(colour="red")  # expect: FG304
def f(x: int) -> int:
    return x
''',
        '''from flowgen import task


@task
def f(x: int = "three") -> int:  # expect: FG304
    return x
''',
    ),
)
