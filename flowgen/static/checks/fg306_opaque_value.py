"""FG306 (warning): a definition takes or gives opaque values (``typing.Any``, an untyped parameter,
a class outside the type language): they fit everything, so flowgen checks nothing about them; they
travel pickled between processes, as Flyte's FlytePickle, and are never served from the cache."""

from flowgen.static.checks._base import Check

CHECK = Check(
    code="FG306",
    name="opaque-value",
    severity="warning",
    summary="Opaque values (Any, untyped, arbitrary classes) are neither type-checked nor portable, "
    "and their tasks are never served from the cache.",
    hint="annotate with a type flowgen knows (a dataclass, say) to have it checked; "
    "silence with `# flowgen: ignore[FG306]`",
    valid=('''from flowgen import task


@task
def double(x: int) -> int:
    return 2 * x
''',),
    invalid=(
        '''from typing import Any

from flowgen import task


@task
def echo(x: Any) -> int:  # expect: FG306
    return 1
''',
        '''from flowgen import task


@task
def echo(x) -> int:  # expect: FG306
    return 1
''',
        '''from flowgen import task


class Model:
    pass


@task
def train(n: int) -> Model:  # expect: FG306
    return Model()
''',
    ),
)
