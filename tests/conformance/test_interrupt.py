"""Ctrl-C tells the same truth on every executor and in generated code (issue 15, item 1).

``flowgen run`` (or a generated module's script) runs a workflow whose first two nodes
and first ``map_task`` item finish and whose second item then waits; the test presses
Ctrl-C the way a terminal does -- SIGINT to the run's whole process group (worker
processes and Dask's included), with stderr on a pseudo-terminal, where the progress
bar and its summary are shown -- once that item runs. On every back end:

* the run exits 130, prints no result and no traceback (nor do the workers);
* the summary counts the finished work: 3 steps run (2 nodes and the finished item),
  0 cached, 0 failed, 2 cancelled (the map node and its running item);
* the report (``--report``) draws the finished nodes succeeded, the map node cancelled with
  its items ``1 succeeded, 1 cancelled, 1 not run``, the node after it not run, and the
  input values the run used.

No timing is assumed: the test waits for files the tasks write (the map runs one item at a
time, and the driver submits an item only once it has heard the previous one end, so the
finished item is counted however loaded the machine is).
"""

from __future__ import annotations

import os
import pty
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.render.report_helpers import PageElements

BACKENDS = ["inprocess", "threads", "processes", "dask", "generated", "generated-threads"]
WORKFLOW = "tests/conformance/event_workflows.py"
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.fixture(scope="module")
def generated_script(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``flowgen build`` of the workflows' source: the generated module a user runs as a script."""
    out = tmp_path_factory.mktemp("built")
    subprocess.run([sys.executable, "-m", "flowgen", "build", WORKFLOW, "--out", str(out)], cwd=ROOT, check=True,
                   capture_output=True, timeout=300)
    script = out / "tests" / "conformance" / "event_workflows_flowgen.py"
    assert script.exists()
    return script


class Terminal:
    """A pseudo-terminal for a child's stderr, read as it writes (so it never blocks on a full buffer)."""

    def __init__(self) -> None:
        self.master, self.slave = pty.openpty()
        self._chunks: list[bytes] = []
        self._reader = threading.Thread(target=self._read, daemon=True)

    def start(self) -> None:
        os.close(self.slave)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:  # EIO: the child side is closed
                return
            if not data:
                return
            self._chunks.append(data)

    def text(self) -> str:
        self._reader.join(timeout=30)
        os.close(self.master)
        return _ANSI.sub("", b"".join(self._chunks).decode(errors="replace")).replace("\r", "")


def _command(backend: str, script: Path | None, folder: Path, report: Path) -> list[str]:
    executor = {"generated": "inprocess", "generated-threads": "threads"}.get(backend, backend)
    target = [str(script), "interruptible"] if script is not None else ["-m", "flowgen", "run",
                                                                       f"{WORKFLOW}:interruptible"]
    return [sys.executable, *target, "--n", "1", "--folder", str(folder), "--report", str(report),
            "--executor", executor, "--max-parallelism", "2"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_ctrl_c_counts_finished_work_and_reports_it(backend: str, tmp_path: Path, request: pytest.FixtureRequest
                                                    ) -> None:
    script = request.getfixturevalue("generated_script") if backend.startswith("generated") else None
    folder, report = tmp_path / "run", tmp_path / "report.html"
    folder.mkdir()
    terminal = Terminal()
    env = {**os.environ, "FLOWGEN_CACHE_DIR": str(tmp_path / "cache"), "COLUMNS": "200", "TERM": "xterm"}
    proc = subprocess.Popen(_command(backend, script, folder, report), cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=terminal.slave, text=True, start_new_session=True)
    terminal.start()
    try:
        # begin gives a = 2, spread [2, 3, 4]; item 0 (x=2) returns, item 1 (x=3) notes that it runs.
        running = folder / "running-3"
        deadline = time.monotonic() + 240
        while not running.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert running.exists(), f"the run never reached its second item (exit {proc.poll()}):\n{terminal.text()}"
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C on a terminal does
        out, _ = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    err = terminal.text()
    executor = {"generated": "inprocess", "generated-threads": "threads"}.get(backend, backend)

    assert proc.returncode == 130, err
    assert out == ""
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    # The summary counts what finished: n0, n1 and item 0; the map node and item 1 were running.
    assert re.search(rf"interrupted on {executor}: 3 node\(s\) run \(incl\. 1 map item\(s\)\), 0 cached, "
                     r"0 failed, 2 cancelled in ", err), err
    assert not (folder / "running-4").exists()  # the last item never started

    page = PageElements(report.read_text())
    rows = {r[0]: r[3] for r in page.data["records"]}
    assert rows == {"n0": "succeeded", "n1": "succeeded", "n2": "cancelled"}
    drawn = {n["data-id"]: n.get("data-status") for n in page.with_class("fg-node") if n["data-kind"] != "input"}
    assert drawn["n3"] == "not-run" and drawn["n2"] == "cancelled"
    items = re.search(r'data-id="n2".*?</g>', report.read_text(), re.S)
    assert items is not None and "3 items: 1 cancelled, 1 not run, 1 succeeded" in items.group()
    inputs = {n["data-id"]: n.get("data-value") for n in page.with_class("fg-node") if n["data-kind"] == "input"}
    assert inputs == {"input:n": "1", "input:folder": repr(str(folder))}


@pytest.mark.parametrize("executor", ["inprocess", "dask"])
def test_ctrl_c_off_a_terminal_counts_the_same(executor: str, tmp_path: Path) -> None:
    """The same Ctrl-C with stderr a pipe and no ``--report``: nothing observes the run (the
    interpreter's fast path, Dask's few-callbacks mode), and the summary counts the same."""
    folder = tmp_path / "run"
    folder.mkdir()
    env = {**os.environ, "FLOWGEN_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "flowgen", "run", f"{WORKFLOW}:interruptible", "--n", "1", "--folder",
               str(folder), "--executor", executor, "--max-parallelism", "2"]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        running = folder / "running-3"
        deadline = time.monotonic() + 240
        while not running.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert running.exists(), f"the run never reached its second item (exit {proc.poll()})"
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, err
    assert out == ""
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert re.search(rf"interrupted on {executor}: 3 node\(s\) run \(incl\. 1 map item\(s\)\), 0 cached, "
                     r"0 failed, 2 cancelled in \d+\.\d\d s$", err.strip()), err
