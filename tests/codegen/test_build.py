"""``flowgen build``: paths, ``--out`` with package paths, ``--check``, and stale-source refusal."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from flowgen.cli.main import cli
from flowgen.runtime.generated import StaleSourceError

from .helpers import EXAMPLES, PYTHON, load

PACKAGE_MODULE = '''
from flowgen import task, workflow


@task
def inc(x: int) -> int:
    return x + 1


@workflow
def plus_two(x: int = 1) -> int:
    return inc(x=inc(x=x))
'''


def _project(tmp: Path) -> Path:
    """src/pkg/sub/flows.py (a package two levels deep) and src/plain.py (no workflows)."""
    src = tmp / "src"
    (src / "pkg" / "sub").mkdir(parents=True)
    (src / "pkg" / "__init__.py").write_text("")
    (src / "pkg" / "sub" / "__init__.py").write_text("")
    (src / "pkg" / "sub" / "flows.py").write_text(PACKAGE_MODULE)
    (src / "plain.py").write_text("X = 1\n")
    return src


def test_build_preserves_package_paths_and_skips_files_without_workflows(tmp_path: Path) -> None:
    src = _project(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(src), "--out", str(out)])
    assert result.exit_code == 0, result.output
    generated = out / "pkg" / "sub" / "flows_flowgen.py"
    assert generated.is_file()
    assert sorted(p.name for p in out.rglob("*.py")) == ["flows_flowgen.py"]
    assert "written:" in result.output
    module = load(str(generated))
    assert module.plus_two(x=1) == 3
    assert module.plus_two() == 3
    run = subprocess.run([PYTHON, str(generated), "plus_two", "--x", "5"], capture_output=True, text=True)
    assert run.stdout == "7\n", run.stderr


def test_check_reports_missing_stale_and_up_to_date(tmp_path: Path) -> None:
    src = _project(tmp_path)
    out = tmp_path / "out"
    runner = CliRunner()
    missing = runner.invoke(cli, ["build", str(src), "--out", str(out), "--check"])
    assert missing.exit_code == 1
    assert "missing:" in missing.output
    assert not out.exists()
    assert runner.invoke(cli, ["build", str(src), "--out", str(out)]).exit_code == 0
    fresh = runner.invoke(cli, ["build", str(src), "--out", str(out), "--check"])
    assert fresh.exit_code == 0, fresh.output
    flows = src / "pkg" / "sub" / "flows.py"
    flows.write_text(PACKAGE_MODULE.replace("inc(x=inc(x=x))", "inc(x=inc(x=inc(x=x)))"))
    stale = runner.invoke(cli, ["build", str(src), "--out", str(out), "--check"])
    assert stale.exit_code == 1
    assert "stale:" in stale.output and "flows_flowgen.py" in stale.output


def test_generated_module_refuses_to_run_when_its_source_changed(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    # (a first line of its own: the tracer caches call sites by code object equality, which ignores the file)
    with open(os.path.join(EXAMPLES, "basics.py")) as f:
        (src / "basics_copy.py").write_text("# a copy of examples/basics.py\n" + f.read())
    out = tmp_path / "out"
    assert CliRunner().invoke(cli, ["build", str(src), "--out", str(out)]).exit_code == 0
    generated = out / "basics_copy_flowgen.py"
    assert load(str(generated)).basics(start=1) == 10.0
    with open(src / "basics_copy.py", "a") as f:
        f.write("\n# edited\n")
    with pytest.raises(StaleSourceError, match="is stale: its source changed since it was generated"):
        load(str(generated))
    run = subprocess.run([PYTHON, str(generated), "basics", "--start", "1"], capture_output=True, text=True)
    assert run.returncode == 1
    assert "is stale" in run.stderr and "flowgen build" in run.stderr
    assert "Traceback" not in run.stderr


def test_build_reports_a_broken_source_without_a_flowgen_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from flowgen import workflow\n\n@workflow\ndef wf(x: set[int]) -> int:\n    return x\n")
    result = subprocess.run([PYTHON, "-m", "flowgen", "build", str(bad), "--out", str(tmp_path / "out")],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "error:" in result.stderr
    assert "internal error" not in result.stderr


def test_build_does_not_import_the_source(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    marker = tmp_path / "imported.txt"
    (src / "sneaky.py").write_text(
        f"open({str(marker)!r}, 'w').write('imported')\n" + PACKAGE_MODULE
    )
    result = CliRunner().invoke(cli, ["build", str(src), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "sneaky_flowgen.py").is_file()
    assert not marker.exists()
