"""The plugin in mypy's incremental mode and in the daemon (dmypy), across an edit.

Two modules: ``tasks_mod`` defines a task, ``flow_mod`` wires it in a workflow. After
``tasks_mod`` changes the task's input type, only ``flow_mod``'s wiring is wrong, which
must be found from the cache (incremental) and by the daemon (fine-grained).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.mypy.harness import CONFIG

TASKS = '''from flowgen import task


@task
def double(x: {type}) -> int:
    return 2
'''

FLOW = '''from flowgen import workflow

from tasks_mod import double


@workflow
def flow(x: int) -> int:
    y = double(x=x)
    reveal_type(y)
    return double(x=y)
'''

INPUT_ERROR = 'flow_mod.py:8: error: Input "x" of "double" expects "{}", but gets "Promise[int]"  [flowgen-wiring]'
WIRING_ERROR = 'flow_mod.py:10: error: Input "x" of "double" expects "{}", but gets "Promise[int]"  [flowgen-wiring]'
REVEAL = 'flow_mod.py:9: note: Revealed type is "flowgen.tracing.promise.Promise[int]"'


def _write(project: Path, task_type: str) -> None:
    for name, text in (("tasks_mod.py", TASKS.format(type=task_type)), ("flow_mod.py", FLOW)):
        path = project / name
        before = path.stat().st_mtime if path.exists() else None
        path.write_text(text)
        if before is not None:
            # mypy trusts size + whole-second mtime: an edit within the same second that keeps
            # the size ("int" -> "str") would look unchanged. Make the edit visibly later.
            os.utime(path, (before + 2, before + 2))


def _mypy(project: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(CONFIG), "--cache-dir", str(project / ".cache"),
         "--no-error-summary", *args, "tasks_mod.py", "flow_mod.py"],
        cwd=project, capture_output=True, text=True, timeout=600,
    )
    assert not done.stderr.strip(), done.stderr
    return done.stdout


def test_incremental_mode_across_an_edit(tmp_path: Path) -> None:
    _write(tmp_path, "int")
    assert _mypy(tmp_path).splitlines() == [REVEAL]
    assert _mypy(tmp_path).splitlines() == [REVEAL]  # from the cache
    _write(tmp_path, "str")
    expected = [INPUT_ERROR.format("str"), REVEAL, WIRING_ERROR.format("str")]
    assert _mypy(tmp_path).splitlines() == expected  # flow_mod rechecked though unchanged


def test_incremental_mode_edit_back_and_forth(tmp_path: Path) -> None:
    """Unchanged workflow modules come from the cache; rechecked ones still see Promises."""
    _write(tmp_path, "int")
    assert _mypy(tmp_path).splitlines() == [REVEAL]
    for task_type in ("str", "int", "str | None"):
        _write(tmp_path, task_type)
        expected = [INPUT_ERROR.format(task_type), REVEAL, WIRING_ERROR.format(task_type)]
        assert _mypy(tmp_path).splitlines() == (expected if task_type != "int" else [REVEAL])
        assert _mypy(tmp_path).splitlines() == (expected if task_type != "int" else [REVEAL])


def test_daemon_across_an_edit(tmp_path: Path) -> None:
    _daemon_across_an_edit(tmp_path, warm_cache=False)


def test_daemon_started_over_a_warm_cache(tmp_path: Path) -> None:
    """The daemon's first build reuses the cache of a mypy run, then reparses on an edit."""
    _daemon_across_an_edit(tmp_path, warm_cache=True)


def _daemon_across_an_edit(tmp_path: Path, *, warm_cache: bool) -> None:
    _write(tmp_path, "int")
    if warm_cache:
        assert _mypy(tmp_path).splitlines() == [REVEAL]
    status = tmp_path / "dmypy.json"
    dmypy = [sys.executable, "-m", "mypy.dmypy", "--status-file", str(status)]

    def run(*args: str) -> str:
        done = subprocess.run([*dmypy, *args], cwd=tmp_path, capture_output=True, text=True, timeout=600)
        return "\n".join(line for line in done.stdout.splitlines() if not line.startswith("Daemon "))

    try:
        first = run("run", "--", "--config-file", str(CONFIG), "--cache-dir", str(tmp_path / ".cache"),
                    "--no-error-summary", "tasks_mod.py", "flow_mod.py")
        assert first.splitlines() == [REVEAL], first
        _write(tmp_path, "str")
        _write(tmp_path, "str | None")  # a new length: seen even within one timestamp tick
        second = run("check", "tasks_mod.py", "flow_mod.py")
        expected = [INPUT_ERROR.format("str | None"), REVEAL, WIRING_ERROR.format("str | None")]
        assert second.splitlines() == expected, second
        _write(tmp_path, "int")
        third = run("check", "tasks_mod.py", "flow_mod.py")
        assert third.splitlines() == [REVEAL], third
    finally:
        run("stop")
