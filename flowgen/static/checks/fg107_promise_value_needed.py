"""FG107: a Promise passed to a function that needs its value (`len`, `int`, `range`, `print`, a helper
annotated with a value type, ...)."""

from flowgen.static.checks._base import Check

_TASKS = '''from flowgen import task, workflow


@task
def numbers(n: int) -> list[int]:
    return list(range(n))


@task
def double(x: int) -> int:
    return 2 * x
'''

CHECK = Check(
    code="FG107",
    name="promise-value-needed",
    severity="error",
    summary="Builtins such as len(), int(), range() and print(), and the project's helper functions whose "
    "parameter is annotated with a value type, need a value; a Promise has none yet.",
    hint="pass the Promise to a task that needs the value, or make this a @dynamic",
    valid=(
        _TASKS + '''

@workflow
def wf(n: int) -> int:
    size = len([1, 2, 3])
    print("compiling wf")
    return double(x=size)
''',
    ),
    invalid=(
        _TASKS + '''

@workflow
def wf(n: int) -> int:
    return double(x=len(numbers(n=n)))  # expect: FG107
''',
        _TASKS + '''

@workflow
def wf(n: float) -> int:
    return double(x=int(n))  # expect: FG107
''',
        _TASKS + '''

@workflow
def wf(n: int) -> int:
    print(n)  # expect: FG107
    return double(x=n)
''',
        _TASKS + '''

def scaled(x: int, factor: int) -> int:
    return x * factor


@workflow
def wf(n: int) -> int:
    return double(x=scaled(n, factor=3))  # expect: FG107
''',
        '''import json
import math

from flowgen import task, workflow


@task
def show(text: str) -> str:
    return text


@task
def half(x: float) -> float:
    return x / 2


@workflow
def wf(x: float) -> str:
    whole = math.floor(half(x=x))  # expect: FG107
    return show(text=json.dumps(half(x=x)))  # expect: FG107
''',
    ),
)
