"""Timeouts stop the attempt, on every executor and in generated code.

A task that writes a marker file every 20 ms and never returns, with ``timeout=0.6`` and one
retry: the run fails with TaskTimeoutError after two attempts; the attempts never overlap
(every marker of the first is older than every marker of the second); and once the run has
returned, no marker appears any more (the attempts' processes are dead, not abandoned).
A task with a timeout whose process dies ends in a TaskError saying how.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from flowgen import TaskError, TaskTimeoutError
from tests.conformance import stopping as s


def markers(folder: Path) -> dict[str, list[float]]:
    """Marker times by the pid that wrote them (one pid per attempt)."""
    by_pid: dict[str, list[float]] = {}
    for path in folder.iterdir():
        pid, _, _ = path.name.partition("-")
        text = path.read_text()
        if text:  # a file opened but not yet written when the attempt was killed
            by_pid.setdefault(pid, []).append(float(text))
    return by_pid


def test_a_timed_out_attempt_writes_nothing_after_its_timeout(run: Any, tmp_path: Path) -> None:
    started = time.monotonic()
    with pytest.raises(TaskTimeoutError, match=r"timed out after 0\.6 s \(its timeout\) \(2 attempts\)") as info:
        run(s.scribbler, folder=str(tmp_path))
    assert time.monotonic() - started < 10
    assert info.value.attempts == 2 and info.value.node == "n0"
    returned = sorted(os.listdir(tmp_path))
    time.sleep(0.5)
    assert sorted(os.listdir(tmp_path)) == returned, "an attempt kept writing after the run returned"
    attempts = sorted(markers(tmp_path).values(), key=min)
    assert len(attempts) == 2 and all(attempts), attempts
    assert max(attempts[0]) < min(attempts[1]), "the retry started before the first attempt was stopped"


@pytest.mark.parametrize("how, says", [("exit", "exited with code 3"), ("sigkill", r"was killed by SIGKILL \(9\)")])
def test_a_task_whose_process_dies_fails_with_how(run: Any, tmp_path: Path, how: str, says: str) -> None:
    with pytest.raises(TaskError, match=says) as info:
        run(s.dies_after_first, folder=str(tmp_path), how=how)
    assert info.value.node == "n1" and info.value.task == s.exits.name
    assert (tmp_path / "first-1").read_text() == "done"
