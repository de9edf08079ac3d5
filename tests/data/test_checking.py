"""Files, folders and tables checked before they run: `flowgen check` and the tracer agree, and the
static IR of the data programs equals the traced IR."""

from __future__ import annotations

import json
import os
import textwrap
from typing import Any

import pytest

from flowgen.errors import WiringError
from flowgen.static import compile_file
from tests.data.conftest import traced_programs

HERE = os.path.dirname(os.path.abspath(__file__))


def _without_sites(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _without_sites(v) for k, v in data.items() if k not in ("call_site", "source")}
    if isinstance(data, list):
        return [_without_sites(x) for x in data]
    return data


def test_static_ir_equals_traced_ir_for_the_data_programs() -> None:
    path = os.path.join(HERE, "programs.py")
    static = {p.entry: p for p in compile_file(path).programs.values()}
    traced = {p.entry: p for p in traced_programs(path)}
    assert static and set(static) == set(traced)
    for name, program in static.items():
        assert _without_sites(json.loads(program.model_dump_json())) == \
            _without_sites(json.loads(traced[name].model_dump_json())), name


def test_check_accepts_the_data_programs_and_the_gallery_ones() -> None:
    from flowgen.static import check_paths

    paths = [os.path.join(HERE, "programs.py")]
    gallery = os.path.join(os.path.dirname(HERE), "core", "flyte_programs")
    paths += [os.path.join(gallery, f) for f in ("files_and_folders.py", "dataframes.py")]
    for path in paths[1:]:
        assert "from flytekit import" in open(path).read()
    errors = [d for d in check_paths(paths[:1]).diagnostics if d.severity == "error"]
    assert errors == []


MISMATCHES = '''
import typing
from typing import Annotated

import pandas as pd

from flowgen import FlyteDirectory, FlyteFile, StructuredDataset, kwtypes, task, workflow

CSV = FlyteFile[typing.TypeVar("csv")]


@task
def make() -> CSV:
    return "x.csv"


@task
def use(f: FlyteFile["parquet"]) -> int:
    return 1


@task
def any_file(f: FlyteFile) -> int:
    return 1


@task
def table() -> Annotated[StructuredDataset, kwtypes(a=int)]:
    return StructuredDataset(dataframe=pd.DataFrame({"a": [1]}))


@task
def needs(sd: Annotated[StructuredDataset, kwtypes(a=int, b=str)]) -> int:
    return 1


@task
def frame() -> pd.DataFrame:
    return pd.DataFrame()


@task
def folder(d: FlyteDirectory) -> int:
    return 1


@workflow
def formats() -> int:
    return use(f=make())


@workflow
def columns() -> int:
    return needs(sd=table())


@workflow
def untyped_fits() -> tuple[int, int, int]:
    return any_file(f=make()), needs(sd=frame()), use(f=FlyteFile("s3://bucket/y.parquet"))


@workflow
def file_into_folder() -> int:
    return folder(d=make())
'''


@pytest.fixture
def mismatches(tmp_path: Any) -> str:
    path = tmp_path / "mismatches.py"
    path.write_text(textwrap.dedent(MISMATCHES))
    return str(path)


def test_check_reports_format_and_column_mismatches_naming_both_sides(mismatches: str) -> None:
    from flowgen.static import check_paths

    found = sorted((d.line, d.code, d.message) for d in check_paths([mismatches]).diagnostics if d.severity == "error")
    lines = [(line, code) for line, code, _ in found]
    assert lines == [(49, "FG201"), (54, "FG201"), (64, "FG201")], found
    formats, columns, folder = (m for _, _, m in found)
    assert "FlyteFile['parquet']" in formats and "FlyteFile['csv']" in formats
    assert "StructuredDataset[a=int, b=str]" in columns and "StructuredDataset[a=int]" in columns
    assert "FlyteDirectory" in folder and "FlyteFile['csv']" in folder


def test_the_tracer_reports_the_same_mismatches(mismatches: str) -> None:
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("mismatches", mismatches)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["mismatches"] = module
    spec.loader.exec_module(module)
    for name, line, words in [("formats", 49, "FlyteFile['csv']"), ("columns", 54, "b: str"),
                              ("file_into_folder", 64, "FlyteDirectory")]:
        with pytest.raises(WiringError, match=f"mismatches.py:{line}:") as info:
            getattr(module, name).compile_program()
        assert words in str(info.value) + str(info.value.hint or "")
    module.untyped_fits.compile_program()
