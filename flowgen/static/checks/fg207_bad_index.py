"""FG207: an index or key the Promise's type does not have."""

from flowgen.static.checks._base import Check

_TASKS = '''from flowgen import task, workflow


@task
def double(x: int) -> int:
    return 2 * x
'''

CHECK = Check(
    code="FG207",
    name="bad-index",
    severity="error",
    summary="Lists and tuples take constant int indexes (in range for tuples), dicts constant str keys.",
    hint="lists and tuples take constant int indexes, dicts constant str keys",
    valid=(_TASKS + '''

@workflow
def wf(pair: tuple[int, int], d: dict[str, int]) -> int:
    return double(x=pair[1]) >> double(x=d["k"])
''',),
    invalid=(
        _TASKS + '''

@workflow
def wf(pair: tuple[int, int]) -> int:
    return double(x=pair[2])  # expect: FG207
''',
        _TASKS + '''

@workflow
def wf(d: dict[str, int]) -> int:
    return double(x=d[0])  # expect: FG207
''',
        _TASKS + '''

@workflow
def wf(x: int) -> int:
    return double(x=x[0])  # expect: FG207
''',
        _TASKS + '''

@workflow
def wf(xs: list[int]) -> int:
    ys = xs[1:3]  # expect: FG207
    return double(x=ys[0])
''',
    ),
)
