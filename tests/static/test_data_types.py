"""Files, folders and tables before anything runs: the static resolver builds the specs the
tracer builds (static IR == traced IR), and ``flowgen check`` and the tracer report the same
format and column mismatches, on the same line, naming both sides.

Each case is a module written the way Flyte users write it, imported for the tracer and read
from source for the static front end.
"""

from __future__ import annotations

import importlib
import importlib.util
import itertools
import sys
from pathlib import Path
from typing import Any

import pytest

from flowgen.dsl.entities import Workflow
from flowgen.errors import FlowgenError
from flowgen.ir.types import (
    DirectoryType,
    FieldSpec,
    FileType,
    JsonType,
    OpaqueType,
    TableType,
    primitive,
)
from flowgen.static import check_paths, compile_static

pytest.importorskip("pandas")
pytest.importorskip("pyarrow")

_counter = itertools.count()


def _write(tmp_path: Path, source: str) -> tuple[Path, str]:
    name = f"data_case_{next(_counter)}"
    path = tmp_path / f"{name}.py"
    path.write_text(source)
    return path, name


def _import(tmp_path: Path, name: str) -> Any:
    sys.path.insert(0, str(tmp_path))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(tmp_path))
        # the module object stays alive for the test; its name is unique


def _traced_and_static(tmp_path: Path, source: str, workflow: str) -> tuple[dict[str, Any], dict[str, Any]]:
    path, name = _write(tmp_path, source)
    module = _import(tmp_path, name)
    wf = getattr(module, workflow)
    assert isinstance(wf, Workflow)
    traced = wf.compile_program().model_dump(mode="json")
    static = compile_static(str(path), workflow).model_dump(mode="json")
    return traced, static


PIPELINE = '''"""Files, folders and tables, as Flyte users annotate them."""

import typing
from typing import Annotated, Any, TypeVar

import pandas as pd
import pyarrow as pa

import flowgen
from flowgen import FlyteDirectory, FlyteFile, HashMethod, StructuredDataset, kwtypes, task, workflow
from flowgen.types.directory import FlyteDirectory as FD
from flowgen.types.file import FlyteFile as FF
from flowgen.types.structured import StructuredDataset as SD

CSVFile = FlyteFile[typing.TypeVar("csv")]
csv = TypeVar("csv")
People = Annotated[StructuredDataset, kwtypes(name=str, age=int)]


def _hash(df: pd.DataFrame) -> str:
    return str(len(df))


@task
def make_csv(n: int) -> CSVFile:
    return "x.csv"


@task
def read_csv(f: FlyteFile[csv], folder: FlyteDirectory["csv"], plain: FF, any_folder: FD,
             dotted: flowgen.FlyteFile[".csv"]) -> pd.DataFrame:
    return pd.DataFrame()


@task
def to_people(df: Annotated[pd.DataFrame, HashMethod(_hash)]) -> People:
    return StructuredDataset(dataframe=df)


@task
def ages(sd: Annotated[SD, kwtypes(age=int)], frame: Annotated[pd.DataFrame, {"name": str}],
         raw: Annotated[StructuredDataset, kwtypes()], extra: Any, blob: dict, items: typing.List,
         keyed: dict[int, str]) -> pa.Table:
    return pa.table({})


@task
def loose(x, y: typing.Dict):
    print(x, y)


@workflow
def flow(n: int = 3) -> pa.Table:
    f = make_csv(n=n)
    df = read_csv(f=f, folder="s3://bucket/folder", plain=f, any_folder="s3://bucket/other", dotted=f)
    people = to_people(df=df)
    loose(x=n, y={"a": [1, None]})
    return ages(sd=people, frame=people, raw=people, extra=n, blob={"a": 1}, items=[1, "two"], keyed={1: "a"})
'''


