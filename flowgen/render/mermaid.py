"""Mermaid flowchart text of a display graph (pastes into GitHub Markdown, Notion, mermaid.live).

Decisions: ids are mangled to ``[A-Za-z0-9_]`` (``n1.n0`` -> ``n1_n0``,
``input:x`` -> ``input_x``; IR ids never hold ``_``, so no two collide); every
label is quoted with Mermaid's entity codes for ``"``, ``|``, ``<`` and ``>``;
shapes say the node kind (stadium: workflow input/output, hexagon: ``@dynamic``,
subroutine: ``map_task``, rhombus: ``conditional``), and a ``classDef`` per kind
styles them. Output is deterministic (IR order), so golden files pin it.
"""

from __future__ import annotations

from flowgen.render.model import DisplayGraph, DisplayNode
from flowgen.render.tree import Tree, build_tree

__all__ = ["to_mermaid"]

_SHAPES = {
    "input": ('(["', '"])'),
    "output": ('(["', '"])'),
    "task": ('["', '"]'),
    "dynamic": ('{{"', '"}}'),
    "map": ('[["', '"]]'),
    "workflow": ('[["', '"]]'),
    "conditional": ('{"', '"}'),
    "branch": ('>"', '"]'),
    "group": ('[["', '"]]'),
}

_CLASSES = {
    "input": "fill:#e8f1ff,stroke:#4a78c2",
    "output": "fill:#e9f7ef,stroke:#3c8d5a",
    "task": "fill:#ffffff,stroke:#4a5568",
    "dynamic": "fill:#fff8e6,stroke:#c08a1e,stroke-dasharray:5 3",
    "map": "fill:#f3ecff,stroke:#7a55c7",
    "workflow": "fill:#ffffff,stroke:#4a5568",
    "conditional": "fill:#fff1f0,stroke:#c0504d",
    "branch": "fill:#fff1f0,stroke:#c0504d,stroke-dasharray:3 3",
    "group": "fill:#f7f7f7,stroke:#4a5568",
}


def mermaid_id(item: str) -> str:
    return "".join(c if c.isalnum() or c == "_" else "_" for c in item)


def _escape(text: str) -> str:
    return (text.replace("&", "#amp;").replace('"', "#quot;").replace("|", "#124;")
            .replace("<", "#lt;").replace(">", "#gt;"))


def _node_label(node: DisplayNode) -> str:
    lines = [node.title, node.subtitle] + ([node.note] if node.note else [])
    return "<br/>".join(_escape(line) for line in lines if line)


def _emit(tree: Tree, container: str | None, depth: int, out: list[str]) -> None:
    pad = "    " * depth
    for kind, item in tree.members(container):
        if kind == "node":
            node = tree.nodes[item]
            open_, close = _SHAPES[node.kind]
            out.append(f"{pad}{mermaid_id(item)}{open_}{_node_label(node)}{close}:::{node.kind}")
        else:
            cluster = tree.clusters[item]
            title = _escape(f"{cluster.title} · {cluster.subtitle}")
            out.append(f'{pad}subgraph {mermaid_id(item)}["{title}"]')
            _emit(tree, item, depth + 1, out)
            out.append(f"{pad}end")


def to_mermaid(graph: DisplayGraph) -> str:
    tree = build_tree(graph)
    out = [f"%% flowgen graph of workflow {graph.title}", "flowchart TD"]
    _emit(tree, None, 1, out)
    for edge in graph.edges:
        arrow = "-->" if edge.kind == "data" else "-.->"
        label = f'|"{_escape(edge.label)}"|' if edge.label else ""
        out.append(f"    {mermaid_id(edge.source)} {arrow}{label} {mermaid_id(edge.target)}")
    used = sorted({n.kind for n in graph.nodes})
    for kind in used:
        out.append(f"    classDef {kind} {_CLASSES[kind]}")
    return "\n".join(out) + "\n"
