"""FG209: `map_task` given a non-list for a mapped input."""

from flowgen.static.checks._base import Check

_TASKS = '''import functools

from flowgen import map_task, task, workflow


@task
def scale(x: int, factor: int) -> int:
    return x * factor
'''

CHECK = Check(
    code="FG209",
    name="map-task-non-list",
    severity="error",
    summary="map_task runs the task once per item: every mapped input must be a list of the "
    "task's input type (fix the others with functools.partial).",
    hint="pass a list, or bind the constant inputs with functools.partial(task, name=value)",
    valid=(_TASKS + '''

@workflow
def wf(xs: list[int]) -> list[int]:
    return map_task(functools.partial(scale, factor=3))(x=xs)
''',),
    invalid=(
        _TASKS + '''

@workflow
def wf(x: int) -> list[int]:
    return map_task(functools.partial(scale, factor=3))(x=x)  # expect: FG209
''',
    ),
)
