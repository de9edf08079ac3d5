"""The nesting of a display graph: which nodes and clusters sit directly in which cluster.

Renderers walk this tree (Mermaid ``subgraph``, DOT ``cluster_``, HTML boxes).
A cluster is listed in its parent where its first member appears, so the
output follows IR order; a cluster with no members goes after its siblings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flowgen.render.model import DisplayCluster, DisplayGraph, DisplayNode

__all__ = ["Tree", "build_tree"]


@dataclass
class Tree:
    """``children[None]`` is the top level; each entry is ``("node", id)`` or ``("cluster", id)``."""

    nodes: dict[str, DisplayNode]
    clusters: dict[str, DisplayCluster]
    children: dict[str | None, list[tuple[str, str]]] = field(default_factory=dict)

    def members(self, cluster: str | None) -> list[tuple[str, str]]:
        return self.children.get(cluster, [])

    def descendant_nodes(self, cluster: str) -> list[str]:
        found: list[str] = []
        for kind, item in self.members(cluster):
            if kind == "node":
                found.append(item)
            else:
                found += self.descendant_nodes(item)
        return found

    def container_of(self, item: str) -> str | None:
        if item in self.nodes:
            return self.nodes[item].parent
        cluster = self.clusters.get(item)
        return cluster.parent if cluster is not None else None


def build_tree(graph: DisplayGraph) -> Tree:
    tree = Tree({n.id: n for n in graph.nodes}, {c.id: c for c in graph.clusters})
    placed: set[str] = set()

    def place(cluster_id: str) -> None:
        if cluster_id in placed:
            return
        placed.add(cluster_id)
        cluster = tree.clusters[cluster_id]
        if cluster.parent is not None and cluster.parent in tree.clusters:
            place(cluster.parent)
            tree.children.setdefault(cluster.parent, []).append(("cluster", cluster_id))
        else:
            tree.children.setdefault(None, []).append(("cluster", cluster_id))

    for node in graph.nodes:
        parent = node.parent if node.parent in tree.clusters else None
        if parent is not None:
            place(parent)
        tree.children.setdefault(parent, []).append(("node", node.id))
    for cluster in graph.clusters:
        place(cluster.id)
    return tree
