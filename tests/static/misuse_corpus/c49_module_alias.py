# expect-check: FG101
# expect-mypy: flags
# expect-tracer: raises
# ruff: noqa
"""`import flowgen as fg`."""

import flowgen as fg


@fg.task
def positive(x: int) -> bool:
    return x > 0


@fg.workflow
def wf(x: int) -> bool:
    ok = positive(x=x)
    while ok:  # flag
        return ok
    return ok
