"""Strategies for files, folders and tables: valid inputs, declared columns honoured, failures shrunk and reproduced."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from typing import Annotated

import pandas as pd
import pyarrow as pa
import pytest
from annotated_types import Ge, Le
from hypothesis import given, settings

from flowgen import FlyteDirectory, FlyteFile, StructuredDataset, kwtypes
from flowgen.ir.annotations import type_spec
from flowgen.ir.types import DirectoryType, FileType, TableType
from flowgen.ir.values import checker
from flowgen.testing import NoStrategy, WorkflowCheckFailure, check_workflow, inputs, strategy_for
from flowgen.testing.data_strategies import data_dir
from tests.testing.programs import data_flows

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SPECS = [
    FileType(),
    FileType(format="csv"),
    DirectoryType(),
    DirectoryType(format="txt"),
    type_spec(Annotated[StructuredDataset, kwtypes(name=str, score=int, ok=bool, w=float)]),
    type_spec(StructuredDataset),
    type_spec(pd.DataFrame),
    type_spec(pa.Table),
]


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("FLOWGEN_CACHE_DIR", str(tmp_path / "cache"))


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.kind + ":" + getattr(s, "format", ""))
def test_drawn_values_pass_the_node_boundary(spec):
    check = checker(spec)

    @settings(max_examples=25, deadline=None)
    @given(strategy_for(spec))
    def valid(value):
        check(value)

    valid()


def test_files_and_folders_are_written_once_under_the_cache_dir():
    @settings(max_examples=20, deadline=None)
    @given(strategy_for(FlyteFile), strategy_for(DirectoryType(format="txt")))
    def where(f, d):
        assert isinstance(f, FlyteFile) and isinstance(d, FlyteDirectory)
        assert f.path.startswith(data_dir()) and os.path.isfile(f.path)
        assert d.path.startswith(data_dir()) and os.path.isdir(d.path)
        assert all(name.endswith(".txt") for name in os.listdir(d.path))
        with open(f.path, "rb") as src:
            data = src.read()
        assert len(data) <= 256 and os.path.basename(f.path) == __import__("hashlib").sha256(data).hexdigest()[:24]

    where()


def test_declared_columns_and_their_bounds_are_honoured():
    spec = type_spec(Annotated[StructuredDataset, kwtypes(name=str, score=Annotated[int, Ge(0), Le(100)])])

    @settings(max_examples=30, deadline=None)
    @given(strategy_for(spec))
    def columns(sd):
        df = sd.dataframe
        assert list(df.columns) == ["name", "score"] and len(df) <= 8
        assert df["score"].between(0, 100).all() and df["score"].dtype == "int64"
        assert all(isinstance(v, str) for v in df["name"])

    columns()


@pytest.mark.parametrize(("annotation", "cls"), [(pd.DataFrame, pd.DataFrame), (pa.Table, pa.Table),
                                                  (StructuredDataset, StructuredDataset)])
def test_each_flavor_is_handed_over_as_declared(annotation, cls):
    @settings(max_examples=10, deadline=None)
    @given(strategy_for(annotation))
    def flavored(value):
        assert isinstance(value, cls)

    flavored()


def test_a_column_type_that_parquet_cannot_hold_is_named():
    spec = TableType(flavor="structured", columns=type_spec(Annotated[StructuredDataset, kwtypes(
        when=list[int])]).columns)
    with pytest.raises(NoStrategy, match="table column 'when' of type list\\[int\\]"):
        strategy_for(spec)


@pytest.mark.parametrize("wf", [data_flows.files, data_flows.folder, data_flows.tables], ids=lambda w: w.name)
def test_data_workflows_are_checked_not_skipped(wf):
    result = check_workflow(wf, max_examples=15, seed=0, database=None)
    assert result.examples == 15 and result.runs == ["interpreter", "generated"]


def test_a_file_bug_is_shrunk_and_its_reproducer_reproduces_it(tmp_path):
    with pytest.raises(WorkflowCheckFailure) as caught:
        check_workflow(data_flows.short_files_only, max_examples=100, seed=0, database=None, generated=False)
    failure = caught.value
    shrunk = failure.inputs["f"]
    with open(shrunk.path, "rb") as src:
        assert src.read() == b"\0" * 4  # the smallest file that is too long
    assert "ValueError: 4 bytes is too long" in str(failure)
    assert failure.command.startswith("flowgen run tests/testing/programs/data_flows.py:short_files_only --f ")
    args = shlex.split(failure.command)[2:]
    env = {**os.environ, "FLOWGEN_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-m", "flowgen", "run", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 1 and "4 bytes is too long" in done.stderr, done.stdout + done.stderr


def test_inputs_draws_whole_input_dicts_of_data():
    @settings(max_examples=10, deadline=None)
    @given(inputs(data_flows.tables))
    def drawn(values):
        assert set(values) == {"sd", "df", "t"}
        assert isinstance(values["df"], pd.DataFrame) and isinstance(values["t"], pa.Table)

    drawn()
