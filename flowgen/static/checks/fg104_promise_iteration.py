"""FG104: iterating over, unpacking or testing membership in a Promise."""

from flowgen.static.checks._base import Check

_TASKS = '''from flowgen import dynamic, task, workflow


@task
def numbers(n: int) -> list[int]:
    return list(range(n))


@task
def double(x: int) -> int:
    return 2 * x
'''

CHECK = Check(
    code="FG104",
    name="promise-iteration",
    severity="error",
    summary="A Promise of a list has no items yet: it cannot be iterated, unpacked or searched.",
    hint="use map_task() to run a task per item, or move the loop into a task",
    valid=(
        _TASKS + '''

@workflow
def wf(n: int) -> list[int]:
    xs = numbers(n=n)
    return [double(x=xs[0]), double(x=xs[1])]
''',
        _TASKS + '''

@dynamic
def dyn(items: list[int]) -> list[int]:
    out = []
    for item in items:
        out.append(double(x=item))
    return out
''',
    ),
    invalid=(
        _TASKS + '''

@workflow
def wf(n: int) -> int:
    first, second = numbers(n=n)  # expect: FG104
    return double(x=first)
''',
        _TASKS + '''

@dynamic
def dyn(n: int) -> list[int]:
    out = []
    for x in numbers(n=n):  # expect: FG104
        out.append(double(x=x))
    return out
''',
        _TASKS + '''

@dynamic
def dyn(n: int) -> list[int]:
    return [double(x=x) for x in numbers(n=n)]  # expect: FG104
''',
        _TASKS + '''

@workflow
def wf(n: int) -> int:
    d = dict(numbers(n=n))  # expect: FG104
    return double(x=n)
''',
        _TASKS + '''

@workflow
def wf(n: int, options: dict[str, int]) -> int:
    merged = {"x": 1, **options}  # expect: FG104
    return double(x=n)
''',
        _TASKS + '''

@workflow
def wf(options: dict[str, int]) -> int:
    return double(**options)  # expect: FG104
''',
    ),
)
