# expect-check: FG201
# expect-mypy: flags
# expect-tracer: raises
# ruff: noqa
"""Flowgen's decorators imported under other names."""

from flowgen import task as fg_task, workflow as flow


@fg_task
def shout(text: str) -> str:
    return text.upper()


@flow
def wf(x: int) -> str:
    return shout(text=x)  # flag
