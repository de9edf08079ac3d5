"""The workloads of bench_data.py, as flowgen workflows and as the same bodies in plain Python."""

from __future__ import annotations

import hashlib
import os
import tempfile

import numpy as np
import pandas as pd

from flowgen import FlyteFile, map_task, task, workflow

CHUNK = 1 << 22


def _write_big(path: str, megabytes: int) -> None:
    block = np.random.default_rng(7).bytes(1 << 20)
    with open(path, "wb") as out:
        for _ in range(megabytes):
            out.write(block)


def _transform(src: str, dst: str) -> None:
    with open(src, "rb") as i, open(dst, "wb") as o:
        while chunk := i.read(CHUNK):
            o.write(chunk[::-1])


def _digest(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as i:
        while chunk := i.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


@task
def make_big(megabytes: int) -> FlyteFile:
    path = os.path.join(tempfile.mkdtemp(), "big.bin")
    _write_big(path, megabytes)
    return FlyteFile(path)


@task
def transform_big(f: FlyteFile) -> FlyteFile:
    out = os.path.join(tempfile.mkdtemp(), "big2.bin")
    _transform(f.download(), out)
    return FlyteFile(out)


@task
def digest_big(f: FlyteFile) -> str:
    return _digest(f.download())


@workflow
def big_file_chain(megabytes: int = 100) -> str:
    return digest_big(f=transform_big(f=make_big(megabytes=megabytes)))


def plain_big_file_chain(megabytes: int) -> str:
    folder = tempfile.mkdtemp()
    a, b = os.path.join(folder, "big.bin"), os.path.join(folder, "big2.bin")
    _write_big(a, megabytes)
    _transform(a, b)
    return _digest(b)


def _frame(rows: int) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame({"k": rng.integers(0, 100, rows), "v": rng.random(rows), "s": rng.integers(0, 9, rows)})


@task
def make_frame(rows: int) -> pd.DataFrame:
    return _frame(rows)


@task
def enrich(df: pd.DataFrame) -> pd.DataFrame:
    df["w"] = df["v"] * df["s"]
    return df


@task
def summarise(df: pd.DataFrame) -> float:
    return float(df.groupby("k")["w"].sum().sum())


@workflow
def frame_chain(rows: int = 1_000_000) -> float:
    return summarise(df=enrich(df=make_frame(rows=rows)))


def plain_frame_chain(rows: int) -> float:
    """The same bodies, passing the frames through Parquet files as a pipeline of scripts would."""
    folder = tempfile.mkdtemp()
    a, b = os.path.join(folder, "a.parquet"), os.path.join(folder, "b.parquet")
    _frame(rows).to_parquet(a)
    df = pd.read_parquet(a)
    df["w"] = df["v"] * df["s"]
    df.to_parquet(b)
    df = pd.read_parquet(b)
    return float(df.groupby("k")["w"].sum().sum())


@task
def small_file(i: int) -> FlyteFile:
    path = os.path.join(tempfile.mkdtemp(), f"f{i}.txt")
    with open(path, "w") as out:
        out.write(str(i))
    return FlyteFile(path)


@task
def read_small(f: FlyteFile) -> int:
    with open(f) as src:
        return int(src.read())


@workflow
def many_small_files(xs: list[int]) -> list[int]:
    return map_task(read_small)(f=map_task(small_file)(i=xs))


def plain_many_small_files(xs: list[int]) -> list[int]:
    paths = []
    for i in xs:
        path = os.path.join(tempfile.mkdtemp(), f"f{i}.txt")
        with open(path, "w") as out:
            out.write(str(i))
        paths.append(path)
    out = []
    for path in paths:
        with open(path) as src:
            out.append(int(src.read()))
    return out