def test_static_ir_equals_traced_ir_for_files_folders_and_tables(tmp_path: Path) -> None:
    traced, static = _traced_and_static(tmp_path, PIPELINE, "flow")
    assert static == traced
    tasks = {name.rpartition(".")[2]: spec["interface"] for name, spec in traced["tasks"].items()}

    def inputs(task: str) -> dict[str, Any]:
        return {p["name"]: p["type"] for p in tasks[task]["inputs"]}

    csv = FileType(format="csv").model_dump(mode="json")
    assert tasks["make_csv"]["outputs"][0]["type"] == csv
    assert inputs("read_csv") == {
        "f": csv,
        "folder": DirectoryType(format="csv").model_dump(mode="json"),
        "plain": FileType().model_dump(mode="json"),
        "any_folder": DirectoryType().model_dump(mode="json"),
        "dotted": csv,
    }
    people = TableType(flavor="structured", columns=(FieldSpec(name="name", type=primitive("str")),
                                                     FieldSpec(name="age", type=primitive("int"))))
    assert tasks["to_people"]["outputs"][0]["type"] == people.model_dump(mode="json")
    assert inputs("to_people")["df"] == TableType(flavor="pandas").model_dump(mode="json")
    got = inputs("ages")
    assert got["sd"]["columns"] == [{"name": "age", "type": {"kind": "primitive", "name": "int"},
                                     "has_default": False}]
    assert got["frame"]["flavor"] == "pandas" and got["frame"]["columns"][0]["name"] == "name"
    assert got["raw"] == TableType(flavor="structured").model_dump(mode="json")  # kwtypes(): untyped
    assert got["extra"] == OpaqueType().model_dump(mode="json")
    assert got["blob"] == JsonType(container="dict").model_dump(mode="json")
    assert got["items"] == JsonType(container="list").model_dump(mode="json")
    assert got["keyed"]["key"] == {"kind": "primitive", "name": "int"}
    assert tasks["ages"]["outputs"][0]["type"] == TableType(flavor="arrow").model_dump(mode="json")
    # untyped parameter: opaque; no return annotation: no outputs (as in Flyte)
    assert inputs("loose")["x"] == OpaqueType().model_dump(mode="json")
    assert tasks["loose"]["outputs"] == [] and tasks["loose"]["output_form"] == "none"


def test_project_and_library_classes_are_opaque_in_interfaces_as_traced(tmp_path: Path) -> None:
    source = '''import fractions

from flowgen import task, workflow


class Model:
    def __init__(self, weight: float) -> None:
        self.weight = weight


@task
def train(w: float) -> Model:
    return Model(w)


@task
def ratio(m: Model) -> fractions.Fraction:
    return fractions.Fraction(1, 3)


@workflow
def wf(w: float) -> fractions.Fraction:
    return ratio(m=train(w=w))
'''
    traced, static = _traced_and_static(tmp_path, source, "wf")
    assert static == traced
    train = next(t for n, t in traced["tasks"].items() if n.endswith(".train"))
    assert train["interface"]["outputs"][0]["type"]["kind"] == "opaque"
    assert train["interface"]["outputs"][0]["type"]["ref"].endswith(":Model")


# -- mismatches: check and the tracer agree -------------------------------------------------------------

