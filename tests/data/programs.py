"""Workflows that move files, folders and tables, written as Flyte users write them.

Importable (tests/data/programs.py), so worker processes and Dask workers find the tasks.
"""

from __future__ import annotations

import os
import tempfile
import typing
from dataclasses import dataclass
from typing import Annotated

import pandas as pd
import pyarrow as pa

from flowgen import (
    FlyteDirectory,
    FlyteFile,
    HashMethod,
    StructuredDataset,
    dynamic,
    kwtypes,
    map_task,
    task,
    workflow,
)

CSV = FlyteFile[typing.TypeVar("csv")]


@task
def write_csv(rows: int) -> CSV:
    path = os.path.join(tempfile.mkdtemp(), "numbers.csv")
    with open(path, "w") as f:
        f.write("a,b\n")
        for i in range(rows):
            f.write(f"{i},{i * i}\n")
    return path  # a plain local path where the annotation says FlyteFile, as in Flyte


@task
def csv_to_frame(f: CSV) -> pd.DataFrame:
    return pd.read_csv(f)


@task
def add_column(df: pd.DataFrame) -> Annotated[StructuredDataset, kwtypes(a=int, b=int, c=int)]:
    df["c"] = df["a"] + df["b"]
    return StructuredDataset(dataframe=df)


@task
def sum_b(sd: Annotated[StructuredDataset, kwtypes(b=int)]) -> int:
    df = sd.open(pd.DataFrame).all()
    assert list(df.columns) == ["b"], list(df.columns)
    return int(df["b"].sum())


@workflow
def csv_pipeline(rows: int = 5) -> int:
    return sum_b(sd=add_column(df=csv_to_frame(f=write_csv(rows=rows))))


# -- files: bytes survive every hop -----------------------------------------------------------


@task
def bytes_to_file(data: bytes) -> FlyteFile:
    path = os.path.join(tempfile.mkdtemp(), "blob.bin")
    with open(path, "wb") as f:
        f.write(data)
    return FlyteFile(path)


@task
def copy_file(f: FlyteFile) -> FlyteFile:
    out = os.path.join(tempfile.mkdtemp(), "copy.bin")
    with open(f, "rb") as src, open(out, "wb") as dst:
        dst.write(src.read())
    return FlyteFile(out)


@task
def file_to_bytes(f: FlyteFile) -> bytes:
    f.download()
    with open(f.path, "rb") as src:
        return src.read()


@workflow
def bytes_round_trip(data: bytes) -> bytes:
    return file_to_bytes(f=copy_file(f=bytes_to_file(data=data)))


# -- value semantics: a consumer changing its copy -----------------------------------------------


@task
def scribble(f: FlyteFile) -> str:
    with open(f, "a") as out:
        out.write("SCRIBBLED")
    with open(f) as src:
        return src.read()


@task
def read_text(f: FlyteFile) -> str:
    with open(f) as src:
        return src.read()


@task
def text_file(text: str) -> FlyteFile:
    path = os.path.join(tempfile.mkdtemp(), "t.txt")
    with open(path, "w") as out:
        out.write(text)
    return path  # type: ignore[return-value]


@workflow
def two_consumers(text: str = "hello") -> tuple[str, str]:
    f = text_file(text=text)
    return scribble(f=f), read_text(f=f)


@task
def shout_frame(df: pd.DataFrame) -> int:
    df["x"] = df["x"] * 1000  # changes this task's own frame only
    return int(df["x"].sum())


@task
def frame_of(n: int) -> pd.DataFrame:
    return pd.DataFrame({"x": list(range(n))})


@task
def total(df: pd.DataFrame) -> int:
    return int(df["x"].sum())


@workflow
def frame_consumers(n: int = 4) -> tuple[int, int]:
    df = frame_of(n=n)
    return shout_frame(df=df), total(df=df)


# -- frames: dtypes, nulls, empty frames ------------------------------------------------------------


@task
def frame_identity(df: pd.DataFrame) -> pd.DataFrame:
    return df


@task
def arrow_identity(t: pa.Table) -> pa.Table:
    return t


@workflow
def frame_round_trip(df: pd.DataFrame) -> pd.DataFrame:
    return frame_identity(df=frame_identity(df=df))


