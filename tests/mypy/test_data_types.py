"""Files, folders and tables as mypy sees them through the plugin: every way Flyte users
spell a format or columns becomes a type mypy compares (flowgen/mypy_plugin/data_types.py)."""

from __future__ import annotations

from pathlib import Path

from tests.mypy.harness import messages_by_file, run_mypy

SOURCE = '''import typing
from typing import Annotated, TypeVar

import flowgen
from flowgen import FlyteDirectory, FlyteFile, StructuredDataset, kwtypes, task, workflow

CSVFile = FlyteFile[typing.TypeVar("csv")]
Images = FlyteDirectory["png"]
csv = TypeVar("csv")
People = Annotated[StructuredDataset, kwtypes(name=str, age=int)]


@task
def spellings(a: FlyteFile["csv"], b: FlyteFile[TypeVar("csv")], c: flowgen.FlyteFile[csv], d: CSVFile,
              e: FlyteFile[".csv"], f: FlyteFile, g: Images, h: People,
              i: Annotated[StructuredDataset, {"age": int}], j: StructuredDataset,
              k: Annotated[int, "not a table"]) -> None:
    reveal_type(a)
    reveal_type(b)
    reveal_type(c)
    reveal_type(d)
    reveal_type(e)
    reveal_type(f)
    reveal_type(g)
    reveal_type(h)
    reveal_type(i)
    reveal_type(j)
    reveal_type(k)


@task
def make() -> CSVFile:
    return FlyteFile("data.csv")


@task
def people(f: FlyteFile[csv]) -> People:
    return StructuredDataset()


@task
def ages(sd: Annotated[StructuredDataset, kwtypes(age=int)]) -> int:
    return 0


@task
def anything(f: FlyteFile, sd: StructuredDataset) -> int:
    return 0


@workflow
def fits() -> int:
    f = make()
    anything(f=f, sd=people(f=f))
    return ages(sd=people(f=f))
'''

CSV = "flowgen.data.files.FlyteFile[Literal['csv']]"
EXPECTED = [
    CSV, CSV, CSV, CSV, CSV,
    "flowgen.data.files.FlyteFile[Any]",
    "flowgen.data.files.FlyteDirectory[Literal['png']]",
    "flowgen.data.tables.StructuredDataset[TypedDict({'name': str, 'age': int})]",
    "flowgen.data.tables.StructuredDataset[TypedDict({'age': int})]",
    "flowgen.data.tables.StructuredDataset[Any]",
    "int",
]


def test_formats_and_columns_as_mypy_types(tmp_path: Path) -> None:
    module = tmp_path / "spellings.py"
    module.write_text(SOURCE)
    _, output = run_mypy([module], tmp_path / "cache")
    found = messages_by_file(output).get(module.resolve(), {})
    errors = [m for by_line in found.values() for m in by_line if not m.startswith("note:")]
    assert errors == [], output
    revealed = [m.split('"')[1] for _, by_line in sorted(found.items()) for m in by_line
                if m.startswith("note: Revealed type")]
    assert revealed == EXPECTED, output
