# expect-check: FG304
# expect-mypy: silent -- both are Resources values; which is larger is a value, not a type, so mypy cannot tell
# expect-tracer: raises
# ruff: noqa
"""@task requests above its limits."""

from flowgen import task, workflow
from flowgen import Resources


@task(requests=Resources(cpu="4"), limits=Resources(cpu="2"))  # flag
def heavy(x: int) -> int:
    return x
