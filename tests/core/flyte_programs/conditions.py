import math
import random

from flytekit import conditional, task, workflow


@task
def calculate_circle_circumference(radius: float) -> float:
    return 2 * math.pi * radius


@task
def calculate_circle_area(radius: float) -> float:
    return math.pi * radius * radius


@workflow
def shape_properties(radius: float) -> float:
    return (
        conditional("shape_properties")
        .if_((radius >= 0.1) & (radius < 1.0))
        .then(calculate_circle_circumference(radius=radius))
        .else_()
        .then(calculate_circle_area(radius=radius))
    )


@workflow
def shape_properties_with_multiple_branches(radius: float) -> float:
    return (
        conditional("shape_properties_with_multiple_branches")
        .if_((radius >= 0.1) & (radius < 1.0))
        .then(calculate_circle_circumference(radius=radius))
        .elif_((radius >= 1.0) & (radius <= 10.0))
        .then(calculate_circle_area(radius=radius))
        .else_()
        .fail("The input must be within the range of 0 to 10.")
    )


@task
def coin_toss(seed: int) -> bool:
    r = random.Random(seed)
    return r.random() < 0.5


@task
def failed() -> int:
    return -1


@task
def success() -> int:
    return 0


@workflow
def boolean_wf(seed: int = 5) -> int:
    result = coin_toss(seed=seed)
    return conditional("coin_toss").if_(result.is_true()).then(success()).else_().then(failed())


@workflow
def nested_conditions(radius: float) -> float:
    return (
        conditional("nested_conditions")
        .if_((radius >= 0.1) & (radius < 1.0))
        .then(
            conditional("inner_nested_conditions")
            .if_(radius < 0.5)
            .then(calculate_circle_circumference(radius=radius))
            .elif_((radius >= 0.5) & (radius < 0.9))
            .then(calculate_circle_area(radius=radius))
            .else_()
            .fail("0.9 is an outlier.")
        )
        .elif_((radius >= 1.0) & (radius <= 10.0))
        .then(calculate_circle_area(radius=radius))
        .else_()
        .fail("The input must be within the range of 0 to 10.")
    )


CASES = [
    ("shape_properties", {"radius": 0.5}, 2 * math.pi * 0.5),
    ("shape_properties", {"radius": 3.0}, math.pi * 9.0),
    ("shape_properties_with_multiple_branches", {"radius": 5.0}, math.pi * 25.0),
    ("boolean_wf", {"seed": 5}, 0 if random.Random(5).random() < 0.5 else -1),
    ("nested_conditions", {"radius": 0.7}, math.pi * 0.49),
    ("nested_conditions", {"radius": 0.2}, 2 * math.pi * 0.2),
]
FAILS = [("shape_properties_with_multiple_branches", {"radius": 11.0}, "within the range"),
         ("nested_conditions", {"radius": 0.95}, "outlier")]