# -- folders and a @dynamic fan-out -------------------------------------------------------------------


@task
def make_folder(n: int) -> FlyteDirectory:
    root = tempfile.mkdtemp()
    for i in range(n):
        with open(os.path.join(root, f"part-{i}.txt"), "w") as out:
            out.write(str(i * 10))
    return FlyteDirectory(root)


@task
def read_number(f: FlyteFile) -> int:
    with open(f) as src:
        return int(src.read())


@dynamic
def read_all(d: FlyteDirectory) -> list[int]:
    return [read_number(f=f) for f in FlyteDirectory.listdir(d)]


@task
def count_files(d: FlyteDirectory) -> int:
    return sum(1 for _ in d.crawl())


@workflow
def folder_fan_out(n: int = 3) -> tuple[list[int], int]:
    d = make_folder(n=n)
    return read_all(d=d), count_files(d=d)


@task
def square_file(x: int) -> FlyteFile:
    path = os.path.join(tempfile.mkdtemp(), f"sq-{x}.txt")
    with open(path, "w") as out:
        out.write(str(x * x))
    return FlyteFile(path)


@workflow
def mapped_files(xs: list[int]) -> list[int]:
    return map_task(read_number)(f=map_task(square_file)(x=xs))


# -- nested: files and frames inside containers and records --------------------------------------------


@dataclass
class Bundle:
    name: str
    report: FlyteFile
    table: pd.DataFrame


@task
def bundle(name: str) -> Bundle:
    path = os.path.join(tempfile.mkdtemp(), "report.txt")
    with open(path, "w") as out:
        out.write(name.upper())
    return Bundle(name=name, report=FlyteFile(path), table=pd.DataFrame({"v": [1, 2, 3]}))


@task
def open_bundle(b: Bundle) -> str:
    with open(b.report) as src:
        return f"{src.read()}:{int(b.table['v'].sum())}"


@workflow
def nested(name: str = "x") -> str:
    return open_bundle(b=bundle(name=name))


# -- caching ------------------------------------------------------------------------------------------

CALLS_FILE = os.environ.get("FLOWGEN_TEST_CALLS", os.path.join(tempfile.gettempdir(), "flowgen-data-calls.txt"))


def _record(name: str) -> None:
    with open(CALLS_FILE, "a") as out:
        out.write(name + "\n")


def hash_frame(df: pd.DataFrame) -> str:
    return str(pd.util.hash_pandas_object(df).sum())


@task
def fresh_frame(n: int) -> Annotated[pd.DataFrame, HashMethod(hash_frame)]:
    return pd.DataFrame({"x": list(range(n))})


@task(cache=True, cache_version="1")
def doubled(df: pd.DataFrame) -> pd.DataFrame:
    _record("doubled")
    return df * 2


@task(cache=True, cache_version="1")
def line_count(f: FlyteFile) -> int:
    _record("line_count")
    with open(f) as src:
        return len(src.read().splitlines())


@task(cache=True, cache_version="1")
def cached_copy(f: FlyteFile) -> FlyteFile:
    _record("cached_copy")
    out = os.path.join(tempfile.mkdtemp(), "kept.txt")
    with open(f) as src, open(out, "w") as dst:
        dst.write(src.read())
    return FlyteFile(out)


@workflow
def cached_frames(n: int = 3) -> pd.DataFrame:
    return doubled(df=fresh_frame(n=n))


@workflow
def cached_lines(text: str = "a\nb") -> int:
    return line_count(f=text_file(text=text))


@workflow
def cached_file(text: str = "keep me") -> str:
    return read_text(f=cached_copy(f=text_file(text=text)))


@task
def append_line(f: FlyteFile, line: str) -> FlyteFile:
    out = os.path.join(tempfile.mkdtemp(), "log.txt")
    with open(f) as src, open(out, "w") as dst:
        dst.write(src.read() + line + "\n")
    return FlyteFile(out)


@workflow
def file_chains() -> list[str]:
    """Four chains of twelve file steps each: files live in the store between steps."""
    ends = []
    for chain in range(4):
        f = text_file(text=f"go-{chain}\n")
        for step in range(12):
            f = append_line(f=f, line=f"{chain}.{step}")
        ends.append(read_text(f=f))
    return ends
