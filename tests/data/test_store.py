"""The raw-data store: a real S3-compatible server (moto) on localhost and a local prefix, the same
test on both; worker processes and Dask workers exchange files only through it; a killed Dask worker
loses nothing; a remote cluster with a local store is refused before any task runs."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from distributed import LocalCluster

import flowgen
from flowgen.data import store
from flowgen.errors import FlowgenError
from flowgen.runtime.executors import make_executor
from tests.data import programs as p
from tests.executors.test_dask import KillOneWorker

S3_OPTIONS_ENV = "FSSPEC_S3"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def s3_prefix() -> Iterator[str]:
    """A moto S3 server on localhost with a bucket; fsspec (here and in workers) points at it."""
    import fsspec.config
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    options = {"endpoint_url": f"http://127.0.0.1:{port}", "key": "testing", "secret": "testing"}
    saved = {k: os.environ.get(k) for k in (S3_OPTIONS_ENV, "AWS_DEFAULT_REGION")}
    os.environ[S3_OPTIONS_ENV] = json.dumps(options)  # worker processes started from here read it
    os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
    fsspec.config.conf["s3"] = dict(options)
    import s3fs

    fs = s3fs.S3FileSystem(**options)
    fs.mkdir("flowgen-test")
    try:
        yield "s3://flowgen-test/raw"
    finally:
        fsspec.config.conf.pop("s3", None)
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        server.stop()


@pytest.fixture(params=["local", "s3"])
def prefix(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "s3":
        return str(request.getfixturevalue("s3_prefix"))
    return str(tmp_path_factory.mktemp("raw"))


def _listing(prefix: str) -> list[str]:
    fs, root = store.filesystem(prefix)
    return [f for f in fs.find(root)]


@pytest.mark.parametrize("executor", ["inprocess", "processes", "dask"])
def test_pipelines_store_their_bytes_under_the_prefix(prefix: str, executor: str) -> None:
    with make_executor(executor, max_parallelism=2) as ex:
        assert flowgen.run(p.csv_pipeline, executor=ex, raw_data_prefix=prefix, rows=4) == 14
        assert flowgen.run(p.folder_fan_out, executor=ex, raw_data_prefix=prefix, n=3) == ([0, 10, 20], 3)
        assert flowgen.run(p.two_consumers, executor=ex, raw_data_prefix=prefix, text="hi") == ("hiSCRIBBLED", "hi")
    stored = _listing(prefix)
    assert any(f.endswith("numbers.csv") for f in stored)
    assert any(f.endswith("table.parquet") for f in stored)
    assert any("part-2.txt" in f for f in stored)


def test_the_cli_takes_a_raw_data_prefix(s3_prefix: str, tmp_path: Any) -> None:
    from click.testing import CliRunner

    from flowgen.cli.main import cli

    source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "programs.py")
    prefix = s3_prefix + "/cli"
    result = CliRunner().invoke(cli, ["run", f"{source}:csv_pipeline", "--rows", "3", "--no-progress",
                                      "--raw-data-prefix", prefix])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("5")
    assert any(f.endswith("table.parquet") for f in _listing(prefix))


def test_the_environment_variable_chooses_the_store(tmp_path: Any) -> None:
    import subprocess
    import sys

    source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "programs.py")
    env = dict(os.environ, FLOWGEN_RAW_DATA_PREFIX=str(tmp_path / "raw"))
    done = subprocess.run([sys.executable, "-m", "flowgen", "run", f"{source}:csv_pipeline", "--rows", "2",
                           "--no-progress"], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert any(f.endswith("numbers.csv") for f in _listing(str(tmp_path / "raw")))


def test_a_killed_dask_worker_loses_no_file(tmp_path: Any) -> None:
    with make_executor("dask", max_parallelism=2) as ex:
        killer = KillOneWorker(ex, after=20)
        out = flowgen.run(p.file_chains, executor=ex, observer=killer, raw_data_prefix=str(tmp_path / "raw"))
        assert out == [f"go-{c}\n" + "".join(f"{c}.{s}\n" for s in range(12)) for c in range(4)]
        assert killer.killed is not None


def test_a_remote_cluster_with_a_local_store_is_refused_before_any_task_runs(tmp_path: Any) -> None:
    marker = tmp_path / "calls.txt"
    os.environ["FLOWGEN_TEST_CALLS"] = str(marker)
    with LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=":0", processes=False) as cluster, \
            pytest.raises(FlowgenError) as info:
        flowgen.run(p.cached_lines, executor="dask", dask_address=cluster.scheduler_address,
                    raw_data_prefix=str(tmp_path / "raw"), text="a")
    text = str(info.value)
    assert cluster.scheduler_address in text and str(tmp_path / "raw") in text
    assert "--raw-data-prefix" in (info.value.hint or "")
    assert not marker.exists()


def test_a_cluster_reached_by_address_exchanges_files_through_s3(s3_prefix: str) -> None:
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0", processes=True) as cluster:
        out = flowgen.run(p.folder_fan_out, executor="dask", dask_address=cluster.scheduler_address,
                          raw_data_prefix=s3_prefix + "/cluster", n=3)
    assert out == ([0, 10, 20], 3)
    assert any("part-2.txt" in f for f in _listing(s3_prefix + "/cluster"))
