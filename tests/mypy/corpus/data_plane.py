# ruff: noqa  -- input for mypy: deliberate mistakes
import typing
from typing import Annotated, TypeVar

import pandas as pd

from flowgen import FlyteDirectory, FlyteFile, StructuredDataset, kwtypes, task, workflow

CSVFile = FlyteFile[typing.TypeVar("csv")]
ParquetFile = FlyteFile[typing.TypeVar("parquet")]
csv = TypeVar("csv")

People = Annotated[StructuredDataset, kwtypes(name=str, age=int)]


@task
def download(url: str) -> CSVFile:
    return FlyteFile(url)


@task
def images(url: str) -> FlyteDirectory["png"]:
    return FlyteDirectory(url)


@task
def count_rows(f: FlyteFile[csv]) -> int:
    with open(f) as fh:
        return len(fh.readlines())


@task
def load_parquet(f: ParquetFile) -> pd.DataFrame:
    return pd.read_parquet(f.download())


@task
def size(f: FlyteFile) -> int:
    return len(f.path)


@task
def thumbnails(d: FlyteDirectory["jpg"]) -> int:
    return 0


@task
def people(f: CSVFile) -> People:
    return StructuredDataset(dataframe=pd.read_csv(f.download()))


@task
def mean_salary(sd: Annotated[StructuredDataset, kwtypes(name=str, salary=float)]) -> float:
    return 0.0


@task
def mean_age(sd: Annotated[StructuredDataset, kwtypes(age=int)]) -> float:
    return 0.0


@task
def text_ages(sd: Annotated[StructuredDataset, kwtypes(age=str)]) -> int:
    return 0


@task
def any_table(sd: StructuredDataset) -> int:
    return 0


@workflow
def fine(url: str) -> float:
    f = download(url=url)
    count_rows(f=f)
    size(f=f)
    any_table(sd=people(f=f))
    return mean_age(sd=people(f=f))


@workflow
def csv_into_parquet(url: str) -> pd.DataFrame:
    return load_parquet(f=download(url=url))  # flag


@workflow
def png_into_jpg(url: str) -> int:
    return thumbnails(d=images(url=url))  # flag


@workflow
def missing_column(url: str) -> float:
    table = people(f=download(url=url))
    return mean_salary(sd=table)  # flag


@workflow
def retyped_column(url: str) -> int:
    table = people(f=download(url=url))
    return text_ages(sd=table)  # flag
