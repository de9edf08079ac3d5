"""FG302: an annotation outside flowgen's type language.

``typing.Any``, bare ``dict``/``list`` and classes of no known kind are *in* the language
(as Flyte takes them: JSON values and opaque values); what remains outside are types no
value can be checked or moved against: ``set[...]``, variadic ``tuple[T, ...]``, ``dict``
with list keys, ``Callable``.
"""

from flowgen.static.checks._base import Check

CHECK = Check(
    code="FG302",
    name="unsupported-type",
    severity="error",
    summary="Supported: int, float, str, bool, bytes, datetime, date, timedelta, list[T], "
    "dict[K, V], tuple[...], Optional/Union, Literal, Enum, dataclass, pydantic model, NamedTuple, "
    "FlyteFile, FlyteDirectory, StructuredDataset, pandas.DataFrame, pyarrow.Table; "
    "typing.Any, bare dict/list and other classes as loosely typed values.",
    hint="use int, float, str, bool, bytes, datetime, date, timedelta, list[T], dict[K, V], "
    "Optional/Union, Literal, an Enum, a dataclass, a pydantic model, a NamedTuple, or a file/table type",
    valid=(
        '''import typing
from flowgen import task


@task
def f(xs: typing.List[int], d: typing.Dict[str, float] = {}) -> typing.Optional[int]:
    return None
''',
        '''from typing import Any

from flowgen import task


class Plain:
    pass


@task
def f(x: Any, d: dict[int, str], raw: dict) -> Plain:  # flowgen: ignore[FG306]
    return Plain()
''',
    ),
    invalid=(
        '''from flowgen import task


@task
def f(xs: set[int]) -> int:  # expect: FG302
    return 1
''',
        '''from flowgen import task


@task
def f(d: dict[list[int], str]) -> int:  # expect: FG302
    return 1
''',
        '''import typing

from flowgen import task


@task
def f(xs: typing.Tuple[int, ...]) -> int:  # expect: FG302
    return 1
''',
    ),
)
