"""FlyteFile, FlyteDirectory and StructuredDataset as Flyte users call them, and their errors."""

from __future__ import annotations

import os
import pickle
import typing
from typing import Annotated, Any

import pandas as pd
import pyarrow as pa
import pytest

from flowgen import (
    FlyteDirectory,
    FlyteFile,
    StructuredDataset,
    kwtypes,
    task,
    workflow,
)
from flowgen.errors import InputValidationError, OutputValidationError
from flowgen.ir.annotations import type_spec
from flowgen.ir.types import DirectoryType, FieldSpec, FileType, TableType, primitive
from flowgen.ir.values import checker

PARQUET = FlyteFile["parquet"]


def test_formats_are_remembered_and_typed() -> None:
    assert FlyteFile["csv"] is FlyteFile[typing.TypeVar("csv")]
    assert FlyteFile["csv"].extension() == "csv" and FlyteFile.extension() == ""
    assert type_spec(FlyteFile["csv"]) == FileType(format="csv")
    assert type_spec(FlyteDirectory) == DirectoryType()
    assert type_spec(Annotated[StructuredDataset, kwtypes(a=int, b=str)]) == TableType(
        flavor="structured", columns=(FieldSpec(name="a", type=primitive("int")),
                                      FieldSpec(name="b", type=primitive("str"))))
    assert type_spec(pd.DataFrame) == TableType(flavor="pandas")
    assert type_spec(pa.Table) == TableType(flavor="arrow")
    f = FlyteFile["csv"]("/x/y.csv")
    assert pickle.loads(pickle.dumps(f)).extension() == "csv"


def test_a_stored_file_is_copied_locally_on_first_use(tmp_path: Any) -> None:
    src = tmp_path / "in.txt"
    src.write_text("data")
    stored = checker(FileType())(str(src))
    assert stored.remote_source is not None and stored.remote_source != str(src)
    assert not stored.downloaded
    local = stored.download()
    assert local != stored.remote_source and open(local).read() == "data"
    again = checker(FileType())(stored)  # the next consumer: the same bytes, its own copy
    assert again.remote_source == stored.remote_source
    assert os.fspath(again) != local and open(again).read() == "data"
    assert str(stored) == local


def test_new_remote_file_writes_to_the_store() -> None:
    @task
    def write() -> FlyteFile:
        f = FlyteFile.new_remote_file("out.txt")
        with f.open("w") as out:
            out.write("remote")
        return f

    @task
    def read(f: FlyteFile) -> str:
        with f.open("r") as src:
            return src.read()

    @workflow
    def wf() -> str:
        return read(f=write())

    assert wf() == "remote"


def test_directories_new_file_new_dir_listdir_crawl_download(tmp_path: Any) -> None:
    @task
    def build() -> FlyteDirectory:
        d = FlyteDirectory.new(str(tmp_path / "made"))
        with open(d.new_file("a.txt"), "w") as out:
            out.write("A")
        sub = d.new_dir("sub")
        with open(sub.new_file("b.txt"), "w") as out:
            out.write("B")
        return d

    @task
    def describe(d: FlyteDirectory) -> list[str]:
        names = sorted(os.path.basename(str(e.remote_source or e)) for e in FlyteDirectory.listdir(d))
        crawled = sorted(rel for _, rel in d.crawl())
        local = d.download()
        with open(os.path.join(local, "sub", "b.txt")) as src:
            return [*names, *crawled, src.read()]

    @workflow
    def wf() -> list[str]:
        return describe(d=build())

    assert wf() == ["a.txt", "sub", "a.txt", "sub/b.txt", "B"]


def test_structured_dataset_open_all_iter_and_column_subsets() -> None:
    df = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})

    @task
    def make() -> StructuredDataset:
        return StructuredDataset(dataframe=df)

    @task
    def pieces(sd: Annotated[StructuredDataset, kwtypes(a=int)]) -> list[int]:
        whole = sd.open(pd.DataFrame).all()
        assert list(whole.columns) == ["a"]
        batches = list(sd.open(pa.Table).iter(batch_size=2))
        assert [b.num_rows for b in batches] == [2, 1]
        return list(whole["a"])

    @workflow
    def wf() -> list[int]:
        return pieces(sd=make())

    assert wf() == [1, 2, 3]


def test_a_missing_file_is_a_located_error_naming_the_task_and_path(tmp_path: Any) -> None:
    gone = str(tmp_path / "nope.csv")

    @task
    def lost() -> FlyteFile:
        return gone  # type: ignore[return-value]

    with pytest.raises(OutputValidationError) as info:
        lost()
    assert "lost" in str(info.value) and gone in str(info.value) and "no such file" in str(info.value)


def test_a_table_without_the_declared_columns_is_rejected() -> None:
    @task
    def short() -> Annotated[StructuredDataset, kwtypes(a=int, b=int)]:
        return StructuredDataset(dataframe=pd.DataFrame({"a": [1]}))

    with pytest.raises(OutputValidationError, match="missing column"):
        short()


def test_a_format_mismatch_at_run_time_names_both_formats(tmp_path: Any) -> None:
    @task
    def wants_parquet(f: PARQUET) -> int:
        return 1

    (tmp_path / "a.csv").write_text("x")
    with pytest.raises(InputValidationError, match=r"FlyteFile\['parquet'\]"):
        wants_parquet(f=FlyteFile["csv"](str(tmp_path / "a.csv")))


def test_without_the_extra_tables_name_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    from flowgen.data import tables

    real_import = builtins.__import__

    def no_pyarrow(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("pyarrow"):
            raise ImportError(name=name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with pytest.raises(tables.MissingExtraError, match=r"pip install 'flowgen\[dataframe\]'"):
        tables.write_table(pd.DataFrame({"a": [1]}))
