# ruff: noqa
"""Tasks, records and helpers imported by the corpus cases (not a case itself)."""

from dataclasses import dataclass
from typing import Any

from flowgen import Promise, task


@dataclass
class Record:
    n: int


@task
def greet(name: str) -> str:
    return f"hello {name}"


@task
def make_record(n: int) -> Record:
    return Record(n=n)


@task
def bump(x: int) -> int:
    return x + 1


def clamp(x: int, low: int = 0) -> int:
    return max(x, low)


def wire_int(x: "Promise[int]") -> Any:
    return bump(x=x)
