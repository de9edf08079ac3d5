"""Pictures of workflows: Mermaid, DOT, SVG/PNG (through Graphviz) and self-contained HTML.

``render(program, fmt)`` draws a Program's entry workflow; the pipeline is
IR -> :class:`~flowgen.render.model.DisplayGraph` (a pure pass) -> text or bytes.
The run report (:mod:`flowgen.report`) draws the same display graph with
run facts in a side table.
"""

from __future__ import annotations

from flowgen.ir.model import Program
from flowgen.render.dot import to_dot
from flowgen.render.html import to_html
from flowgen.render.mermaid import to_mermaid
from flowgen.render.model import DisplayCluster, DisplayEdge, DisplayGraph, DisplayNode, build_display_graph
from flowgen.render.svg import GraphvizFailed, GraphvizMissing, render_with_graphviz

__all__ = [
    "FORMATS",
    "DisplayCluster",
    "DisplayEdge",
    "DisplayGraph",
    "DisplayNode",
    "GraphvizFailed",
    "GraphvizMissing",
    "build_display_graph",
    "render",
    "render_graph",
    "to_dot",
    "to_html",
    "to_mermaid",
]

FORMATS = ("mermaid", "dot", "svg", "png", "html")


def render_graph(graph: DisplayGraph, fmt: str, *, source: str = "") -> str | bytes:
    """A display graph in ``fmt``: text for mermaid/dot/svg/html, bytes for png."""
    if fmt == "mermaid":
        return to_mermaid(graph)
    if fmt == "dot":
        return to_dot(graph)
    if fmt == "html":
        return to_html(graph, source=source)
    if fmt == "svg":
        return render_with_graphviz(graph, "svg").decode("utf-8")
    if fmt == "png":
        return render_with_graphviz(graph, "png")
    raise ValueError(f"unknown graph format {fmt!r}; choose one of {', '.join(FORMATS)}")


def render(program: Program, fmt: str, *, source: str = "") -> str | bytes:
    """The picture of ``program``'s entry workflow in ``fmt`` (see :data:`FORMATS`)."""
    return render_graph(build_display_graph(program), fmt, source=source)
