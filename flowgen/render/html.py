"""``flowgen graph --format html``: one self-contained page with the picture of a workflow.

The picture is laid out when the page is written, by Graphviz ``dot`` when it is
installed and by the built-in layout otherwise (:mod:`flowgen.render.dot_layout`),
and drawn as inline SVG (:mod:`flowgen.render.drawing`), so the page shows the
graph even with scripts disabled; a short script only adds a details panel (click
a node: its id, task, note and the values flowing in and out) and highlights the
edges of the selected node. The page needs no network and no Graphviz to open.
"""

from __future__ import annotations

from html import escape

from flowgen.render.dot_layout import report_layout
from flowgen.render.drawing import draw_svg
from flowgen.render.model import DisplayGraph
from flowgen.render.page import html_page

__all__ = ["GRAPH_SCRIPT", "ZOOM_BUTTON", "to_html"]

# The drawing starts fitted to the page width; this button (wired by GRAPH_SCRIPT) toggles actual size.
ZOOM_BUTTON = '<button class="zoom" id="fg-zoom" type="button">actual size</button>'

# Shared with the run report: selection, edge highlighting, and the details panel hook.
GRAPH_SCRIPT = r"""
(function () {
  const svg = document.querySelector('.fg-graph');
  if (!svg) return;
  const panel = document.getElementById('fg-details');
  function select(id) {
    svg.querySelectorAll('.fg-node.selected').forEach(n => n.classList.remove('selected'));
    svg.querySelectorAll('.fg-edge.highlight').forEach(e => e.classList.remove('highlight'));
    svg.querySelectorAll('.fg-edge').forEach(e => {
      if (e.dataset.source === id || e.dataset.target === id) e.classList.add('highlight');
    });
    svg.querySelectorAll('.fg-node').forEach(n => { if (n.dataset.id === id) n.classList.add('selected'); });
    if (window.fgShowDetails) window.fgShowDetails(id, panel);
  }
  svg.addEventListener('click', ev => {
    const node = ev.target.closest('.fg-node, .fg-cluster');
    if (node) select(node.dataset.id);
  });
  svg.addEventListener('keydown', ev => {
    const node = ev.target.closest('.fg-node');
    if (node && (ev.key === 'Enter' || ev.key === ' ')) { select(node.dataset.id); ev.preventDefault(); }
  });
  window.fgSelect = select;
  const zoom = document.getElementById('fg-zoom');
  if (zoom) zoom.addEventListener('click', () => {
    const fit = svg.classList.toggle('fit');
    zoom.textContent = fit ? 'actual size' : 'fit to width';
  });
})();
"""

_DETAILS_SCRIPT = r"""
(function () {
  const data = JSON.parse(document.getElementById('fg-data').textContent);
  function esc(s) { const d = document.createElement('div'); d.textContent = s; return d.innerHTML; }
  window.fgShowDetails = function (id, panel) {
    const n = data.nodes[id];
    if (!n || !panel) return;
    const rows = [['id', id], ['kind', n.kind], ['name', n.title]];
    if (n.task) rows.push(['task', n.task]);
    if (n.note) rows.push(['note', n.note]);
    const ins = data.edges.filter(e => e[1] === id).map(e => e[0] + (e[2] ? '  (' + e[2] + ')' : ''));
    const outs = data.edges.filter(e => e[0] === id).map(e => e[1] + (e[2] ? '  (' + e[2] + ')' : ''));
    if (ins.length) rows.push(['from', ins.join('\n')]);
    if (outs.length) rows.push(['to', outs.join('\n')]);
    panel.innerHTML = '<dl>' + rows.map(r => '<dt>' + esc(r[0]) + '</dt><dd>' + esc(r[1]) + '</dd>').join('') + '</dl>';
  };
})();
"""

_KINDS = [
    ("input", "#e8f1ff", "#4a78c2", "workflow input"),
    ("output", "#e9f7ef", "#3c8d5a", "workflow output"),
    ("task", "#ffffff", "#4a5568", "task"),
    ("dynamic", "#fff8e6", "#c08a1e", "@dynamic (expands at run time)"),
    ("map", "#f3ecff", "#7a55c7", "map_task"),
    ("conditional", "#fff1f0", "#c0504d", "conditional / branch"),
]


def _legend(graph: DisplayGraph) -> str:
    used = {n.kind for n in graph.nodes} | {"branch" if c.kind == "branch" else c.kind for c in graph.clusters}
    if "branch" in used:
        used.add("conditional")
    items = [f'<span style="--b:{fill};--c:{stroke}">{escape(text)}</span>'
             for kind, fill, stroke, text in _KINDS if kind in used]
    if any(c.kind == "workflow" for c in graph.clusters):
        items.append('<span style="--b:#f5f7fa;--c:#7b8794">sub-workflow</span>')
    return '<div class="legend">' + "".join(items) + "</div>"


def to_html(graph: DisplayGraph, *, source: str = "") -> str:
    layout = report_layout(graph)  # Graphviz dot when installed, else the built-in layout
    svg = draw_svg(graph, layout)
    counted = sum(1 for n in graph.nodes if n.kind not in ("input", "output"))
    meta = f"{counted} node{'s' if counted != 1 else ''}" + (f" · from {escape(source)}" if source else "")
    body = (
        f"<header><h1>Workflow {escape(graph.title)}</h1><div class=\"meta\">{meta}</div></header>\n"
        "<main>\n"
        f'<section id="fg-graph-section"><h2>Graph{ZOOM_BUTTON}</h2>{_legend(graph)}<div class="scroll">{svg}</div></section>\n'
        '<section><h2>Details</h2><div class="details" id="fg-details">Click a node to see its details.</div>'
        "</section>\n</main>"
    )
    data = {
        "title": graph.title,
        "nodes": {n.id: {"kind": n.kind, "title": n.title, "task": n.task, "note": n.note} for n in graph.nodes},
        "edges": [[e.source, e.target, e.label] for e in graph.edges],
    }
    return html_page(f"flowgen · {graph.title}", body, data=data, script=_DETAILS_SCRIPT + GRAPH_SCRIPT)
