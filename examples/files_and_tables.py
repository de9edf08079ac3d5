"""Files, folders and tables: a CSV -> DataFrame -> StructuredDataset pipeline, and a @dynamic that
fans out over a folder's files. Their bytes move between tasks through the raw-data store
(``--raw-data-prefix``; a folder per run by default). Needs ``pip install 'flowgen[dataframe]'``.

    flowgen run examples/files_and_tables.py:report --rows 5
    flowgen run examples/files_and_tables.py:report --rows 5 --raw-data-prefix s3://my-bucket/flowgen
"""

import os
import tempfile
import typing
from typing import Annotated

import pandas as pd
from annotated_types import Ge

from flowgen import FlyteDirectory, FlyteFile, StructuredDataset, dynamic, kwtypes, task, workflow

CSV = FlyteFile[typing.TypeVar("csv")]
Scores = Annotated[StructuredDataset, kwtypes(name=str, score=int)]


@task
def write_scores(rows: Annotated[int, Ge(1)]) -> CSV:
    path = os.path.join(tempfile.mkdtemp(), "scores.csv")
    pd.DataFrame({"name": [f"p{i}" for i in range(rows)], "score": [i * i for i in range(rows)]}).to_csv(
        path, index=False
    )
    return FlyteFile(path)  # or the plain path, as in Flyte


@task
def load(f: CSV) -> pd.DataFrame:
    return pd.read_csv(f)  # open(f), f.path and f.download() all give the local copy


@task
def rank(df: pd.DataFrame) -> Scores:
    return StructuredDataset(dataframe=df.sort_values("score", ascending=False))


@task
def top_score(sd: Annotated[StructuredDataset, kwtypes(score=int)]) -> int:
    return int(sd.open(pd.DataFrame).all()["score"].max())  # only the declared column is read


@task
def split_by_row(f: CSV) -> FlyteDirectory:
    folder = tempfile.mkdtemp()
    for i, line in enumerate(pd.read_csv(f).itertuples(index=False)):
        with open(os.path.join(folder, f"row-{i}.txt"), "w") as out:
            out.write(str(line.score))
    return FlyteDirectory(folder)


@task
def read_score(f: FlyteFile) -> int:
    with open(f) as src:
        return int(src.read())


@dynamic
def scores_of(d: FlyteDirectory) -> list[int]:
    return [read_score(f=f) for f in FlyteDirectory.listdir(d) if isinstance(f, FlyteFile)]  # one task per file


@task
def total(values: list[int]) -> int:
    return sum(values)


@workflow
def report(rows: Annotated[int, Ge(1)] = 4) -> tuple[int, int]:  # a report of at least one row
    f = write_scores(rows=rows)
    best = top_score(sd=rank(df=load(f=f)))
    return best, total(values=scores_of(d=split_by_row(f=f)))


RUNS = {"report": [{"rows": 4}, {"rows": 1}]}
