# ruff: noqa  -- input for mypy: deliberate mistakes and reveal_type()
"""Inside a @workflow body its inputs are Promises; callers see the declared signature."""

from flowgen import workflow

from .tasks import Point, double


@workflow
def wf(x: int, p: Point, n: int = 3, label: str = "a") -> int:
    reveal_type(x)
    # MYPY: note: Revealed type is "flowgen.tracing.promise.Promise[int]"
    reveal_type(p)
    # MYPY: note: Revealed type is "flowgen.tracing.promise.Promise[tests.mypy.modules.tasks.Point]"
    reveal_type(n)
    # MYPY: note: Revealed type is "flowgen.tracing.promise.Promise[int]"
    return double(x=x)


@workflow(name="named")
def named(x: int) -> int:
    reveal_type(x)
    # MYPY: note: Revealed type is "flowgen.tracing.promise.Promise[int]"
    return x  # an input is a valid output


@workflow
def bad_default(n: int = "three") -> int:
# MYPY: error: Incompatible default for parameter "n" (default has type "str", parameter has type "int")  [assignment]
    return double(x=n)


@workflow
def wrong_return(x: int) -> str:
    return double(x=x)
    # MYPY: error: Incompatible return value type (got "Promise[int]", expected "str | Promise[str]")  [return-value]


reveal_type(wf)
# MYPY: note: Revealed type is "flowgen.dsl.entities.Workflow[[x: int, p: tests.mypy.modules.tasks.Point, n: int =, label: str =], int]"
reveal_type(named)
# MYPY: note: Revealed type is "flowgen.dsl.entities.Workflow[[x: int], int]"
reveal_type(wf(x=1, p=Point(x=1, y=2.0)))
# MYPY: note: Revealed type is "int"
wf(x="1", p=Point(x=1, y=2.0))
# MYPY: error: Argument "x" to "wf" has incompatible type "str"; expected "int"  [arg-type]
