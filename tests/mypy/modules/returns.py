# ruff: noqa  -- input for mypy: deliberate mistakes and reveal_type()
"""A body may return lists and dicts it built from Promises, as the runtime packs them."""

from flowgen import dynamic, task, workflow

from .tasks import double, name_of


@workflow
def appended(xs: list[int]) -> list[int]:
    out = []
    for n in [1, 2, 3]:
        out.append(double(x=n))
    return out


@workflow
def literal(x: int) -> list[int]:
    return [double(x=x), 4]


@workflow
def comprehension(x: int) -> list[int]:
    return [double(x=n) for n in range(3)]


@workflow
def mapping(x: int) -> dict[str, int]:
    d = {}
    d["a"] = double(x=x)
    return d


@workflow
def nested(x: int) -> dict[str, list[int]]:
    return {"a": [double(x=x)]}


@dynamic
def dynamic_list(n: int) -> list[int]:
    return [double(x=i) for i in range(n)]


@workflow
def wrong_item(x: int) -> list[int]:
    return [name_of(n=x)]
    # MYPY: error: List item 0 has incompatible type "Promise[str]"; expected "int | Promise[int]"  [list-item]


@workflow
def wrong_value(x: int) -> dict[str, int]:
    return {"a": name_of(n=x)}
    # MYPY: error: Dict entry 0 has incompatible type "str": "Promise[str]"; expected "str": "int | Promise[int]"  [dict-item]


@task
def log(x: int) -> None:
    print(x)


@workflow
def returns_nothing(x: int) -> None:
    # `-> None` and no return statement: no outputs, and no "Missing return statement"
    log(x=x)


@dynamic
def dynamic_returns_nothing(n: int) -> None:
    for i in range(n):
        log(x=i)


@workflow
def calls_returns_nothing(x: int) -> None:
    returns_nothing(x=x)
    return None


reveal_type(returns_nothing)
# MYPY: note: Revealed type is "flowgen.dsl.entities.Workflow[[x: int], None]"

reveal_type(appended)
# MYPY: note: Revealed type is "flowgen.dsl.entities.Workflow[[xs: list[int]], list[int]]"
reveal_type(nested)
# MYPY: note: Revealed type is "flowgen.dsl.entities.Workflow[[x: int], dict[str, list[int]]]"
