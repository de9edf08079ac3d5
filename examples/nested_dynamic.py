"""A @dynamic whose fan-out depends on its input, calling tasks, a workflow and another @dynamic."""

from flowgen import dynamic, task, workflow


@task
def square(x: int) -> int:
    return x * x


@task
def total(values: list[int]) -> int:
    return sum(values)


@workflow
def square_plus_one(x: int) -> int:
    return total(values=[square(x=x), 1])  # a list mixing a Promise and a constant


@dynamic
def sum_of_squares(n: int) -> int:
    return total(values=[square(x=i) for i in range(n)])


@dynamic
def fan_out(n: int) -> int:
    parts = [sum_of_squares(n=i) for i in range(n)]  # nested dynamics
    parts.append(square_plus_one(x=n))  # a workflow inside a dynamic
    return total(values=parts)


@workflow
def nested(n: int = 4) -> int:
    return fan_out(n=n)


RUNS = {"nested": [{"n": 0}, {"n": 4}]}

if __name__ == "__main__":
    print(nested(n=4))
