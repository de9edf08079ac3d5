"""Tasks and a workflow: calls by keyword or position, default inputs, constant loops."""

from flowgen import task, workflow


@task
def add(a: int, b: int = 1) -> int:
    return a + b


@task
def scale(x: float, factor: float) -> float:
    return x * factor


@workflow
def basics(start: int, factor: float = 2.0) -> float:
    total = add(start)  # positional; b takes its default
    for i in range(3):  # plain Python on constants unrolls at compile time
        total = add(a=total, b=i)
    return scale(x=total, factor=factor)  # int output widens to a float input


RUNS = {"basics": [{"start": 1}, {"start": -4, "factor": 0.5}]}

if __name__ == "__main__":
    print(basics(start=1))
