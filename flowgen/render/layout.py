"""A small layered layout for HTML pictures (no Graphviz, no JavaScript library, no network).

The HTML graph and the run report are laid out by Graphviz ``dot`` when it is
installed (:mod:`flowgen.render.dot_layout`, which routes edges around nodes);
without it they fall back to this layout, computed here in Python, so they can
always be written and open anywhere, offline:

1. *Nesting*: each cluster is laid out on its own, bottom-up, and then placed
   in its parent as one big box (a compound node).
2. *Lifting*: an edge between two items is attributed to the innermost
   container holding both ends, between the children of that container that
   hold each end; every container sees only edges between its own children.
3. *Layers*: longest path from the sources (Kahn's algorithm); rows top-down.
4. *Order*: in each row, items start in IR order and are re-sorted twice by the
   barycenter of their neighbours in the rows above (then below), which
   removes most crossings of fan-out/fan-in shapes.
5. *Coordinates*: each row is centred; edges are drawn later between
   absolute boxes, with ports spread along the box edges.

Everything is linear or ``n log n`` in the number of items, so a grouped
report of a 10,000-node run lays out in milliseconds. Output is deterministic.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from flowgen.render.model import DisplayGraph, DisplayNode
from flowgen.render.tree import Tree, build_tree

__all__ = ["Box", "Layout", "cluster_title", "layout_graph", "node_lines", "node_size"]

NODE_MIN_WIDTH = 96.0
NODE_MAX_WIDTH = 260.0
LINE_HEIGHT = 15.0
NODE_PAD_Y = 10.0
GAP_X = 28.0
GAP_Y = 46.0
CLUSTER_PAD = 14.0
CLUSTER_HEADER = 34.0
CHAR_WIDTH = 7.0  # of 12px sans-serif, roughly; text longer than a box is cut with an ellipsis


@dataclass
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2


@dataclass
class Layout:
    width: float
    height: float
    boxes: dict[str, Box]  # nodes and clusters, absolute
    tree: Tree
    # Edge index -> its route, when a layout engine routed it (flowgen.render.dot_layout): cubic
    # Bézier control points (3n+1), then the arrow's tip when it is apart from the last one (3n+2).
    routes: dict[int, list[tuple[float, float]]] = field(default_factory=dict)


def node_lines(node: DisplayNode, extra: str = "") -> list[tuple[str, str]]:
    """The text lines of a node's box, each with its CSS class."""
    lines = (("fg-title", node.title), ("fg-sub", node.subtitle), ("fg-note", node.note), ("fg-extra", extra))
    return [(cls, text) for cls, text in lines if text]


def node_size(lines: list[tuple[str, str]]) -> tuple[float, float]:
    """Width and height of a node box with these text lines."""
    longest = max((len(text) for _, text in lines), default=4)
    width = min(max(NODE_MIN_WIDTH, longest * CHAR_WIDTH + 24), NODE_MAX_WIDTH)
    return width, NODE_PAD_Y * 2 + LINE_HEIGHT * len(lines)


def cluster_title(tree: Tree, cluster: str) -> str:
    found = tree.clusters[cluster]
    return f"{found.title} · {found.subtitle}"


def cluster_title_width(tree: Tree, cluster: str | None, extra: dict[str, str]) -> float:
    if cluster is None:
        return 0.0
    longest = max(len(cluster_title(tree, cluster)), len(extra.get(cluster, "")))
    return min(longest * CHAR_WIDTH + 24, 2 * NODE_MAX_WIDTH)


def _container_chain(tree: Tree, item: str) -> list[str | None]:
    chain: list[str | None] = []
    parent = tree.container_of(item)
    while parent is not None:
        chain.append(parent)
        parent = tree.container_of(parent)
    chain.append(None)
    return chain


def _lift(tree: Tree, graph: DisplayGraph) -> dict[str | None, list[tuple[str, str]]]:
    lifted: dict[str | None, list[tuple[str, str]]] = defaultdict(list)
    chains: dict[str, list[str | None]] = {}
    for edge in graph.edges:
        if (edge.source not in tree.nodes and edge.source not in tree.clusters) or (
                edge.target not in tree.nodes and edge.target not in tree.clusters):
            continue
        cs = chains.setdefault(edge.source, _container_chain(tree, edge.source))
        ct = chains.setdefault(edge.target, _container_chain(tree, edge.target))
        ancestors_t = set(ct)
        i = next(k for k, c in enumerate(cs) if c in ancestors_t)  # cs and ct both end with the top (None)
        container = cs[i]
        s_child = [edge.source, *cs][i]
        t_child = [edge.target, *ct][ct.index(container)]
        if s_child != t_child and s_child is not None and t_child is not None:
            lifted[container].append((s_child, t_child))
    return lifted


