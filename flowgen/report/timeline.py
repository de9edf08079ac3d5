"""The timeline of a run as inline SVG: one lane per display item, a bar per node run.

Lanes follow the grouped picture (:mod:`flowgen.report.grouping`): a group's
lane holds a bar for each of its members, so 10,000 runs of one task make one
lane, not 10,000. Bars closer than half a pixel with the same status are merged
(the lane's tooltip still counts every run), which bounds the drawing by its
width in pixels rather than by the number of nodes. Times are seconds since
the run started; lanes are ordered by their first start.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from flowgen.render.model import DisplayGraph
from flowgen.report.facts import Facts
from flowgen.report.grouping import status_summary
from flowgen.report.recorder import NodeRecord

__all__ = ["Lane", "draw_timeline", "format_seconds", "timeline_lanes"]

LABEL_WIDTH = 240.0
PLOT_WIDTH = 900.0
LANE_HEIGHT = 20.0
BAR_HEIGHT = 12.0
AXIS_HEIGHT = 26.0


@dataclass(frozen=True)
class Lane:
    id: str  # display id
    label: str
    status: str
    bars: tuple[tuple[float, float, str], ...]  # (start, end, status)
    span: bool  # a cluster's lane: one bar spanning its children


def format_seconds(seconds: float) -> str:
    if seconds < 0.001:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    if seconds < 120:
        return f"{seconds:.2f} s"
    return f"{int(seconds // 60)} min {seconds % 60:.0f} s"


def timeline_lanes(graph: DisplayGraph, facts: dict[str, Facts], records: dict[str, NodeRecord],
                   total: float) -> list[Lane]:
    lanes: list[tuple[float, int, Lane]] = []
    labels = {n.id: f"{n.title} · {n.subtitle}" if n.kind != "group" else n.title for n in graph.nodes}
    labels.update({c.id: f"{c.title} · {c.subtitle}" for c in graph.clusters})
    spans = {c.id for c in graph.clusters}
    # A branch cluster only summarizes its members, which have lanes of their own.
    order = [n.id for n in graph.nodes] + [c.id for c in graph.clusters if c.kind != "branch"]
    for index, item in enumerate(order):
        found = facts.get(item)
        if found is None or found.start is None:
            continue
        bars = []
        for path in found.members:
            record = records.get(path)
            if record is not None:
                end = record.end if record.end is not None else total
                bars.append((record.start, end, record.status))
        if not bars:
            continue
        lanes.append((found.start, index, Lane(item, labels[item], found.status, tuple(sorted(bars)), item in spans)))
    lanes.sort(key=lambda t: (t[0], t[1]))
    return [lane for _, _, lane in lanes]


def _coalesce(bars: tuple[tuple[float, float, str], ...], seconds_per_px: float) -> list[tuple[float, float, str]]:
    merged: list[list[float | str]] = []
    for start, end, status in bars:
        last = merged[-1] if merged else None
        if last is not None and last[2] == status and start - float(last[1]) <= seconds_per_px / 2:
            last[1] = max(float(last[1]), end)
        else:
            merged.append([start, end, status])
    return [(float(a), float(b), str(c)) for a, b, c in merged]


def _ticks(total: float) -> list[float]:
    raw = total / 8
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    count = int(total / step) + 1
    return [i * step for i in range(count + 1) if i * step <= total * 1.0001]


def draw_timeline(lanes: list[Lane], total: float, facts: dict[str, Facts]) -> str:
    total = max(total, 1e-6)
    scale = PLOT_WIDTH / total
    height = AXIS_HEIGHT + LANE_HEIGHT * len(lanes) + 8
    width = LABEL_WIDTH + PLOT_WIDTH + 20
    out = [f'<svg class="fg-timeline" xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
           f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="timeline of the run">']
    out.append('<g class="axis">')
    for tick in _ticks(total):
        x = LABEL_WIDTH + tick * scale
        out.append(f'<line x1="{x:.1f}" y1="{AXIS_HEIGHT - 6:.1f}" x2="{x:.1f}" y2="{height:.1f}"/>'
                   f'<text x="{x:.1f}" y="{AXIS_HEIGHT - 10:.1f}" text-anchor="middle">'
                   f"{escape(format_seconds(tick))}</text>")
    out.append("</g>")
    for i, lane in enumerate(lanes):
        y = AXIS_HEIGHT + i * LANE_HEIGHT
        found = facts.get(lane.id)
        runs = len(lane.bars)
        tip = f"{lane.label}\n{runs} run{'s' if runs != 1 else ''}"
        if found is not None:
            tip += f"\n{status_summary(found.counts)}"
            if found.start is not None and found.end is not None:
                tip += f"\n{format_seconds(found.start)} → {format_seconds(found.end)}"
        label = lane.label if len(lane.label) <= 34 else lane.label[:33] + "…"
        out.append(
            f'<g class="fg-lane{" span" if lane.span else ""}" data-id="{escape(lane.id, quote=True)}" '
            f'data-status="{lane.status}" data-runs="{runs}"><title>{escape(tip)}</title>'
            f'<rect class="lane-bg" x="0" y="{y:.1f}" width="{width:.0f}" height="{LANE_HEIGHT:.0f}"/>'
            f'<text x="{LABEL_WIDTH - 8:.1f}" y="{y + LANE_HEIGHT - 6:.1f}" text-anchor="end">{escape(label)}</text>'
        )
        bar_y = y + (LANE_HEIGHT - BAR_HEIGHT) / 2
        for start, end, status in _coalesce(lane.bars, 1 / scale):
            x = LABEL_WIDTH + start * scale
            w = max((end - start) * scale, 1.0)
            out.append(f'<rect class="bar status-{status}" x="{x:.1f}" y="{bar_y:.1f}" width="{w:.1f}" '
                       f'height="{BAR_HEIGHT:.0f}"/>')
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)
