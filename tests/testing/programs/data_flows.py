"""Workflows over files, folders and tables, for flowgen.testing's data strategies."""

import os
import typing
from typing import Annotated

import pandas as pd
import pyarrow as pa
from annotated_types import Ge, Le

from flowgen import FlyteDirectory, FlyteFile, StructuredDataset, kwtypes, task, workflow

Scores = Annotated[StructuredDataset, kwtypes(name=str, score=Annotated[int, Ge(0), Le(100)])]


@task
def size(f: FlyteFile) -> int:
    with open(f, "rb") as src:
        return len(src.read())


@task
def line_count(f: FlyteFile[typing.TypeVar("csv")]) -> int:
    with open(f, encoding="utf-8") as src:
        return src.read().count("\n")


@task
def names(d: FlyteDirectory) -> list[str]:
    return sorted(os.listdir(d.download()))


@task
def best(sd: Scores) -> int:
    df = sd.open(pd.DataFrame).all()
    assert list(df.columns) == ["name", "score"]
    assert df["score"].between(0, 100).all()
    return int(df["score"].max()) if len(df) else -1


@task
def width(df: pd.DataFrame) -> int:
    return len(df.columns) * 1000 + len(df)


@task
def rows(t: pa.Table) -> int:
    return t.num_rows


@workflow
def files(f: FlyteFile, csv: FlyteFile[typing.TypeVar("csv")]) -> tuple[int, int]:
    return size(f=f), line_count(f=csv)


@workflow
def folder(d: FlyteDirectory) -> list[str]:
    return names(d=d)


@workflow
def tables(sd: Scores, df: pd.DataFrame, t: pa.Table) -> tuple[int, int, int]:
    return best(sd=sd), width(df=df), rows(t=t)


@task
def short(f: FlyteFile) -> int:
    with open(f, "rb") as src:
        data = src.read()
    if len(data) > 3:
        raise ValueError(f"{len(data)} bytes is too long")
    return len(data)


@workflow
def short_files_only(f: FlyteFile) -> int:
    return short(f=f)
