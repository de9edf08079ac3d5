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
import zlib
from collections import Counter
from pathlib import Path

import pytest

from flowgen.render.page import STATUS_COLORS
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


def png_pixels(path: Path) -> tuple[int, int, list[bytes]]:
    """Width, height and rows of RGB(A) bytes of an 8-bit, non-interlaced PNG (what Chromium writes)."""
    data = path.read_bytes()
    pos, chunks, header = 8, [], b""
    while pos < len(data):
        length = struct.unpack(">I", data[pos:pos + 4])[0]
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    width, height, depth, color = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and color in (2, 6), (depth, color)
    step = 3 if color == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * step
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - step] if i >= step else 0
            up, corner = previous[i], previous[i - step] if i >= step else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append(bytes(line))
        previous = line
    return width, step, rows


_MEASURE = """<script>
window.addEventListener('load', () => {
  for (const node of document.querySelectorAll('.fg-node')) {
    const r = node.querySelector('rect').getBoundingClientRect();
    node.setAttribute('data-box', [r.left, r.top, r.width, r.height].map(v => v.toFixed(1)).join(','));
  }
  document.body.dataset.measured = 'true';
});
</script>"""


def test_failed_run_on_threads_shows_the_failed_node_failed(chromium: str, tmp_path: Path) -> None:
    """The report of a run that fails on the threads executor, written by ``flowgen run --report``:
    Chromium's DOM and its screenshot both show the failing task (inside its sub-workflow) as failed."""
    from click.testing import CliRunner

    from flowgen.cli.main import cli

    report = tmp_path / "failed_threads.html"
    filled = CliRunner().invoke(cli, ["run", "tests/conformance/event_workflows.py:prefill", "--x", "4",
                                      "--cache-dir", str(tmp_path / "cache")])
    assert filled.exit_code == 0, filled.output  # node n2 is then a cache hit
    result = CliRunner().invoke(cli, ["run", "tests/conformance/event_workflows.py:eventful", "--n", "1",
                                      "--marker", str(tmp_path / "marker"), "--limit", "10", "--executor", "threads",
                                      "--cache-dir", str(tmp_path / "cache"), "--report", str(report)])
    assert result.exit_code == 1, result.output
    assert "245 is over the limit 10" in result.output

    page = tmp_path / "measured.html"
    page.write_text(report.read_text(encoding="utf-8").replace("</body>", _MEASURE + "</body>"), encoding="utf-8")
    profile = tmp_path / "profile"
    done = _run(chromium, profile, "--window-size=1280,1600", "--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    dom = PageElements(done.stdout)
    nodes = {n["data-id"]: n for n in dom.with_class("fg-node")}
    assert nodes["n6.n0"]["data-status"] == "failed"  # the failing task
    assert {c["data-id"]: c["data-status"] for c in dom.with_class("fg-cluster")}["n6"] == "failed"
    assert nodes["n5"]["data-status"] == "succeeded" and nodes["n2"]["data-status"] == "cached"
    assert nodes["input:n"]["data-value"] == "1" and nodes["input:limit"]["data-value"] == "10"
    assert not [n for n in nodes.values() if n["data-status"] == "running"]  # nothing left "running"
    rows = {attrs["data-path"]: attrs["data-status"] for tag, attrs in dom.elements if tag == "tr" and "data-path" in attrs}
    assert rows["n6.n0"] == "failed" and rows["n6"] == "failed"

    shot = artifacts_dir(tmp_path) / "failed_threads_report.png"
    screenshot(chromium, page, shot, profile)
    width, step, rows_px = png_pixels(shot)

    def colour_inside(node_id: str) -> tuple[int, ...]:
        x, y, w, h = (float(v) for v in nodes[node_id]["data-box"].split(","))
        assert x >= 0 and x + w <= width and y >= 0 and y + h <= len(rows_px), (node_id, x, y, w, h)
        px, py = int(x + 4), int(y + h / 2)  # inside the box, left of its centred text
        return tuple(rows_px[py][px * step:px * step + 3])

    def close(found: tuple[int, ...], hex_colour: str) -> bool:
        want = bytes.fromhex(hex_colour.lstrip("#"))
        return all(abs(a - b) <= 6 for a, b in zip(found, want))

    assert close(colour_inside("n6.n0"), STATUS_COLORS["failed"][0]), colour_inside("n6.n0")
    assert close(colour_inside("n5"), STATUS_COLORS["succeeded"][0]), colour_inside("n5")
    assert close(colour_inside("n2"), STATUS_COLORS["cached"][0]), colour_inside("n2")