def _layers(items: list[str], edges: list[tuple[str, str]]) -> dict[str, int]:
    index = {item: i for i, item in enumerate(items)}
    succ: dict[str, list[str]] = defaultdict(list)
    indegree = dict.fromkeys(items, 0)
    for s, t in set(edges):
        succ[s].append(t)
        indegree[t] += 1
    layer = dict.fromkeys(items, 0)
    ready = sorted((i for i in items if indegree[i] == 0), key=index.__getitem__)
    done: set[str] = set()
    while ready:
        item = ready.pop()
        done.add(item)
        for t in succ[item]:
            layer[t] = max(layer[t], layer[item] + 1)
            indegree[t] -= 1
            if indegree[t] == 0:
                ready.append(t)
    if len(done) < len(items):  # a cycle cannot come from IR; still, never loop or crash
        top = max(layer.values(), default=0) + 1
        for item in items:
            if item not in done:
                layer[item] = top
    return layer


def _order_rows(items: list[str], edges: list[tuple[str, str]], layer: dict[str, int]) -> list[list[str]]:
    rows: list[list[str]] = [[] for _ in range(max(layer.values(), default=0) + 1)]
    for item in items:
        rows[layer[item]].append(item)
    preds: dict[str, list[str]] = defaultdict(list)
    succs: dict[str, list[str]] = defaultdict(list)
    for s, t in edges:
        preds[t].append(s)
        succs[s].append(t)

    def sweep(sequence: list[list[str]], neighbours: dict[str, list[str]]) -> None:
        position: dict[str, float] = {}
        for row in sequence:
            for i, item in enumerate(row):
                position.setdefault(item, (i + 0.5) / len(row))
        for row in sequence:
            def key(item: str, row: list[str] = row) -> float:
                known = [position[n] for n in neighbours[item] if n in position and n not in row]
                return sum(known) / len(known) if known else position[item]
            row.sort(key=key)
            for i, item in enumerate(row):
                position[item] = (i + 0.5) / len(row)

    sweep(rows, preds)
    sweep(list(reversed(rows)), succs)
    sweep(rows, preds)
    return rows


def layout_graph(graph: DisplayGraph, extra_lines: dict[str, str] | None = None) -> Layout:
    """Absolute boxes for every node and cluster of ``graph``; ``extra_lines`` adds a line to a node."""
    tree = build_tree(graph)
    lifted = _lift(tree, graph)
    extra = extra_lines or {}
    sizes: dict[str, tuple[float, float]] = {}
    relative: dict[str, tuple[float, float]] = {}  # item -> offset inside its container

    def lay(container: str | None) -> tuple[float, float]:
        members = [item for _, item in tree.members(container)]
        for kind, item in tree.members(container):
            if kind == "node":
                sizes[item] = node_size(node_lines(tree.nodes[item], extra.get(item, "")))
            else:
                sizes[item] = lay(item)
        top = CLUSTER_HEADER if container is not None else 0.0
        side = CLUSTER_PAD if container is not None else 0.0
        title_width = cluster_title_width(tree, container, extra) - 2 * side
        if not members:
            return max(NODE_MIN_WIDTH, title_width) + 2 * side, top + 2 * LINE_HEIGHT + side
        edges = lifted.get(container, [])
        rows = _order_rows(members, edges, _layers(members, edges))
        widths = [sum(sizes[i][0] for i in row) + GAP_X * (len(row) - 1) for row in rows]
        inner_width = max(max(widths), title_width)
        y = top
        for row, row_width in zip(rows, widths):
            height = max(sizes[i][1] for i in row)
            x = side + (inner_width - row_width) / 2
            for item in row:
                w, h = sizes[item]
                relative[item] = (x, y + (height - h) / 2)
                x += w + GAP_X
            y += height + GAP_Y
        return inner_width + 2 * side, y - GAP_Y + side

    width, height = lay(None)
    boxes: dict[str, Box] = {}

    def place(container: str | None, ox: float, oy: float) -> None:
        for kind, item in tree.members(container):
            rx, ry = relative[item]
            w, h = sizes[item]
            boxes[item] = Box(ox + rx, oy + ry, w, h)
            if kind == "cluster":
                place(item, ox + rx, oy + ry)

    place(None, 0.0, 0.0)
    return Layout(width, height, boxes, tree)