MISMATCHES = '''from typing import Annotated, TypeVar

import pandas as pd

from flowgen import FlyteDirectory, FlyteFile, StructuredDataset, kwtypes, task, workflow

Parquet = FlyteFile[TypeVar("parquet")]


@task
def make_csv() -> FlyteFile["csv"]:
    return "x.csv"


@task
def make_folder() -> FlyteDirectory["csv"]:
    return "out"


@task
def read_parquet(f: Parquet) -> int:
    return 1


@task
def read_images(d: FlyteDirectory["png"]) -> int:
    return 1


@task
def read_any(f: FlyteFile) -> int:
    return 1


@task
def people() -> Annotated[StructuredDataset, kwtypes(name=str, age=int)]:
    return StructuredDataset(dataframe=pd.DataFrame({"name": ["a"], "age": [1]}))


@task
def salaries(sd: Annotated[StructuredDataset, kwtypes(name=str, salary=float)]) -> int:
    return 0


@task
def ages_as_text(df: Annotated[pd.DataFrame, kwtypes(age=str)]) -> int:
    return 0


@task
def names(df: Annotated[pd.DataFrame, kwtypes(name=str)]) -> int:
    return 0


@task
def any_frame() -> pd.DataFrame:
    return pd.DataFrame()


@workflow
def wrong_format() -> int:
    return read_parquet(f=make_csv())


@workflow
def wrong_folder_format() -> int:
    return read_images(d=make_folder())


@workflow
def file_for_folder() -> int:
    return read_images(d=make_csv())


@workflow
def missing_column() -> int:
    return salaries(sd=people())


@workflow
def retyped_column() -> int:
    return ages_as_text(df=people())


@workflow
def fine() -> int:
    read_any(f=make_csv())
    names(df=any_frame())
    return names(df=people())
'''

CASES = {
    # workflow: (line, words the message must hold)
    "wrong_format": ("read_parquet(f=make_csv())", ["FlyteFile['parquet']", "FlyteFile['csv']", "make_csv"],
                     "a 'csv' file cannot feed a 'parquet' input"),
    "wrong_folder_format": ("read_images(d=make_folder())", ["FlyteDirectory['png']", "FlyteDirectory['csv']"],
                            "a 'csv' folder cannot feed a 'png' input"),
    "file_for_folder": ("read_images(d=make_csv())", ["FlyteDirectory['png']", "FlyteFile['csv']"], None),
    "missing_column": ("salaries(sd=people())", ["StructuredDataset[name=str, salary=float]",
                                                 "StructuredDataset[name=str, age=int]"], "salary: float"),
    "retyped_column": ("ages_as_text(df=people())", ["DataFrame[age=str]", "StructuredDataset[name=str, age=int]"],
                       "age: str"),
}


def _line_of(source: str, text: str) -> int:
    return next(n for n, line in enumerate(source.splitlines(), start=1) if text in line)


@pytest.fixture(scope="module")
def mismatches(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any, list[Any]]:
    tmp_path = tmp_path_factory.mktemp("mismatches")
    path, name = _write(tmp_path, MISMATCHES)
    module = _import(tmp_path, name)
    result = check_paths([str(path)], jobs=1)
    return path, module, list(result.diagnostics)


@pytest.mark.parametrize("workflow", sorted(CASES))
def test_check_reports_the_mismatch_located_naming_both_sides(
        mismatches: tuple[Path, Any, list[Any]], workflow: str) -> None:
    _, _, diagnostics = mismatches
    text, words, hint = CASES[workflow]
    line = _line_of(MISMATCHES, text)
    found = [d for d in diagnostics if d.line == line]
    assert len(found) == 1, diagnostics
    d = found[0]
    assert d.code == "FG201" and d.severity == "error"
    assert d.column > 0
    for word in words:
        assert word in d.message
    if hint is not None:
        assert d.hint is not None and hint in d.hint


@pytest.mark.parametrize("workflow", sorted(CASES))
def test_the_tracer_raises_the_same_mistake_on_the_same_line(
        mismatches: tuple[Path, Any, list[Any]], workflow: str) -> None:
    path, module, diagnostics = mismatches
    text, words, hint = CASES[workflow]
    line = _line_of(MISMATCHES, text)
    with pytest.raises(FlowgenError) as info:
        getattr(module, workflow).compile_program()
    error = info.value
    assert type(error).__name__ == "WiringError"
    assert error.location is not None
    assert Path(error.location.file).resolve() == path.resolve() and error.location.line == line
    assert error.workflow is not None and error.workflow.endswith(workflow)
    static = next(d for d in diagnostics if d.line == line)
    assert str(error.message) == static.message.split(" (in @workflow")[0]
    for word in words:
        assert word in str(error)
    if hint is not None:
        assert error.hint is not None and hint in error.hint


