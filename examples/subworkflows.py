"""Sub-workflows, a task with no outputs, and ``>>`` ordering without data."""

from flowgen import task, workflow

LOG: list[str] = []


@task
def log(message: str) -> None:
    LOG.append(message)


@task
def double(x: int) -> int:
    return 2 * x


@workflow
def quadruple(x: int) -> int:
    return double(x=double(x=x))


@workflow
def pipeline(x: int) -> int:
    started = log(message="start")
    y = quadruple(x=x)  # a sub-workflow is a node too
    done = log(message="done")
    started >> done
    return double(x=y)


RUNS = {"pipeline": [{"x": 1}, {"x": 5}]}

if __name__ == "__main__":
    print(pipeline(x=5))
