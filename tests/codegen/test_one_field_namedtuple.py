"""A one-field NamedTuple output read by its field (``t.total``), whether the task returns the
NamedTuple or the bare value (flytekit wraps it): the generated module gives what the interpreter
gives, checked and fast (found by ``flowgen test examples/``)."""

from __future__ import annotations

import pytest

import flowgen
from flowgen.runtime import generated as fg

from .workspace import write_and_build

SOURCE = '''
import typing
from flowgen import task, workflow

Total = typing.NamedTuple("Total", [("total", int)])


@task
def bare(xs: typing.List[int]) -> Total:
    return sum(xs)


@task
def wrapped(xs: typing.List[int]) -> Total:
    return Total(total=sum(xs))


@task
def double(x: int) -> int:
    return 2 * x


@workflow
def wf(xs: typing.List[int]) -> typing.Tuple[int, int]:
    return double(x=bare(xs=xs).total), double(x=wrapped(xs=xs).total)
'''


@pytest.mark.parametrize("validate", [True, False])
def test_one_field_namedtuple_outputs_agree(validate: bool) -> None:
    user, gen = write_and_build(SOURCE, "one_field_namedtuple")
    expected = flowgen.run(user.wf, xs=[1, 2, 3])
    assert expected == (12, 12)
    assert fg.run(gen.wf, validate=validate, xs=[1, 2, 3]) == expected
    assert fg.run(gen.wf, executor="threads", xs=[1, 2, 3]) == expected
