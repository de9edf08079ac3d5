"""The run report's graph laid out by Graphviz ``dot``, with its edge routes.

The report draws its own SVG (nodes coloured by status, clickable, grouped), but
where the boxes go and how edges run between them is a layout problem Graphviz
solves well: ``dot`` ranks the graph, orders each rank to remove crossings,
places clusters as boxes around their members, and routes every edge as a spline
*around* the node boxes (never through one; ``tests/render/test_dot_layout.py``
checks this on the coordinates). So, at report time:

1. every node becomes a fixed-size, label-less box the size the drawing needs
   (:func:`flowgen.render.layout.node_size`), every cluster a ``cluster_`` subgraph
   labelled with its title (so ``dot`` reserves room for it), every edge an edge with
   ``id="e<index>"``; an edge that ends on a cluster (an expanded ``@dynamic``) is
   clipped at the cluster's border (``compound=true``, ``lhead``/``ltail``);
2. ``dot -Tjson`` returns the boxes (centre and size of nodes, ``bb`` of clusters)
   and each edge's spline (``pos``: cubic Bézier control points, then the arrow tip),
   in points with y upwards; one point is one pixel here, y is flipped;
3. :class:`~flowgen.render.layout.Layout` gets the boxes and ``routes``, and
   :func:`flowgen.render.drawing.draw_svg` draws the splines as they are.

When ``dot`` is missing, fails, takes too long or the picture is too big for it to
be quick, :func:`report_layout` falls back to the built-in layered layout
(:mod:`flowgen.render.layout`), which keeps the report readable without Graphviz.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

from flowgen.render.dot import quote
from flowgen.render.layout import Box, Layout, cluster_title, layout_graph, node_lines, node_size
from flowgen.render.model import DisplayGraph
from flowgen.render.tree import Tree, build_tree

__all__ = ["DOT_ITEM_LIMIT", "dot_layout", "report_layout"]

DOT_ITEM_LIMIT = 2000
"""Pictures with more nodes and clusters than this use the built-in layout (``dot`` gets slow)."""

_INCH = 72.0


def report_layout(graph: DisplayGraph, extra_lines: dict[str, str] | None = None, *,
                  dot: str | None = None, timeout: float = 30.0) -> Layout:
    """The layout of ``graph`` by Graphviz ``dot`` when it can, else by the built-in layout."""
    if len(graph.nodes) + len(graph.clusters) <= DOT_ITEM_LIMIT:
        program = dot or shutil.which("dot")
        if program is not None:
            found = dot_layout(graph, extra_lines, dot=program, timeout=timeout)
            if found is not None:
                return found
    return layout_graph(graph, extra_lines=extra_lines)


def _placeholder(cluster: str) -> str:
    return f"{cluster}:empty"


def _anchor(tree: Tree, item: str) -> tuple[str, str | None]:
    """The node an edge attaches to, and the cluster it is clipped at (``lhead``/``ltail``)."""
    if item in tree.nodes:
        return item, None
    inner = tree.descendant_nodes(item)
    return (inner[0] if inner else _placeholder(item)), "cluster_" + item


def to_layout_dot(graph: DisplayGraph, extra: dict[str, str]) -> tuple[str, Tree]:
    """DOT text with every node a fixed-size box of the drawing's size, and the graph's tree."""
    tree = build_tree(graph)
    out = [
        "digraph flowgen {",
        '  graph [rankdir=TB, compound=true, nodesep=0.35, ranksep=0.55, splines=spline, '
        'fontname="Helvetica", fontsize=12, labeljust=l, labelloc=t, margin=0];',
        '  node [shape=box, fixedsize=true, label=""];',
        "  edge [arrowsize=0.7];",
    ]

    def emit(container: str | None, depth: int) -> None:
        pad = "  " * depth
        for kind, item in tree.members(container):
            if kind == "node":
                w, h = node_size(node_lines(tree.nodes[item], extra.get(item, "")))
                out.append(f"{pad}{quote(item)} [width={w / _INCH:.4f}, height={h / _INCH:.4f}];")
                continue
            title = cluster_title(tree, item) + (f"\n{extra[item]}" if extra.get(item) else "")
            out.append(f"{pad}subgraph {quote('cluster_' + item)} {{")
            # 14pt: dot's Helvetica metrics then reserve the width the drawing's 12px title needs.
            out.append(f"{pad}  label={quote(title)}; fontsize=14; margin=12;")
            if not tree.members(item):
                out.append(f"{pad}  {quote(_placeholder(item))} [width=1.3, height=0.3, style=invis];")
            emit(item, depth + 1)
            out.append(f"{pad}}}")

    emit(None, 1)
    for i, edge in enumerate(graph.edges):
        if not _drawable(tree, edge.source) or not _drawable(tree, edge.target):
            continue
        source, ltail = _anchor(tree, edge.source)
        target, lhead = _anchor(tree, edge.target)
        if source == target:
            continue
        attrs = [f'id="e{i}"']
        if ltail:
            attrs.append(f"ltail={quote(ltail)}")
        if lhead:
            attrs.append(f"lhead={quote(lhead)}")
        if edge.kind != "data":
            attrs.append("style=dashed")
        out.append(f"  {quote(source)} -> {quote(target)} [{', '.join(attrs)}];")
    out.append("}")
    return "\n".join(out) + "\n", tree


def _drawable(tree: Tree, item: str) -> bool:
    return item in tree.nodes or item in tree.clusters


def dot_layout(graph: DisplayGraph, extra_lines: dict[str, str] | None = None, *, dot: str = "dot",
               timeout: float = 30.0) -> Layout | None:
    """Boxes and edge routes of ``graph`` by ``dot -Tjson``; None when ``dot`` cannot do it."""
    extra = extra_lines or {}
    text, tree = to_layout_dot(graph, extra)
    try:
        done = subprocess.run([dot, "-Tjson"], input=text.encode("utf-8"), capture_output=True,
                              timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    try:
        return _read_layout(json.loads(done.stdout), tree)
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def _floats(text: str) -> list[float]:
    return [float(v) for v in text.split(",")]


def _read_layout(data: dict[str, Any], tree: Tree) -> Layout:
    _, _, width, height = _floats(data["bb"])
    boxes: dict[str, Box] = {}
    for obj in data.get("objects", []):
        name = obj.get("name", "")
        if "bb" in obj and name.startswith("cluster_"):
            x1, y1, x2, y2 = _floats(obj["bb"])
            item = name[len("cluster_"):]
            if item in tree.clusters:
                boxes[item] = Box(x1, height - y2, x2 - x1, y2 - y1)
        elif "pos" in obj and name in tree.nodes:
            cx, cy = _floats(obj["pos"])
            w, h = float(obj["width"]) * _INCH, float(obj["height"]) * _INCH
            boxes[name] = Box(cx - w / 2, height - cy - h / 2, w, h)
    routes: dict[int, list[tuple[float, float]]] = {}
    for edge in data.get("edges", []):
        ident, pos = edge.get("id", ""), edge.get("pos")
        if not ident.startswith("e") or not pos:
            continue
        points: list[tuple[float, float]] = []
        tip: tuple[float, float] | None = None
        for part in pos.split():
            if part.startswith("e,"):
                x, y = _floats(part[2:])
                tip = (x, height - y)
            elif part.startswith("s,"):
                continue
            else:
                x, y = _floats(part)
                points.append((x, height - y))
        if tip is not None:
            points.append(tip)  # the arrow's tip: a straight last piece
        routes[int(ident[1:])] = points
    return Layout(width, height, boxes, tree, routes)
