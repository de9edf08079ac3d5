"""Flyte programs run unchanged: a task without a return annotation has no outputs, untyped inputs
take any value, a one-field NamedTuple may be returned bare, and dict keys need not be str.

    python examples/flyte/unannotated.py
"""

import typing

from flowgen import task, workflow

Total = typing.NamedTuple("Total", [("total", int)])  # noqa: UP014 (Flyte programs use this form)


@task
def log(message: str):
    print(message)


@task
def total(xs: typing.List[int]) -> Total:
    return sum(xs)  # wrapped into Total, as Flyte does


@task
def by_position(words: typing.List[str]) -> typing.Dict[int, str]:
    return dict(enumerate(words))


@workflow
def summarize(xs: typing.List[int], words: typing.List[str]) -> typing.Tuple[int, typing.Dict[int, str]]:
    log(message="summarizing")
    t = total(xs=xs)
    return t.total, by_position(words=words)


if __name__ == "__main__":
    print(summarize(xs=[1, 2, 3], words=["a", "b"]))  # (6, {0: 'a', 1: 'b'})
    print(summarize)
