import typing

import pandas as pd
from flytekit import StructuredDataset, kwtypes, task, workflow
from typing_extensions import Annotated

all_cols = kwtypes(Name=str, Age=int, Height=int)
col = kwtypes(Age=int)


@task
def get_df(a: int) -> Annotated[StructuredDataset, all_cols]:
    df = pd.DataFrame({"Name": ["Tom", "Joseph"], "Age": [a, 22], "Height": [160, 178]})
    return StructuredDataset(dataframe=df)


@task
def get_subset_df(df: Annotated[StructuredDataset, col]) -> Annotated[StructuredDataset, col]:
    df = df.open(pd.DataFrame).all()
    df = pd.concat([df, pd.DataFrame([[30]], columns=["Age"])])
    return StructuredDataset(dataframe=df)


@task
def ages(sd: StructuredDataset) -> typing.List[int]:
    return [int(x) for x in sd.open(pd.DataFrame).all()["Age"]]


@workflow
def simple_sd_wf(a: int = 19) -> typing.List[int]:
    pandas_df = get_df(a=a)
    return ages(sd=get_subset_df(df=pandas_df))


@task
def make_frame(n: int) -> pd.DataFrame:
    return pd.DataFrame({"x": list(range(n)), "y": [float(i) / 2 for i in range(n)]})


@task
def mean_y(df: pd.DataFrame) -> float:
    return float(df["y"].mean())


@workflow
def frame_wf(n: int = 5) -> float:
    return mean_y(df=make_frame(n=n))


CASES = [
    ("simple_sd_wf", {"a": 19}, [19, 22, 30]),
    ("frame_wf", {"n": 5}, 1.0),
]
FAILS = []
