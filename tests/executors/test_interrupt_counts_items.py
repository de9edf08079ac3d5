"""After Ctrl-C the summary counts the ``map_task`` items that finished (issue 15: it said
"0 node(s) run, 0 cached" although 6 items had finished), on threads and on processes."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.mark.parametrize("executor", ["threads", "processes"])
def test_ctrl_c_summary_counts_finished_map_items(executor: str, tmp_path: Path) -> None:
    log = tmp_path / "items.log"
    command = [sys.executable, "-m", "flowgen", "run", "tests/conformance/event_workflows.py:slow_items",
               "--xs", "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]", "--log", str(log),
               "--executor", executor, "--max-parallelism", "2"]
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    # Four items have noted their end: with two slots, the first two had returned before the
    # next two started, so at least two items are surely done (however loaded the machine).
    while time.monotonic() < deadline and proc.poll() is None and (
            not log.exists() or len(log.read_text().splitlines()) < 4):
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert out == ""
    found = re.search(r"interrupted on " + executor + r": (\d+) node\(s\) run \(incl\. (\d+) map item\(s\)\), "
                      r"0 cached, 0 failed", err)
    assert found is not None, err
    finished = len(log.read_text().splitlines())
    assert 2 <= int(found.group(2)) <= finished
    assert int(found.group(1)) == int(found.group(2))  # the map node itself did not finish
    assert "Traceback" not in err
