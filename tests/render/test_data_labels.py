"""``flowgen graph`` labels the edges that carry files, folders and tables with the format or
the columns the producer declares, statically and traced alike."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from flowgen.cli.main import cli

CORPUS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "mypy", "corpus",
                      "data_plane.py")


@pytest.mark.parametrize("mode", [[], ["--traced"]], ids=["static", "traced"])
@pytest.mark.parametrize("fmt", ["mermaid", "dot"])
def test_edges_name_the_format_and_the_columns(fmt: str, mode: list[str]) -> None:
    if mode:
        pytest.importorskip("pandas")
    result = CliRunner().invoke(cli, ["graph", f"{CORPUS}:fine", "--format", fmt, *mode])
    assert result.exit_code == 0, result.output
    edges = [line for line in result.stdout.splitlines() if "->" in line]
    file_edges = [e for e in edges if "f: FlyteFile['csv']" in e]
    table_edges = [e for e in edges if "sd: StructuredDataset[name=str, age=int]" in e]
    assert len(file_edges) == 4  # download's csv file into four tasks
    assert len(table_edges) == 2  # people's two columns into any_table and mean_age
