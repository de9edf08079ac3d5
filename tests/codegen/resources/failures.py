"""Workflows that fail in every way a node can: the generated module must fail the same way."""

import typing

from flowgen import conditional, map_task, task, workflow


@task
def boom(x: int) -> int:
    if x < 0:
        raise ValueError(f"negative: {x}")
    return x


@task
def wrong_output(x: int) -> int:
    return str(x)  # type: ignore[return-value]


@task
def items(n: int) -> typing.List[int]:
    return list(range(n))


@task
def signed(n: int) -> typing.List[int]:
    return [i - 1 for i in range(n)]


@task
def total(values: typing.List[int]) -> int:
    return sum(values)


@workflow
def sub(x: int) -> int:
    return boom(x=boom(x=x))


@workflow
def fails_in_task(x: int) -> int:
    return boom(x=x)


@workflow
def fails_in_subworkflow(x: int) -> int:
    return sub(x=x)


@workflow
def fails_on_output(x: int) -> int:
    return wrong_output(x=x)


@workflow
def fails_on_index(n: int) -> int:
    return boom(x=items(n=n)[2])


@workflow
def fails_in_map(n: int) -> int:
    return total(values=map_task(boom)(x=signed(n=n)))


@workflow
def fails_in_branch(x: int) -> int:
    return (
        conditional("sign")
        .if_(x > 0).then(boom(x=x))
        .else_().fail("x must be positive")
    )


@task
def add_three(first_value_with_a_long_name: int, second_value_with_a_long_name: int,
              third_value_with_a_long_name: int) -> int:
    return boom.fn(first_value_with_a_long_name) + second_value_with_a_long_name + third_value_with_a_long_name


@workflow
def fails_on_a_long_line(n: int) -> int:
    """Its fast body's node statement is longer than a line: the formatter splits it."""
    values = signed(n=n)
    return add_three(first_value_with_a_long_name=values[0], second_value_with_a_long_name=values[1],
                     third_value_with_a_long_name=values[2])
