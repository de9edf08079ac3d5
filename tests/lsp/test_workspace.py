"""flowgen.static.Workspace, the editor entry point of ``flowgen check``: same diagnostics,
unsaved text, and a re-check parses only the edited file."""

from __future__ import annotations

import os
from pathlib import Path

from flowgen.static import Workspace, check_paths

TASK = """from flowgen import task


@task
def step_{i}(x: {type}) -> int:
    return 1
"""

FLOW = """from flowgen import workflow

{imports}


@workflow
def wf(x: int) -> int:
{calls}    return x
"""


def _project(root: Path, modules: int) -> Path:
    for i in range(modules):
        (root / f"mod_{i}.py").write_text(TASK.format(i=i, type="int"))
    imports = "\n".join(f"from mod_{i} import step_{i}" for i in range(modules))
    calls = "".join(f"    x = step_{i}(x=x)\n" for i in range(modules))
    flow = root / "flow.py"
    flow.write_text(FLOW.format(imports=imports, calls=calls))
    return flow


def test_same_diagnostics_as_check_paths_and_only_the_edited_file_is_parsed_again(tmp_path: Path) -> None:
    flow = _project(tmp_path, 20)
    bad = tmp_path / "mod_3.py"
    bad.write_text(TASK.format(i=3, type="str"))
    workspace = Workspace()
    first = workspace.check(str(flow))
    assert [d.code for d in first.diagnostics] == ["FG201"]
    assert first.diagnostics == check_paths([str(flow)]).diagnostics
    parsed = workspace.parses
    assert parsed == 21  # the file and the 20 modules it imports

    edited = flow.read_text().replace("x = step_5(x=x)", "x = step_5(x=x) + 1")
    again = workspace.check(str(flow), edited)  # unsaved text
    assert workspace.parses == parsed + 1
    assert sorted(d.code for d in again.diagnostics) == ["FG105", "FG201"]
    flow.write_text(edited)
    assert again.diagnostics == check_paths([str(flow)]).diagnostics


def test_a_module_changed_on_disk_is_read_again(tmp_path: Path) -> None:
    flow = _project(tmp_path, 3)
    workspace = Workspace()
    assert workspace.check(str(flow)).diagnostics == []
    changed = tmp_path / "mod_1.py"
    before = changed.stat().st_mtime_ns
    changed.write_text(TASK.format(i=1, type="str"))
    os.utime(changed, ns=(before + 2_000_000_000, before + 2_000_000_000))
    assert [d.code for d in workspace.check(str(flow)).diagnostics] == ["FG201"]
    changed.write_text(TASK.format(i=1, type="int"))
    workspace.forget(str(changed))  # an editor's didChangeWatchedFiles
    assert workspace.check(str(flow)).diagnostics == []


def test_unparsable_text_is_a_located_diagnostic(tmp_path: Path) -> None:
    flow = _project(tmp_path, 1)
    workspace = Workspace()
    result = workspace.check(str(flow), "def broken(:\n")
    assert [(d.code, d.line) for d in result.diagnostics] == [("FG001", 1)]
    flow.write_text("def broken(:\n")
    assert result.diagnostics == check_paths([str(flow)]).diagnostics
