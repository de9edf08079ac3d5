"""Multiple outputs: a NamedTuple (named fields) and a tuple, unpacked or by attribute.

(Flyte's ``-> (int, int)`` spelling works too, but type checkers reject it; see the tests.)"""

import typing
from typing import Annotated

from annotated_types import MinLen

from flowgen import task, workflow


class Fit(typing.NamedTuple):
    slope: float
    intercept: float


@task
def fit(xs: Annotated[list[float], MinLen(2)], ys: list[float]) -> Fit:  # a line needs two points
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    var = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / var
    return Fit(slope=slope, intercept=my - slope * mx)


@task
def split(text: str) -> tuple[str, int]:
    head, _, rest = text.partition(" ")
    return head, len(rest)


@task
def min_max(values: Annotated[list[int], MinLen(1)]) -> tuple[int, int]:
    return min(values), max(values)


@task
def predict(slope: float, intercept: float, x: float) -> float:
    return slope * x + intercept


@workflow
def fit_and_predict(xs: Annotated[list[float], MinLen(2)], ys: list[float], x: float) -> Fit:
    out = fit(xs=xs, ys=ys)
    y = predict(slope=out.slope, intercept=out.intercept, x=x)  # attribute access on a Promise
    return Fit(slope=out.slope, intercept=y)


@workflow
def words(text: str, values: Annotated[list[int], MinLen(1)]) -> tuple[str, int, int]:
    head, _rest_length = split(text=text)  # unpacking a tuple output
    low, high = min_max(values=values)
    return head, low, high


RUNS = {
    "fit_and_predict": [{"xs": [0.0, 1.0, 2.0], "ys": [1.0, 3.0, 5.0], "x": 10.0}],
    "words": [{"text": "hello big world", "values": [3, 1, 2]}],
}

if __name__ == "__main__":
    print(fit_and_predict(xs=[0.0, 1.0, 2.0], ys=[1.0, 3.0, 5.0], x=10.0))
    print(words(text="hello big world", values=[3, 1, 2]))
