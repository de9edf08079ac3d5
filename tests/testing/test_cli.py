"""flowgen test: one line per workflow, exit 1 with the reproducer on a failure, the example database."""

import json
import os

import pytest
from click.testing import CliRunner

from flowgen.cli.main import cli

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHAPES = "tests/testing/programs/shapes.py"


@pytest.fixture
def run(monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("FLOWGEN_CACHE_DIR", str(tmp_path / "cache"))

    def invoke(*args):
        return CliRunner().invoke(cli, ["test", *args])

    return invoke


def test_flowgen_test_finds_the_bug_shrinks_it_and_prints_the_reproducer(run, tmp_path):
    result = run(f"{SHAPES}:buggy", "--max-examples", "300")
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(f"FAIL  {SHAPES}:buggy")
    assert "inputs: x=52" in result.output
    assert f"reproduce: flowgen run {SHAPES}:buggy --x 52" in result.output
    assert lines[-1] == "1 workflow(s): 1 failed"
    # the failure is stored in flowgen's cache directory and replayed first next time
    database = tmp_path / "cache" / "hypothesis"
    assert database.is_dir() and any(database.rglob("*"))
    again = run(f"{SHAPES}:buggy", "--max-examples", "1")
    assert again.exit_code == 1 and "inputs: x=52" in again.output


def test_flowgen_test_passes_correct_workflows(run):
    result = run(f"{SHAPES}:add_two", "--max-examples", "10", "--seed", "3", "--executor", "threads")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith(f"ok    {SHAPES}:add_two  10 examples")


def test_flowgen_test_a_file_runs_every_workflow_in_it(run):
    result = run(SHAPES, "--max-examples", "5", "--no-generated", "--format", "json")
    assert result.exit_code == 1, result.output
    data = json.loads(result.output)
    by_target = {r["target"].rpartition("::")[2]: r for r in data["results"]}
    assert set(by_target) == {"add_two", "bad_output", "branching", "buggy", "constrained", "records", "refusing"}
    assert by_target["add_two"]["status"] == "ok" and by_target["add_two"]["runs"] == ["interpreter"]
    assert by_target["bad_output"]["status"] == "failed"
    assert by_target["bad_output"]["command"] == f"flowgen run {SHAPES}:bad_output --x 0"
    assert data["passed"] is False


def test_a_file_that_cannot_be_imported_is_an_error_line_not_a_traceback(run, tmp_path):
    broken = tmp_path / "broken.py"
    broken.write_text("import flowgen\nraise RuntimeError('no luck')\n")
    result = run(str(broken))
    assert result.exit_code == 1
    assert "ERROR" in result.output and "RuntimeError: no luck" in result.output
    assert "Traceback" not in result.output


def test_bad_targets_are_usage_errors(run):
    assert run("no/such/dir").exit_code == 2
    result = run(f"{SHAPES}:nope")
    assert result.exit_code == 2 and "has no workflow named 'nope'" in result.output


def test_a_workflow_whose_inputs_cannot_be_drawn_is_skipped_with_the_reason(run, tmp_path):
    source = tmp_path / "opaque.py"
    source.write_text("from flowgen import task, workflow\n\n\nclass Thing:\n    pass\n\n\n@task\n"
                      "def t(x: Thing) -> int:\n    return 1\n\n\n@workflow\ndef wf(x: Thing) -> int:\n"
                      "    return t(x=x)\n")
    result = run(str(source))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("skip")
    assert "input 'x'" in result.output and "no strategy for values of class Thing" in result.output
