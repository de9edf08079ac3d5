"""FG302: an annotation outside flowgen's type language."""

from flowgen.static.checks._base import Check

CHECK = Check(
    code="FG302",
    name="unsupported-type",
    severity="error",
    summary="Supported: int, float, str, bool, bytes, datetime, date, timedelta, list[T], "
    "dict[str, T], tuple[...], Optional/Union, Literal, Enum, dataclass, pydantic model, NamedTuple.",
    hint="use int, float, str, bool, bytes, datetime, date, timedelta, list[T], dict[str, T], "
    "Optional/Union, Literal, an Enum, a dataclass, a pydantic model or a NamedTuple",
    valid=('''import typing
from flowgen import task


@task
def f(xs: typing.List[int], d: typing.Dict[str, float] = {}) -> typing.Optional[int]:
    return None
''',),
    invalid=(
        '''from typing import Any

from flowgen import task


@task
def f(x: Any) -> int:  # expect: FG302
    return 1
''',
        '''from flowgen import task


@task
def f(d: dict[int, str]) -> int:  # expect: FG302
    return 1
''',
        '''from flowgen import task


class Plain:
    pass


@task
def f(x: int) -> Plain:  # expect: FG302
    return Plain()
''',
    ),
)
