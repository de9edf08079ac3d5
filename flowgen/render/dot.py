"""Graphviz DOT text of a display graph (``dot -Tsvg`` draws it; see :mod:`flowgen.render.svg`).

Decisions: node ids are the display ids, quoted (DOT accepts any quoted
string); clusters become ``subgraph "cluster_<id>"``; an edge that ends on a
cluster (an expanded ``@dynamic`` in a run report) is drawn to a node inside it
with ``lhead``/``ltail`` (``compound=true``), and an empty cluster gets a small
placeholder node so Graphviz draws it. Shapes and styles say the node kind, as
in the Mermaid output. Output is deterministic (IR order), so golden files pin it.
"""

from __future__ import annotations

from flowgen.render.model import DisplayGraph, DisplayNode
from flowgen.render.tree import Tree, build_tree

__all__ = ["to_dot"]

_NODE_STYLE = {
    "input": 'shape=ellipse, style="filled", fillcolor="#e8f1ff", color="#4a78c2"',
    "output": 'shape=ellipse, style="filled", fillcolor="#e9f7ef", color="#3c8d5a"',
    "task": 'shape=box, style="rounded,filled", fillcolor="#ffffff", color="#4a5568"',
    "dynamic": 'shape=box, style="rounded,filled,dashed", fillcolor="#fff8e6", color="#c08a1e"',
    "map": 'shape=box3d, style="filled", fillcolor="#f3ecff", color="#7a55c7"',
    "workflow": 'shape=component, style="filled", fillcolor="#ffffff", color="#4a5568"',
    "conditional": 'shape=diamond, style="filled", fillcolor="#fff1f0", color="#c0504d"',
    "branch": 'shape=note, style="filled,dashed", fillcolor="#fff1f0", color="#c0504d"',
    "group": 'shape=box3d, style="filled", fillcolor="#f7f7f7", color="#4a5568"',
}

_CLUSTER_STYLE = {
    "workflow": 'style="rounded"; color="#4a5568"',
    "dynamic": 'style="rounded,dashed"; color="#c08a1e"',
    "branch": 'style="dashed"; color="#c0504d"',
}


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _node_label(node: DisplayNode) -> str:
    return "\n".join(line for line in (node.title, node.subtitle, node.note) if line)


def _placeholder(cluster: str) -> str:
    return f"{cluster}:empty"


def _emit(tree: Tree, container: str | None, depth: int, out: list[str]) -> None:
    pad = "  " * depth
    for kind, item in tree.members(container):
        if kind == "node":
            node = tree.nodes[item]
            out.append(f"{pad}{quote(item)} [label={quote(_node_label(node))}, {_NODE_STYLE[node.kind]}];")
            continue
        cluster = tree.clusters[item]
        out.append(f"{pad}subgraph {quote('cluster_' + item)} {{")
        out.append(f"{pad}  label={quote(cluster.title + chr(10) + cluster.subtitle)}; {_CLUSTER_STYLE[cluster.kind]};")
        if not tree.members(item):
            out.append(f'{pad}  {quote(_placeholder(item))} [label="(no nodes)", shape=plaintext];')
        _emit(tree, item, depth + 1, out)
        out.append(f"{pad}}}")


def _anchor(tree: Tree, item: str) -> tuple[str, str | None]:
    """The node an edge attaches to, and the cluster to clip it at (``lhead``/``ltail``)."""
    if item in tree.nodes:
        return item, None
    inner = tree.descendant_nodes(item)
    return (inner[0] if inner else _placeholder(item)), "cluster_" + item


def to_dot(graph: DisplayGraph) -> str:
    tree = build_tree(graph)
    out = [
        f"// flowgen graph of workflow {graph.title}",
        f"digraph {quote(graph.title)} {{",
        '  graph [rankdir=TB, compound=true, fontname="Helvetica", fontsize=11, labeljust=l];',
        '  node [fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=9, color="#718096", fontcolor="#4a5568"];',
    ]
    _emit(tree, None, 1, out)
    for edge in graph.edges:
        source, ltail = _anchor(tree, edge.source)
        target, lhead = _anchor(tree, edge.target)
        attrs = []
        if edge.label:
            attrs.append(f"label={quote(edge.label)}")
        if edge.kind != "data":
            attrs.append("style=dashed")
        if ltail:
            attrs.append(f"ltail={quote(ltail)}")
        if lhead:
            attrs.append(f"lhead={quote(lhead)}")
        suffix = f" [{', '.join(attrs)}]" if attrs else ""
        out.append(f"  {quote(source)} -> {quote(target)}{suffix};")
    out.append("}")
    return "\n".join(out) + "\n"
