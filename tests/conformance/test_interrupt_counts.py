"""Ctrl-C off a terminal still counts what finished (issue 15: the summary after Ctrl-C).

``flowgen run`` with stderr not a terminal and no ``--report`` attaches no observer: the
in-process interpreter keeps its observer-free fast path and Dask the driver's few-callbacks
mode. After Ctrl-C the run must still print the counted summary, in the same words as on a
terminal, with the true counts. The workflow (``counted_workflows.counted``) runs every kind
of node one after the other and halts at the step ``--stop`` names; the test waits for that
step's file (no sleeping on a guess) and sends SIGINT to the run's process group, as a
terminal's Ctrl-C does. The expected counts follow from the workflow's shape, and the files
the finished task steps wrote say the same: the summary counts exactly those, plus the
finished structural nodes (sub-workflow, @dynamic, map) and the cached task.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

WORKFLOW = "tests/conformance/counted_workflows.py:counted"
LAST = 999


def _interrupt(executor: str, stop: int, n: int, folder: Path, cache: Path, terminal: Any = None
               ) -> tuple[int, str, str]:
    """Run ``counted`` halting at step ``stop``, press Ctrl-C once it halted; (exit code, stdout, stderr).
    With ``terminal`` (test_interrupt.Terminal), stderr is that pseudo-terminal instead of a pipe."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    env = {**os.environ, "FLOWGEN_CACHE_DIR": str(cache), "COLUMNS": "200"}
    proc = subprocess.Popen([sys.executable, "-m", "flowgen", "run", WORKFLOW, "--n", str(n), "--folder", str(folder),
                             "--stop", str(stop), "--executor", executor, "--max-parallelism", "2"],
                            cwd=ROOT, env={**env, "TERM": "xterm"} if terminal else env, stdout=subprocess.PIPE,
                            stderr=terminal.slave if terminal else subprocess.PIPE, text=True, start_new_session=True)
    if terminal is not None:
        terminal.start()
    try:
        halted = folder / f"halted-{stop}"
        deadline = time.monotonic() + 240
        while not halted.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        if not halted.exists():
            out, err = proc.communicate(timeout=60) if proc.poll() is not None else ("", "")
            pytest.fail(f"the run never reached step {stop} (exit {proc.poll()}):\n{out}\n{err}")
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C on a terminal does
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return proc.returncode, out, err or ""


def _expected(stop: int, n: int, cached: bool) -> tuple[int, int, int, int, set[int]]:
    """(nodes finished, of which map items, cached, cancelled, the task steps finished) when the run
    halts at ``stop``: the nodes in running order are cached_start, part (steps 1, 2), chain
    (steps 100..), spread, the map (items 200..), last (LAST)."""
    steps: set[int] = set()
    done = 1  # cached_start
    if stop in (1, 2):
        return done + stop - 1, 0, int(cached), 2, set(range(1, stop))
    done += 3  # part and its two steps
    steps |= {1, 2}
    if 100 <= stop < 100 + n:
        k = stop - 100
        return done + k, 0, int(cached), 2, steps | set(range(100, stop))
    done += 1 + n + 1  # chain, its steps, spread
    steps |= set(range(100, 100 + n))
    if 200 <= stop < 200 + n:
        k = stop - 200
        return done + k, k, int(cached), 2, steps | set(range(200, stop))
    assert stop == LAST
    done += 1 + n  # the map and its items
    return done, n, int(cached), 1, steps | set(range(200, 200 + n))


def _summary(executor: str, stop: int, n: int, cached: bool) -> str:
    done, items, hits, cancelled, _ = _expected(stop, n, cached)
    incl = rf" \(incl\. {items} map item\(s\)\)" if items else ""
    return (rf"counted interrupted on {executor}: {done - hits} node\(s\) run{incl}, {hits} cached, 0 failed, "
            rf"{cancelled} cancelled in \d+\.\d\d s")


@pytest.fixture(scope="module")
def warm_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache holding ``cached_start(n=3)``: runs with ``--n 3`` are served it, runs with ``--n 2`` are not."""
    cache = tmp_path_factory.mktemp("cache")
    folder = tmp_path_factory.mktemp("warm")
    subprocess.run([sys.executable, "-m", "flowgen", "run", WORKFLOW, "--n", "3", "--folder", str(folder),
                    "--stop", "0"], cwd=ROOT, env={**os.environ, "FLOWGEN_CACHE_DIR": str(cache)}, check=True,
                   capture_output=True, timeout=300)
    return cache


# (stop, n): in the sub-workflow, among the @dynamic's children (fused into one call on Dask), among
# the map's items, at the last node; n=3 is served cached_start from the cache, n=2 runs it.
CASES = [(1, 2), (101, 3), (201, 3), (LAST, 2)]


@pytest.mark.parametrize("executor", ["inprocess", "dask"])
@pytest.mark.parametrize(("stop", "n"), CASES)
def test_ctrl_c_off_a_terminal_counts_what_finished(executor: str, stop: int, n: int, warm_cache: Path,
                                                    tmp_path: Path) -> None:
    folder, cache = tmp_path / "run", tmp_path / "cache"
    shutil.copytree(warm_cache, cache)  # this test's own: a run caches what it finished
    code, out, err = _interrupt(executor, stop, n, folder, cache)
    assert code == 130, err
    assert out == ""
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert "not counted" not in err
    assert re.search(_summary(executor, stop, n, cached=n == 3), err), err
    # What the summary counts is what finished: each finished task step left its file.
    steps = {int(f.name.split("-")[1]) for f in folder.iterdir() if f.name.startswith("done-")}
    assert steps == _expected(stop, n, cached=n == 3)[4]


def test_the_summary_off_a_terminal_reads_as_on_a_terminal(warm_cache: Path, tmp_path: Path) -> None:
    """The same interruption, on a terminal (observed, the progress counters) and off one (the
    interpreter's own tally): the same line, apart from the time."""
    from tests.conformance.test_interrupt import Terminal

    terminal = Terminal()
    cache = tmp_path / "cache"
    shutil.copytree(warm_cache, cache)
    code, _, _ = _interrupt("inprocess", 201, 3, tmp_path / "on", cache, terminal)
    on_terminal = terminal.text()
    code_off, _, off_terminal = _interrupt("inprocess", 201, 3, tmp_path / "off", cache)
    assert code == code_off == 130

    def line(text: str) -> str:
        found = re.search(r"^.*interrupted on .*$", text, re.M)
        assert found is not None, text
        return re.sub(r"in \d+\.\d\d s", "in _ s", found.group())

    assert line(on_terminal) == line(off_terminal)
    assert re.search(_summary("inprocess", 201, 3, cached=True), off_terminal)