def test_untyped_files_and_tables_and_column_subsets_fit(mismatches: tuple[Path, Any, list[Any]]) -> None:
    _, module, diagnostics = mismatches
    fine_lines = range(_line_of(MISMATCHES, "def fine()"), _line_of(MISMATCHES, "return names(df=people())") + 1)
    assert not [d for d in diagnostics if d.line in fine_lines]
    assert module.fine.compile_program() is not None
    flagged = {d.line for d in diagnostics if d.severity == "error"}
    assert flagged == {_line_of(MISMATCHES, text) for text, _, _ in CASES.values()}


@pytest.mark.parametrize(("annotation", "message"), [
    ("FlyteFile[1.5]", 'a file or folder format is a string or TypeVar("name"), not 1.5'),
    ('FlyteFile["csv", "json"]', "FlyteFile[...] takes one format"),
    ("Annotated[StructuredDataset, kwtypes(a=set)]", "column 'a': unsupported type set"),
])
def test_bad_data_annotations_are_located_fg302(tmp_path: Path, annotation: str, message: str) -> None:
    source = f'''from typing import Annotated

from flowgen import FlyteFile, StructuredDataset, kwtypes, task


@task
def t(x: {annotation}) -> int:
    return 1
'''
    path, _ = _write(tmp_path, source)
    diagnostics = list(check_paths([str(path)], jobs=1).diagnostics)
    assert [(d.line, d.code) for d in diagnostics] == [(7, "FG302")]
    assert message in diagnostics[0].message and "input 'x' of task t" in diagnostics[0].message


def test_columns_of_same_named_classes_are_told_apart(tmp_path: Path) -> None:
    point = "from dataclasses import dataclass\n\n\n@dataclass\nclass Point:\n    x: int\n"
    (tmp_path / "geo_a.py").write_text(point)
    (tmp_path / "geo_b.py").write_text(point)
    flow = '''from typing import Annotated

from flowgen import StructuredDataset, kwtypes, task, workflow

import geo_a
import geo_b


@task
def make() -> Annotated[StructuredDataset, kwtypes(p=geo_a.Point)]:
    return StructuredDataset()


@task
def use(t: Annotated[StructuredDataset, kwtypes(p=geo_b.Point)]) -> int:
    return 1


@workflow
def wf() -> int:
    return use(t=make())
'''
    (tmp_path / "flow.py").write_text(flow)
    diagnostics = list(check_paths([str(tmp_path / "flow.py")], jobs=1).diagnostics)
    assert [(d.line, d.code) for d in diagnostics] == [(21, "FG201")]
    assert "expects StructuredDataset[p=geo_b.Point], but" in diagnostics[0].message
    assert "is StructuredDataset[p=geo_a.Point]" in diagnostics[0].message
    assert diagnostics[0].hint is not None and "p: Point" in diagnostics[0].hint


def test_the_tracer_flags_the_data_plane_corpus_lines_check_and_mypy_flag() -> None:
    """tests/mypy/corpus/data_plane.py: the lines ending in ``# flag`` (which check and the mypy
    plugin must report, tests/mypy/test_corpus.py) are the lines the tracer raises on."""
    path = Path(__file__).resolve().parent.parent / "mypy" / "corpus" / "data_plane.py"
    lines = path.read_text().splitlines()
    marked = {n for n, text in enumerate(lines, start=1) if text.rstrip().endswith("# flag")}
    spec = importlib.util.spec_from_file_location("data_plane_corpus", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    raised = set()
    workflows = [v for v in vars(module).values() if isinstance(v, Workflow)]
    assert len(workflows) >= 5
    for wf in workflows:
        try:
            wf.compile_program()
        except FlowgenError as exc:
            assert type(exc).__name__ == "WiringError", exc
            assert exc.location is not None and Path(exc.location.file).resolve() == path
            raised.add(exc.location.line)
    assert raised == marked
