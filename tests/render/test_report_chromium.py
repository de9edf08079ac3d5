"""End to end: reports opened in headless Chromium (Debian package ``chromium``).

Chromium runs the page's scripts and dumps the resulting DOM; the test checks
the graph (node count and statuses), the timeline (lanes and statuses) and the
node table the script filled in, then saves a screenshot as a test artifact
(``$FLOWGEN_TEST_ARTIFACTS`` if set, else the test's tmp dir).
CI installs Chromium with ``apt-get install -y chromium``; without it the test
skips, unless ``FLOWGEN_REQUIRE_TOOLS=1`` makes that a failure.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from flowgen.report import build_report_html
from tests.render.examples_index import load_workflow
from tests.render.fixtures import report_workflows as rw
from tests.render.report_helpers import PageElements, record_run

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


@pytest.fixture(scope="module")
def chromium() -> str:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("FLOWGEN_REQUIRE_TOOLS"):
        pytest.fail("headless Chromium is required here (apt-get install -y chromium)")
    pytest.skip("Chromium is not installed (apt-get install -y chromium)")


def _run(chromium: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--no-first-run", "--disable-extensions", "--hide-scrollbars", f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def dump_dom(chromium: str, page: Path, profile: Path) -> PageElements:
    done = _run(chromium, profile, "--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    return PageElements(done.stdout)


def screenshot(chromium: str, page: Path, out: Path, profile: Path) -> None:
    done = _run(chromium, profile, f"--screenshot={out}", "--window-size=1280,1600", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]


def artifacts_dir(tmp_path: Path) -> Path:
    target = os.environ.get("FLOWGEN_TEST_ARTIFACTS")
    path = Path(target) if target else tmp_path
    path.mkdir(parents=True, exist_ok=True)
    return path


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_reference_example_report_renders_in_chromium(chromium: str, tmp_path: Path) -> None:
    recorder = record_run(load_workflow("dynamic_workflows", "wf"), s1="Pear", s2="Earth")
    page = tmp_path / "reference_report.html"
    page.write_text(build_report_html(recorder), encoding="utf-8")

    dom = dump_dom(chromium, page, tmp_path / "profile")
    body = next(attrs for tag, attrs in dom.elements if tag == "body")
    assert body.get("data-ready") == "true"  # the page's script ran to the end
    nodes = dom.with_class("fg-node")
    assert len(nodes) == 22  # 2 inputs + the 19 nodes the @dynamic expanded to + 1 output
    assert Counter(n["data-status"] for n in nodes if n["data-kind"] == "task") == {"succeeded": 19}
    assert [(c["data-id"], c["data-status"]) for c in dom.with_class("fg-cluster")] == [("n0", "succeeded")]
    lanes = dom.with_class("fg-lane")
    assert len(lanes) == 20 and {lane["data-status"] for lane in lanes} == {"succeeded"}
    assert len(dom.with_class("bar")) >= 20
    rows = [attrs for tag, attrs in dom.elements if tag == "tr" and "data-path" in attrs]
    assert len(rows) == 20 and {r["data-status"] for r in rows} == {"succeeded"}

    shot = artifacts_dir(tmp_path) / "reference_report.png"
    screenshot(chromium, page, shot, tmp_path / "profile")
    width, height = png_size(shot)
    assert (width, height) == (1280, 1600)
    assert shot.stat().st_size > 20_000  # a rendered page, not a blank one


def test_failed_and_grouped_report_renders_in_chromium(chromium: str, tmp_path: Path) -> None:
    recorder = record_run(rw.fan_wf, n=40, fail_at=30)
    page = tmp_path / "failed_report.html"
    page.write_text(build_report_html(recorder), encoding="utf-8")

    dom = dump_dom(chromium, page, tmp_path / "profile")
    assert dom.by_id("fg-error") is not None
    assert (dom.by_id("fg-run-status") or {}).get("class", "").endswith("status-failed")
    statuses = {n["data-id"]: (n["data-kind"], n["data-status"]) for n in dom.with_class("fg-node")}
    groups = [s for kind, s in statuses.values() if kind == "group"]
    assert groups == ["succeeded"]  # the 30 inc runs before the failure, grouped
    assert statuses["n0.n30"] == ("task", "failed")
    assert statuses["n1"] == ("task", "not-run")
    failed_lanes = [lane for lane in dom.with_class("fg-lane") if lane["data-status"] == "failed"]
    assert {lane["data-id"] for lane in failed_lanes} == {"n0", "n0.n30"}
    rows = [attrs for tag, attrs in dom.elements if tag == "tr" and "data-path" in attrs]
    assert len(rows) == 32 and Counter(r["data-status"] for r in rows) == {"succeeded": 30, "failed": 2}

    shot = artifacts_dir(tmp_path) / "failed_report.png"
    screenshot(chromium, page, shot, tmp_path / "profile")
    assert png_size(shot) == (1280, 1600)
