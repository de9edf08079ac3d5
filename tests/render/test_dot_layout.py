"""The run report's graph laid out by Graphviz ``dot`` (issue 15, item 5).

Checked on the layout's own coordinates, for every example workflow's picture and for
reports of runs (a ``@dynamic`` expanded into a cluster, a grouped failed run):

* every edge is routed, from its source's box to its target's box;
* no edge passes through a node box other than its own two ends (each route's Bézier
  curves are sampled densely);
* nodes do not overlap, and each node lies inside the clusters that hold it.

Without ``dot`` on PATH the tests skip, unless ``FLOWGEN_REQUIRE_TOOLS=1`` makes that a
failure (CI installs Graphviz); the fallback layout is tested either way.
"""

from __future__ import annotations

import os
import shutil
from typing import Any

import pytest

from flowgen.render.dot_layout import dot_layout, report_layout
from flowgen.render.layout import Box, Layout
from flowgen.render.model import DisplayGraph, build_display_graph
from flowgen.report import build_report_html
from tests.render.examples_index import example_workflows, load_workflow
from tests.render.fixtures import report_workflows as rw
from tests.render.report_helpers import PageElements, record_run


@pytest.fixture(scope="module")
def dot() -> str:
    found = shutil.which("dot")
    if found:
        return found
    if os.environ.get("FLOWGEN_REQUIRE_TOOLS"):
        pytest.fail("Graphviz `dot` is required here (apt-get install -y graphviz)")
    pytest.skip("Graphviz `dot` is not installed (apt-get install -y graphviz)")


def _bezier(p0: Any, p1: Any, p2: Any, p3: Any, steps: int = 24) -> list[tuple[float, float]]:
    out = []
    for k in range(steps + 1):
        t = k / steps
        u = 1 - t
        out.append((u**3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t**3 * p3[0],
                    u**3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t**3 * p3[1]))
    return out


def route_samples(route: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Points along a routed edge: each cubic piece sampled, then the straight piece to the tip."""
    curve = route[: len(route) - (len(route) - 1) % 3]
    samples: list[tuple[float, float]] = []
    for k in range(0, len(curve) - 3, 3):
        samples += _bezier(*curve[k:k + 4])
    if len(curve) < len(route):
        (x0, y0), (x1, y1) = curve[-1], route[-1]
        samples += [(x0 + (x1 - x0) * t / 8, y0 + (y1 - y0) * t / 8) for t in range(9)]
    return samples


def inside(box: Box, x: float, y: float, margin: float = 1.5) -> bool:
    """Strictly inside the box, ``margin`` pixels away from its border."""
    return box.x + margin < x < box.x + box.w - margin and box.y + margin < y < box.y + box.h - margin


def near(box: Box, x: float, y: float, slack: float = 12.0) -> bool:
    return box.x - slack <= x <= box.x + box.w + slack and box.y - slack <= y <= box.y + box.h + slack


def check_layout(graph: DisplayGraph, layout: Layout) -> int:
    """Assert the properties above; the number of edges checked."""
    boxes = layout.boxes
    nodes = [n.id for n in graph.nodes]
    assert set(nodes) <= set(boxes)
    checked = 0
    for i, edge in enumerate(graph.edges):
        if edge.source not in boxes or edge.target not in boxes:
            continue
        assert i in layout.routes, f"edge {edge.source} -> {edge.target} has no route"
        samples = route_samples(layout.routes[i])
        assert near(boxes[edge.source], *samples[0]), (edge, samples[0], boxes[edge.source])
        assert near(boxes[edge.target], *samples[-1]), (edge, samples[-1], boxes[edge.target])
        for node in nodes:
            if node in (edge.source, edge.target):
                continue
            crossing = [p for p in samples if inside(boxes[node], *p)]
            assert not crossing, f"edge {edge.source} -> {edge.target} passes through node {node} at {crossing[0]}"
        checked += 1
    for a_index, a in enumerate(nodes):  # no two node boxes overlap
        for b in nodes[a_index + 1:]:
            ba, bb = boxes[a], boxes[b]
            assert (ba.x + ba.w <= bb.x + 0.5 or bb.x + bb.w <= ba.x + 0.5
                    or ba.y + ba.h <= bb.y + 0.5 or bb.y + bb.h <= ba.y + 0.5), (a, b)
    for node in graph.nodes:  # every node inside its cluster
        if node.parent is not None and node.parent in boxes:
            outer, box = boxes[node.parent], boxes[node.id]
            assert outer.x <= box.x and box.x + box.w <= outer.x + outer.w + 0.5
            assert outer.y <= box.y and box.y + box.h <= outer.y + outer.h + 0.5
    return checked


@pytest.mark.parametrize(("module", "name"), example_workflows())
def test_example_pictures_have_no_edge_through_a_node(dot: str, module: str, name: str) -> None:
    graph = build_display_graph(load_workflow(module, name).compile_program())
    layout = dot_layout(graph, dot=dot)
    assert layout is not None
    check_layout(graph, layout)


def test_reports_of_runs_have_no_edge_through_a_node(dot: str) -> None:
    runs = [record_run(load_workflow("dynamic_workflows", "wf"), s1="Pear", s2="Earth"),
            record_run(rw.fan_wf, n=6, fail_at=4), record_run(rw.fan_wf, n=40, fail_at=30)]
    checked = 0
    for recorder in runs:
        graph = build_display_graph(recorder.picture_program(), expand_dynamic=recorder.expansion)
        layout = dot_layout(graph, dot=dot)
        assert layout is not None
        checked += check_layout(graph, layout)
    assert checked >= 25  # the expanded @dynamic's edges are among them


def test_the_report_draws_dots_routes(dot: str) -> None:
    page = build_report_html(record_run(load_workflow("dynamic_workflows", "wf"), s1="Pear", s2="Earth"))
    paths = [d for d in PageElements(page).elements if d[0] == "path" and "marker-end" in d[1]]
    assert paths and all(" C" in attrs["d"] for _, attrs in paths)  # splines, not the fallback's one curve
    assert sum(attrs["d"].count("C") for _, attrs in paths) > len(paths)  # dot routes bend round nodes


def test_without_dot_the_built_in_layout_is_used(tmp_path: Any) -> None:
    recorder = record_run(rw.fan_wf, n=6, fail_at=4)
    graph = build_display_graph(recorder.picture_program(), expand_dynamic=recorder.expansion)
    missing = str(tmp_path / "no-dot-here")
    layout = report_layout(graph, dot=missing)
    assert layout.routes == {} and set(n.id for n in graph.nodes) <= set(layout.boxes)
    failing = tmp_path / "dot"
    failing.write_text("#!/bin/sh\necho 'Error: syntax error' >&2\nexit 1\n")
    failing.chmod(0o755)
    assert dot_layout(graph, dot=str(failing)) is None
    assert report_layout(graph, dot=str(failing)).routes == {}
