"""Inline SVG markup of a laid-out display graph, for the HTML page and the run report.

The markup is plain data for CSS and scripts to work on: every node is a
``<g class="fg-node kind-… status-…" data-id=… data-kind=… data-status=…>`` with a
``<title>`` tooltip, every cluster a ``<g class="fg-cluster …">``, every edge a
``<g class="fg-edge …" data-source=… data-target=…>``. Colours come from the
page's stylesheet (:mod:`flowgen.render.page`), so the same drawing serves the
static graph (no statuses) and the run report (a status per node and cluster).
Edge labels are drawn when the graph is small and are always in the tooltip.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from html import escape

from flowgen.render.layout import CHAR_WIDTH, LINE_HEIGHT, NODE_PAD_Y, Box, Layout, node_lines
from flowgen.render.model import DisplayEdge, DisplayGraph

__all__ = ["draw_svg"]

MARGIN = 16.0
EDGE_LABEL_LIMIT = 80  # draw edge labels on the picture up to this many edges


def _fit(text: str, width: float) -> str:
    room = max(int((width - 16) / CHAR_WIDTH), 4)
    return text if len(text) <= room else text[: room - 1] + "…"


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def _ports(layout: Layout, edges: list[DisplayEdge]) -> dict[int, tuple[float, float, float, float]]:
    """Start and end points of each drawable edge, ports spread along the bottom/top of the boxes."""
    boxes = layout.boxes
    drawable = [i for i, e in enumerate(edges) if e.source in boxes and e.target in boxes]
    outgoing: dict[str, list[int]] = defaultdict(list)
    incoming: dict[str, list[int]] = defaultdict(list)
    for i in drawable:
        outgoing[edges[i].source].append(i)
        incoming[edges[i].target].append(i)
    start: dict[int, float] = {}
    end: dict[int, float] = {}
    for item, ids in outgoing.items():
        box = boxes[item]
        ids.sort(key=lambda i: boxes[edges[i].target].cx)
        for k, i in enumerate(ids):
            start[i] = box.x + box.w * (k + 1) / (len(ids) + 1)
    for item, ids in incoming.items():
        box = boxes[item]
        ids.sort(key=lambda i: boxes[edges[i].source].cx)
        for k, i in enumerate(ids):
            end[i] = box.x + box.w * (k + 1) / (len(ids) + 1)
    points = {}
    for i in drawable:
        s, t = boxes[edges[i].source], boxes[edges[i].target]
        points[i] = (start[i], s.y + s.h, end[i], t.y)
    return points


def _edge_path(x1: float, y1: float, x2: float, y2: float) -> str:
    if y2 > y1 + 4:
        bend = (y2 - y1) / 2
        return f"M{x1:.1f},{y1:.1f} C{x1:.1f},{y1 + bend:.1f} {x2:.1f},{y2 - bend:.1f} {x2:.1f},{y2:.1f}"
    # Upwards or sideways (rare: an edge against the layering): loop out to the right.
    reach = 40.0
    return (f"M{x1:.1f},{y1:.1f} C{x1 + reach:.1f},{y1 + reach:.1f} {x2 + reach:.1f},{y2 - reach:.1f} "
            f"{x2:.1f},{y2:.1f}")


def _route_path(route: list[tuple[float, float]]) -> tuple[str, tuple[float, float]]:
    """SVG path data of a routed edge (Bézier control points, then maybe the arrow's tip), and its middle."""
    curve = route[: len(route) - (len(route) - 1) % 3]
    parts = [f"M{curve[0][0]:.1f},{curve[0][1]:.1f}"]
    for k in range(1, len(curve) - 2, 3):
        (ax, ay), (bx, by), (cx, cy) = curve[k:k + 3]
        parts.append(f"C{ax:.1f},{ay:.1f} {bx:.1f},{by:.1f} {cx:.1f},{cy:.1f}")
    if len(curve) < len(route):
        parts.append(f"L{route[-1][0]:.1f},{route[-1][1]:.1f}")
    return " ".join(parts), _midpoint(curve)


def _midpoint(curve: list[tuple[float, float]]) -> tuple[float, float]:
    """The middle of a chain of cubic Bézier pieces (the middle piece at t=0.5, or the joint)."""
    pieces = (len(curve) - 1) // 3
    if pieces == 0:
        return curve[0]
    if pieces % 2 == 0:
        return curve[3 * (pieces // 2)]
    (ax, ay), (bx, by), (cx, cy), (dx, dy) = curve[3 * (pieces // 2):3 * (pieces // 2) + 4]
    return (ax + 3 * bx + 3 * cx + dx) / 8, (ay + 3 * by + 3 * cy + dy) / 8


def _text_lines(lines: list[tuple[str, str]], box: Box) -> str:
    out = []
    top = box.y + NODE_PAD_Y + LINE_HEIGHT * 0.8
    for k, (cls, line) in enumerate(lines):
        out.append(f'<text class="{cls}" x="{box.cx:.1f}" y="{top + k * LINE_HEIGHT:.1f}" '
                   f'text-anchor="middle">{escape(_fit(line, box.w))}</text>')
    return "".join(out)


def draw_svg(
    graph: DisplayGraph,
    layout: Layout,
    *,
    statuses: Mapping[str, str] | None = None,
    extra_lines: Mapping[str, str] | None = None,
    tooltips: Mapping[str, str] | None = None,
    values: Mapping[str, str] | None = None,
) -> str:
    """The ``<svg>`` element of the picture; ``statuses`` (run reports) colour nodes and clusters;
    ``values`` (run reports) are the input values a run used, as ``data-value`` of input nodes."""
    statuses = statuses or {}
    values = values or {}
    extra_lines = extra_lines or {}
    tooltips = tooltips or {}
    width, height = layout.width + 2 * MARGIN, layout.height + 2 * MARGIN
    out = [
        f'<svg class="fg-graph fit" xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="{-MARGIN:.0f} {-MARGIN:.0f} {width:.0f} {height:.0f}" role="img" '
        f'aria-label="graph of workflow {_attr(graph.title)}">',
        '<defs><marker id="fg-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="fg-arrowhead"/></marker></defs>',
    ]
    # Clusters, outermost first (their order in graph.clusters has parents before children).
    out.append('<g class="fg-clusters">')
    for cluster in graph.clusters:
        box = layout.boxes.get(cluster.id)
        if box is None:
            continue
        status = statuses.get(cluster.id, "")
        tip = tooltips.get(cluster.id, f"{cluster.title} ({cluster.subtitle})")
        extra = extra_lines.get(cluster.id, "")
        out.append(
            f'<g class="fg-cluster kind-{cluster.kind}{" status-" + status if status else ""}" '
            f'data-id="{_attr(cluster.id)}" data-kind="{cluster.kind}" data-status="{_attr(status)}">'
            f"<title>{escape(tip)}</title>"
            f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w:.1f}" height="{box.h:.1f}" rx="8"/>'
            f'<text class="fg-cluster-title" x="{box.x + 10:.1f}" y="{box.y + 15:.1f}">'
            f"{escape(_fit(cluster.title + ' · ' + cluster.subtitle, box.w))}</text>"
            + (f'<text class="fg-line" x="{box.x + 10:.1f}" y="{box.y + 28:.1f}">{escape(_fit(extra, box.w))}</text>'
               if extra else "")
            + "</g>"
        )
    out.append("</g>")
    edges = list(graph.edges)
    routes = layout.routes
    points = {} if routes else _ports(layout, edges)
    show_labels = len(routes or points) <= EDGE_LABEL_LIMIT
    out.append('<g class="fg-edges">')
    for i, edge in enumerate(edges):
        if i in routes:
            path, (mx, my) = _route_path(routes[i])
        elif i in points:
            x1, y1, x2, y2 = points[i]
            path, mx, my = _edge_path(x1, y1, x2, y2), (x1 + x2) / 2, (y1 + y2) / 2
        else:
            continue
        tip = f"{edge.source} → {edge.target}" + (f": {edge.label}" if edge.label else "")
        label = ""
        if show_labels and edge.label:  # a routed edge's label sits beside its middle, not on it
            x, anchor = (mx + 5, "start") if i in routes else (mx, "middle")
            label = (f'<text class="fg-edge-label" x="{x:.1f}" y="{my + 3:.1f}" text-anchor="{anchor}">'
                     f"{escape(edge.label)}</text>")
        out.append(
            f'<g class="fg-edge kind-{edge.kind}" data-source="{_attr(edge.source)}" data-target="{_attr(edge.target)}">'
            f"<title>{escape(tip)}</title>"
            f'<path d="{path}" marker-end="url(#fg-arrow)"/>{label}</g>'
        )
    out.append("</g>")
    out.append('<g class="fg-nodes">')
    for node in graph.nodes:
        box = layout.boxes.get(node.id)
        if box is None:
            continue
        status = statuses.get(node.id, "")
        lines = node_lines(node, extra_lines.get(node.id, ""))
        tip = tooltips.get(node.id) or "\n".join([text for _, text in lines] + ([node.task] if node.task else []))
        radius = box.h / 2 if node.kind in ("input", "output") else 6
        out.append(
            f'<g class="fg-node kind-{node.kind}{" status-" + status if status else ""}" tabindex="0" '
            f'data-id="{_attr(node.id)}" data-kind="{node.kind}" data-status="{_attr(status)}"'
            + (f' data-value="{_attr(values[node.id])}"' if node.id in values else "") + ">"
            f"<title>{escape(tip)}</title>"
            f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w:.1f}" height="{box.h:.1f}" rx="{radius:.1f}"/>'
            + _text_lines(lines, box)
            + "</g>"
        )
    out.append("</g></svg>")
    return "".join(out)
