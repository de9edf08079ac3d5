import typing
from dataclasses import dataclass

from flytekit import dynamic, task, workflow

# -- no return annotation: no outputs, as in Flyte (what the body returns is dropped) -----------


@task
def say_hello(name: str):
    print(f"hello {name}")
    return f"hello {name}"  # dropped: the task declares no outputs


@task
def double(x):  # an untyped input takes any value (opaque)
    return None


@task
def length(name: str) -> int:
    return len(name)


@workflow
def greet(name: str) -> int:
    done = say_hello(name=name)
    n = length(name=name)
    done >> n
    double(x=n)
    return n


@dynamic
def fan_out(n: int):
    for i in range(n):
        say_hello(name=str(i))
    return n  # dropped: the dynamic declares no outputs


@workflow
def side_effects(n: int):
    fan_out(n=n)


# -- a one-field NamedTuple output returned bare is wrapped ------------------------------------

Total = typing.NamedTuple("Total", [("total", int)])  # noqa: UP014 (the functional form, on purpose)


class Mean(typing.NamedTuple):
    mean: float


@task
def total(xs: typing.List[int]) -> Total:
    return sum(xs)  # bare: wrapped into Total


@task
def mean(xs: typing.List[int], t: int) -> Mean:
    return Mean(mean=t / len(xs))


@workflow
def stats(xs: typing.List[int]) -> Mean:
    t = total(xs=xs)
    return mean(xs=xs, t=t.total).mean  # bare Promise: wrapped into Mean


# -- dict keys other than str -------------------------------------------------------------------


@dataclass
class Index:
    names: typing.Dict[int, str]


@task
def index(words: typing.List[str]) -> Index:
    return Index(names={i: w for i, w in enumerate(words)})


@task
def lookup(idx: Index, at: int) -> str:
    return idx.names[at]


@task
def invert(d: typing.Dict[int, str]) -> typing.Dict[str, int]:
    return {v: k for k, v in d.items()}


@workflow
def keyed(words: typing.List[str], at: int) -> typing.Tuple[str, typing.Dict[str, int]]:
    idx = index(words=words)
    return lookup(idx=idx, at=at), invert(d=idx.names)


CASES = [
    ("greet", {"name": "flyte"}, 5),
    ("side_effects", {"n": 3}, None),
    ("stats", {"xs": [1, 2, 3]}, Mean(mean=2.0)),
    ("keyed", {"words": ["a", "b"], "at": 1}, ("b", {"a": 0, "b": 1})),
]
FAILS: list = []
