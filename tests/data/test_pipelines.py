"""Files, folders and tables through every executor and generated code: same results, value semantics."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import pandas as hpd

from tests.data import programs as p
from tests.data.conftest import EXECUTORS, Executors, Runner, runner_for


def test_csv_to_frame_to_structured_dataset(run: Runner) -> None:
    assert run(p.csv_pipeline, rows=5) == sum(i * i for i in range(5))


def test_a_consumer_changing_its_copy_leaves_the_others_unchanged(run: Runner) -> None:
    assert run(p.two_consumers, text="hello") == ("helloSCRIBBLED", "hello")
    assert run(p.frame_consumers, n=4) == (6000, 6)


def test_a_dynamic_fans_out_over_a_folders_files(run: Runner) -> None:
    assert run(p.folder_fan_out, n=3) == ([0, 10, 20], 3)


def test_map_task_over_files(run: Runner) -> None:
    assert run(p.mapped_files, xs=[1, 2, 3, 4]) == [1, 4, 9, 16]


def test_files_and_frames_inside_records(run: Runner) -> None:
    assert run(p.nested, name="abc") == "ABC:6"


def test_workflow_outputs_are_frames_for_python_callers(run: Runner) -> None:
    df = pd.DataFrame({"x": [1, 2], "y": ["a", None]})
    out = run(p.frame_round_trip, df=df)
    assert isinstance(out, pd.DataFrame)
    pd.testing.assert_frame_equal(out, df)


# -- properties: bytes and frames survive every hop ---------------------------------------------------

FRAMES = hpd.data_frames(
    columns=[
        hpd.column("i", dtype="int64"),
        hpd.column("f", elements=st.floats(allow_nan=True, allow_infinity=False, width=64), dtype="float64"),
        hpd.column("s", elements=st.none() | st.text(max_size=5), dtype=object),
        hpd.column("b", dtype=bool),
    ],
    index=hpd.range_indexes(min_size=0, max_size=8),
)


@pytest.mark.parametrize("executor", EXECUTORS)
def test_file_bytes_survive_byte_for_byte(executor: str, executors: Executors) -> None:
    run = runner_for(executor, executors)

    @settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.binary(max_size=2048))
    def prop(data: bytes) -> None:
        assert run(p.bytes_round_trip, data=data) == data

    prop()


@pytest.mark.parametrize("executor", EXECUTORS)
def test_frames_survive_frame_equal(executor: str, executors: Executors) -> None:
    run = runner_for(executor, executors)

    @settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(FRAMES)
    def prop(df: pd.DataFrame) -> None:
        out = run(p.frame_round_trip, df=df)
        pd.testing.assert_frame_equal(out.reset_index(drop=True), df.reset_index(drop=True), check_dtype=False,
                                      check_column_type=False)
        assert list(out.dtypes.astype(str)[["i", "b"]]) == ["int64", "bool"]

    prop()


def test_arrow_tables_round_trip() -> None:
    t = pa.table({"a": [1, 2, None], "b": ["x", "y", "z"]})
    assert p.arrow_identity(t=t).equals(t)
