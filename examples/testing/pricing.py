"""A small pricing pipeline, property-tested in test_pricing.py (next to this file).

Its inputs say what a valid price and discount are (``Annotated`` with the annotated-types
markers pydantic uses): flowgen checks them at every node boundary, and
``flowgen.testing`` draws only such values.

    flowgen test examples/testing/pricing.py
"""

from typing import Annotated

from annotated_types import Ge, Le, MinLen

from flowgen import task, workflow

Price = Annotated[float, Ge(0), Le(1_000_000)]
Percent = Annotated[int, Ge(0), Le(100)]


@task
def clean(prices: Annotated[list[Price], MinLen(1)]) -> list[float]:
    return sorted(prices)


@task
def mean(xs: list[float]) -> float:
    return sum(xs) / len(xs)


@task
def discount(price: float, percent: Percent) -> Annotated[float, Ge(0)]:
    return price * (100 - percent) / 100


@workflow
def average_discounted(prices: Annotated[list[Price], MinLen(1)], percent: Percent = 10) -> float:
    return discount(price=mean(xs=clean(prices=prices)), percent=percent)
