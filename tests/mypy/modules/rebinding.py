# ruff: noqa  -- input for mypy: reveal_type()
"""A body's variable re-bound from a plain value to a task's result (Flyte's own examples)."""

import typing

from flowgen import dynamic, task, workflow

from .tasks import double


@task
def update_list(freq_list: typing.List[int], list_index: int) -> typing.List[int]:
    freq_list[list_index] += 1
    return freq_list


@dynamic
def count(s: str) -> int:
    freq = [0] * 26
    reveal_type(freq)
    # MYPY: note: Revealed type is "list[int]"
    freq[0] += 1  # still a plain list here
    for i in range(len(s)):
        freq = update_list(freq_list=freq, list_index=i)
        reveal_type(freq)
        # MYPY: note: Revealed type is "flowgen.tracing.promise.Promise[list[int]]"
    reveal_type(freq)
    # MYPY: note: Revealed type is "list[int] | flowgen.tracing.promise.Promise[list[int]]"
    freq[0] += 1  # may be a Promise by now
    # MYPY: error: Arithmetic (`+`) on a Promise in a workflow body: "Promise[int]" has no value until the workflow runs; pass it to a task that computes it  [flowgen-promise]
    # MYPY: note: Left operand is of type "int | Promise[int]"
    return double(x=len(freq))
    # MYPY: error: `len()` of a Promise in a workflow body: "list[int] | Promise[list[int]]" has no value until the workflow runs; pass it to a task that needs the length, or make this a @dynamic  [flowgen-promise]


@workflow
def straight_line(x: int) -> int:
    total = 0
    total = double(x=x)
    reveal_type(total)
    # MYPY: note: Revealed type is "flowgen.tracing.promise.Promise[int]"
    label = double(x=x)
    label = 0  # a Promise re-bound to a value: fine too
    return double(x=total)


@workflow
def annotated(x: int) -> int:
    declared: int = 0
    declared = double(x=x)  # the user declared `int`: mypy's own rule stands
    # MYPY: error: Incompatible types in assignment (expression has type "Promise[int]", variable has type "int")  [assignment]
    return double(x=x)


def plain_function(x: int) -> int:
    y = 0
    y = x + 1
    reveal_type(y)
    # MYPY: note: Revealed type is "int"
    return y
