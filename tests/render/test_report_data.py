"""The run report says what files, folders and tables a node produced: a file's URI and size,
a folder's file count, a table's shape and its columns' names and types."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from flowgen.cli.main import cli
from flowgen.report.data_facts import describe_data, human_size
from tests.render.report_helpers import PageElements

pd = pytest.importorskip("pandas")
pytest.importorskip("pyarrow")

PROGRAM = '''import os
from typing import Annotated

import pandas as pd

from flowgen import FlyteDirectory, FlyteFile, StructuredDataset, kwtypes, task, workflow


@task
def write_csv(rows: int) -> FlyteFile["csv"]:
    path = "people.csv"
    with open(path, "w") as fh:
        fh.write("name,age\\n" + "".join(f"p{i},{i}\\n" for i in range(rows)))
    return FlyteFile(path)


@task
def split(f: FlyteFile["csv"]) -> FlyteDirectory:
    os.makedirs("parts", exist_ok=True)
    for i, line in enumerate(open(f).read().splitlines()[1:]):
        with open(os.path.join("parts", f"{i}.txt"), "w") as fh:
            fh.write(line)
    return FlyteDirectory("parts")


@task
def load(f: FlyteFile["csv"]) -> pd.DataFrame:
    return pd.read_csv(f.download())


@task
def people(df: pd.DataFrame) -> Annotated[StructuredDataset, kwtypes(name=str, age=int)]:
    return StructuredDataset(dataframe=df)


@task
def count(d: FlyteDirectory, sd: Annotated[StructuredDataset, kwtypes(age=int)]) -> int:
    return len(FlyteDirectory.listdir(d)) + len(sd.open(pd.DataFrame).all())


@workflow
def pipeline(rows: int = 3) -> int:
    f = write_csv(rows=rows)
    return count(d=split(f=f), sd=people(df=load(f=f)))
'''


@pytest.mark.parametrize("executor", ["inprocess", "threads", "processes"])
def test_report_shows_uri_size_file_count_shape_and_columns(tmp_path: Path, executor: str,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    program = tmp_path / "data_report.py"
    program.write_text(PROGRAM)
    report = tmp_path / "report.html"
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["run", f"{program}:pipeline", "--executor", executor,
                                      "--raw-data-prefix", str(tmp_path / "store"), "--report", str(report),
                                      "--json"])
    assert result.exit_code == 0, result.output
    data = PageElements(report.read_text()).data
    facts = {item["title"]: item.get("data", []) for item in data["items"].values()}
    store = re.escape(str(tmp_path / "store"))
    size = len("name,age\n" + "".join(f"p{i},{i}\n" for i in range(3)))
    [csv] = facts["write_csv"]
    assert re.fullmatch(rf"o0: {store}/\S+/people\.csv \({size} B\)", csv), csv
    [folder] = facts["split"]
    assert re.fullmatch(rf"o0: {store}/\S+ \(3 files\)", folder), folder
    [frame] = facts["load"]
    assert "3 rows × 2 columns" in frame and "name:" in frame and "age:" in frame
    [table] = facts["people"]
    assert re.fullmatch(rf"o0: {store}/\S+: 3 rows × 2 columns \(name: \w+, age: int64\)", table), table
    assert facts["count"] == []  # an int is no data value


def test_describe_data_of_frames_and_sizes() -> None:
    pa = pytest.importorskip("pyarrow")
    frame = pd.DataFrame({"a": [1, 2], "b": ["x", None]})
    assert str(describe_data(frame)).startswith("2 rows × 2 columns (a: int64, b: ")
    assert describe_data(pa.table({"a": [1]})) == "1 rows × 1 column (a: int64)"
    assert describe_data(3) is None and describe_data("x.csv") is None
    assert human_size(999) == "999 B" and human_size(1500) == "1.5 kB" and human_size(2_000_000) == "2.0 MB"


def test_a_file_the_store_cannot_size_is_shown_by_its_address(tmp_path: Path) -> None:
    from flowgen import FlyteFile

    missing = FlyteFile(os.path.join(tmp_path, "gone.csv"))
    text = describe_data(missing)
    assert text is not None and "gone.csv" in text
