# ruff: noqa  -- input for mypy: deliberate mistakes and reveal_type()
"""map_task, conditional, launch plans and Echo, typed from what they wrap."""

import functools

from flowgen import Echo, LaunchPlan, conditional, map_task, task, workflow

from .tasks import double, name_of, scale


@task
def shift(x: int, by: int) -> int:
    return x + by


echo = Echo(name="keep", inputs={"n": float})
reveal_type(echo)
# MYPY: note: Revealed type is "flowgen.dsl.echo.Echo[[n: float], float]"


@workflow
def greeting(name: str, punctuation: str = ".") -> str:
    return name


excited = LaunchPlan.get_or_create(greeting, name="excited", fixed_inputs={"punctuation": "!"})
reveal_type(excited)
# MYPY: note: Revealed type is "flowgen.dsl.launch_plan.LaunchPlan[[name: str], str]"
for_world = LaunchPlan.create("for_world", greeting, default_inputs={"name": "world"})
reveal_type(for_world())
# MYPY: note: Revealed type is "str"
LaunchPlan.create("bad", greeting, fixed_inputs={"nam": "x", "punctuation": 1})
# MYPY: error: Launch plan fixed input "nam" is not an input of the workflow  [flowgen-wiring]
# MYPY: error: Input "punctuation" of "the launch plan" expects "str", but gets "int"  [flowgen-wiring]
excited(name="a", punctuation="?")
# MYPY: error: Unexpected keyword argument "punctuation" for "excited"  [call-arg]
# MYPY: note: "excited" defined in "flowgen.dsl.launch_plan"


@workflow
def features(xs: list[int], n: float, k: int) -> float:
    mapped = map_task(shift)
    reveal_type(mapped)
    # MYPY: note: Revealed type is "flowgen.dsl.map_task.MapTask[[x: list[int], by: list[int]], list[int]]"
    reveal_type(mapped(x=xs, by=xs))
    # MYPY: note: Revealed type is "flowgen.tracing.promise.Promise[list[int]]"
    tolerant = map_task(functools.partial(shift, by=k), min_success_ratio=0.5)
    reveal_type(tolerant(x=xs))
    # MYPY: note: Revealed type is "flowgen.tracing.promise.Promise[list[int | None]]"
    map_task(shift)(x=k, by=xs)
    # MYPY: error: Input "x" of "map_task" expects "list[int]", but gets "Promise[int]"  [flowgen-wiring]
    functools.partial(shift, by=n)
    # MYPY: error: Input "by" of "shift" expects "int", but gets "Promise[float]"  [flowgen-wiring]
    functools.partial(shift, step=k)
    # MYPY: error: "shift" has no input "step"  [flowgen-wiring]
    size = (
        conditional("size")
        .if_((n > 0.0) & (n < 10.0))
        .then(scale(value=n))
        .elif_(k == 3)
        .then(double(x=k))  # int and float branches: float, as at run time
        .else_()
        .then(echo(n=n))
    )
    reveal_type(size)
    # MYPY: note: Revealed type is "flowgen.tracing.promise.Promise[float]"
    word = conditional("word").if_(k > 1).then(name_of(n=k)).else_().fail("k too small")
    reveal_type(word)
    # MYPY: note: Revealed type is "flowgen.tracing.promise.Promise[str]"
    conditional("bad").if_(k)
    # MYPY: error: Argument 1 to "if_" of "ConditionalSection" has incompatible type "Promise[int]"; expected "ConditionExpr"  [arg-type]
    reveal_type(excited(name="x"))
    # MYPY: note: Revealed type is "flowgen.tracing.promise.Promise[str]"
    return scale(value=size)
