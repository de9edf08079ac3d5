"""``flowgen check a/x.py b/x.py``: files sharing a module name are each checked as Python runs them (issue 13).

Both files are named ``x`` and each imports its own ``tasks`` module from its own
directory; one project would let one ``x`` (and one ``tasks``) shadow the other, so a
mistake in the shadowed file went unreported. Each must be checked against its own
neighbours.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from flowgen.cli.main import cli
from flowgen.static import check_paths

TASKS = '''from flowgen import task


@task
def step(x: {type}) -> {type}:
    return x
'''

FLOW = '''from flowgen import workflow

from tasks import step


@workflow
def wf(x: {type}) -> {out}:
    return step(x=x)
'''


def _tree(root: Path) -> None:
    for folder, task_type, flow_type in (("a", "int", "int"), ("b", "str", "int"), ("c", "str", "str")):
        (root / folder).mkdir()
        (root / folder / "tasks.py").write_text(TASKS.format(type=task_type))
        (root / folder / "x.py").write_text(FLOW.format(type=flow_type, out=task_type))


def test_files_with_one_module_name_are_each_checked_with_their_own_imports(tmp_path: Path) -> None:
    _tree(tmp_path)
    paths = [str(tmp_path / d / "x.py") for d in ("a", "b", "c")]
    found = check_paths(paths, jobs=1).diagnostics
    assert [(Path(d.path).relative_to(tmp_path).as_posix(), d.code, d.line) for d in found] == [("b/x.py", "FG201", 8)]
    assert "expects str, but workflow input 'x' is int" in found[0].message
    # whole trees too, in either order
    for order in (["a", "b", "c"], ["c", "b", "a"]):
        found = check_paths([str(tmp_path / d) for d in order], jobs=1).diagnostics
        assert [(Path(d.path).relative_to(tmp_path).as_posix(), d.code) for d in found] == [("b/x.py", "FG201")]


def test_the_cli_reports_each_file_and_no_internal_error(tmp_path: Path, monkeypatch) -> None:
    _tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", "a/x.py", "b/x.py", "c/x.py"])
    assert result.exit_code == 1, result.output
    assert "b/x.py:8:" in result.output and "FG000" not in result.output
    assert "a/x.py" not in result.output and "c/x.py" not in result.output
