"""Progress counting, the summary, the bar on a (fake) terminal, and Ctrl-C from the command line."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from typing import Any

from rich.console import Console

from flowgen.runtime.api import run
from flowgen.runtime.progress import ObserverGroup, RunProgress, count_nodes
from tests.conftest import ROOT
from tests.executors import workflows as w


def test_counts_and_summary_on_threads() -> None:
    progress = RunProgress(count_nodes(w.two_hundred.compile_program()))
    with progress:
        assert run(w.two_hundred, executor="threads", observer=progress, n=8, width=2) == 1 + 8
    assert progress.total == 1 + 9  # the dynamic, then its 8 steps and the sum once it expanded
    assert (progress.done, progress.running, progress.failed, progress.cached) == (10, 0, 0, 0)
    text = progress.summary(executor="threads")
    assert text.startswith("flowgen done on threads: 10 node(s) run, 0 cached, 0 failed in ")
    assert "slowest: " in text and " step " in text


def test_bar_is_drawn_on_a_terminal_once_the_run_is_long_enough() -> None:
    out = io.StringIO()
    progress = RunProgress(3, show_bar=True, delay=0.0, console=Console(file=out, force_terminal=True, width=100))
    with progress:
        deadline = time.monotonic() + 10
        while not progress.shown and time.monotonic() < deadline:
            time.sleep(0.01)
        progress.node_started("n0", None)
        progress.node_finished("n0", None, "succeeded", 0.1)
    assert progress.shown and "1/3" in out.getvalue()
    quiet = RunProgress(3, show_bar=True, delay=60.0, console=Console(file=io.StringIO(), force_terminal=True))
    with quiet:
        pass
    assert not quiet.shown  # runs shorter than the delay draw nothing


def test_observer_group_forwards_every_event() -> None:
    a, b = RunProgress(), RunProgress()
    group = ObserverGroup(a, None, b)
    group.nodes_added("n0", 2)
    group.node_started("n0.n0", None)
    group.node_finished("n0.n0", None, "cached", 0.0, cached=True)
    assert (a.total, a.done, a.cached) == (b.total, b.done, b.cached) == (2, 1, 1)


def test_ctrl_c_cancels_keeps_finished_work_and_exits_130(tmp_path: Any) -> None:
    marker = tmp_path / "first-ran"
    env = {**os.environ, "FLOWGEN_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "flowgen", "run", "tests/executors/workflows.py:interruptible",
               "--marker", str(marker), "--executor", "threads"]
    lingering = tmp_path / "first-ran.linger"  # the long task writes a line when it starts

    def interrupt_once_lingering(proc: subprocess.Popen[str], starts: int) -> None:
        # Interrupt only once the run is under way (its handler installed, the first task done and
        # cached), however slowly a loaded machine starts Python: no fixed sleep.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None and (
                not lingering.exists() or len(lingering.read_text().splitlines()) < starts):
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)

    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    interrupt_once_lingering(proc, 1)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert out == ""
    assert "interrupted on threads: 1 node(s) run, 0 cached, 0 failed, 1 cancelled in " in err
    assert "Traceback" not in err
    # What finished stays finished: a second run is served the first task from the cache.
    second = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    interrupt_once_lingering(second, 2)
    _, err = second.communicate(timeout=60)
    assert second.returncode == 130
    assert marker.read_text() == "ran\n"
    assert "1 cached" in err
