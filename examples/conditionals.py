"""conditional(): Flyte's if/elif/else on Promises; only the taken branch runs."""

from flowgen import Echo, conditional, task, workflow


@task
def coin(seed: int) -> bool:
    return seed % 2 == 0


@task
def square(n: float) -> float:
    return n * n


@task
def halve(n: float) -> float:
    return n / 2


echo = Echo(name="keep", inputs={"n": float})


@workflow
def classify(n: float, seed: int) -> float:
    size = (
        conditional("size")
        .if_((n > 0.0) & (n < 10.0))
        .then(square(n=n))
        .elif_(n >= 10.0)
        .then(
            conditional("parity")  # nested in a branch
            .if_(coin(seed=seed).is_true())
            .then(halve(n=n))
            .else_()
            .then(echo(n=n))
        )
        .else_()
        .fail("n must be positive")
    )
    return square(n=size)  # the conditional's output is a Promise like any other


RUNS = {"classify": [{"n": 3.0, "seed": 0}, {"n": 20.0, "seed": 2}, {"n": 20.0, "seed": 1}]}


def reference(n: float, seed: int) -> float:
    """The same logic as plain Python."""
    if 0.0 < n < 10.0:
        size = n * n
    elif n >= 10.0:
        size = n / 2 if seed % 2 == 0 else n
    else:
        raise ValueError("n must be positive")
    return size * size


if __name__ == "__main__":
    print(classify(n=3.0, seed=0), classify(n=20.0, seed=2))
