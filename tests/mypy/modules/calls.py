# ruff: noqa  -- input for mypy: deliberate mistakes and reveal_type()
"""Calling a task: Promises inside a body, values outside, by flowgen's compatibility rules."""

from typing import Optional

from flowgen import dynamic, workflow

from .tasks import double, flag, log, maybe, name_of, scale, total

reveal_type(double(x=2))  # outside any body: the value
# MYPY: note: Revealed type is "int"
double(x=True)  # bool is not int at run time
# MYPY: error: Input "x" of "double" expects "int", but gets "bool"  [flowgen-wiring]


@workflow
def wiring(x: int, f: float, o: Optional[int], b: bool) -> float:
    reveal_type(double(x=x))
    # MYPY: note: Revealed type is "flowgen.tracing.promise.Promise[int]"
    scale(value=x)  # int -> float widens
    maybe(value=x)  # T -> Optional[T]
    double(x=o)  # Optional[T] -> T does not
    # MYPY: error: Input "x" of "double" expects "int", but gets "Promise[int | None]"  [flowgen-wiring]
    double(x=b)  # bool is not int
    # MYPY: error: Input "x" of "double" expects "int", but gets "Promise[bool]"  [flowgen-wiring]
    double(x=f)  # float is not int
    # MYPY: error: Input "x" of "double" expects "int", but gets "Promise[float]"  [flowgen-wiring]
    double(x=name_of(n=x))
    # MYPY: error: Input "x" of "double" expects "int", but gets "Promise[str]"  [flowgen-wiring]
    double(x=flag(n=x))
    # MYPY: error: Input "x" of "double" expects "int", but gets "Promise[bool]"  [flowgen-wiring]
    total(values=[double(x=x), 1, x])  # a list may mix Promises and constants
    total(values=[x, "a"])
    # MYPY: error: List item 1 has incompatible type "str"; expected "int | Promise[Any]"  [list-item]
    reveal_type(log(message="hi"))  # no outputs: only good for ordering
    # MYPY: note: Revealed type is "flowgen.tracing.promise.NodeHandle"
    log(message="a") >> log(message="b")
    double(x=x > 1)
    # MYPY: error: Argument "x" to "double" has incompatible type "ConditionExpr"; expected "int | Promise[Any]"  [arg-type]
    # MYPY: error: Input "x" of "double" gets a comparison of Promises, whose value is known only when the workflow runs; compute it in a task, or branch on it with conditional()  [flowgen-promise]
    return scale(value=f)


@dynamic
def fan_out(n: int) -> int:
    reveal_type(n)  # a @dynamic's inputs are values
    # MYPY: note: Revealed type is "int"
    parts = [double(x=i) for i in range(n)]
    reveal_type(parts)
    # MYPY: note: Revealed type is "list[flowgen.tracing.promise.Promise[int]]"
    return total(values=parts)
