"""Grouping repeated nodes so a picture of a 10,000-node run stays readable.

A ``@dynamic`` that loops makes many nodes running the same task side by side.
Within one container (the top level or one cluster), items that run the same
thing (same kind and task, or same kind of cluster with the same title) are
collapsed into one ``group`` node when there are more than ``threshold`` of
them; a collapsed cluster takes everything inside it along. Edges are remapped
to the groups, edges inside a group are dropped, and parallel edges merge (the
label says how many). Containers are visited outermost first, so a group never
sits inside something already collapsed. The pass is pure: graph and facts in,
new graph and facts out.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from flowgen.render.model import DisplayEdge, DisplayGraph, DisplayNode, EdgeKind
from flowgen.render.tree import Tree, build_tree
from flowgen.report.facts import Facts, merge_facts

__all__ = ["DEFAULT_GROUP_THRESHOLD", "Grouped", "group_repeated", "status_summary"]

DEFAULT_GROUP_THRESHOLD = 12


@dataclass(frozen=True)
class Grouped:
    graph: DisplayGraph
    facts: dict[str, Facts]
    group_of: dict[str, str]  # collapsed display id -> its group's id


def status_summary(counts: Counter[str]) -> str:
    order = ("failed", "running", "succeeded", "cached", "mixed", "not-run")
    return " · ".join(f"{counts[s]} {s}" for s in order if counts.get(s))


def _key(tree: Tree, kind: str, item: str) -> tuple[str, str, str] | None:
    if kind == "node":
        node = tree.nodes[item]
        if node.kind in ("input", "output", "branch"):
            return None
        return ("node", node.kind, node.task or node.title)
    cluster = tree.clusters[item]
    if cluster.kind == "branch":
        return None
    return ("cluster", cluster.kind, cluster.title)


def group_repeated(graph: DisplayGraph, facts: dict[str, Facts],
                   threshold: int = DEFAULT_GROUP_THRESHOLD) -> Grouped:
    tree = build_tree(graph)
    group_of: dict[str, str] = {}
    groups: dict[str, DisplayNode] = {}
    group_facts: dict[str, Facts] = {}

    def descendants(cluster: str) -> list[str]:
        found = []
        for kind, item in tree.members(cluster):
            found.append(item)
            if kind == "cluster":
                found += descendants(item)
        return found

    def visit(container: str | None) -> None:
        buckets: dict[tuple[str, str, str], list[tuple[str, str]]] = defaultdict(list)
        for kind, item in tree.members(container):
            key = _key(tree, kind, item)
            if key is not None:
                buckets[key].append((kind, item))
        collapsed: set[str] = set()
        for (_, item_kind, name), items in buckets.items():
            if len(items) <= threshold:
                continue
            group_id = f"group:{container or ''}:{item_kind}:{name}"
            covered: list[str] = []
            for kind, item in items:
                covered.append(item)
                if kind == "cluster":
                    covered += descendants(item)
                collapsed.add(item)
            for item in covered:
                group_of[item] = group_id
            # Branch clusters only summarize their members: count each record once.
            own = [i for i in covered if i in facts and (i in tree.nodes or tree.clusters[i].kind != "branch")]
            merged = merge_facts([facts[i] for i in own])
            group_facts[group_id] = merged
            short = name.rpartition(".")[2] or name
            where = f"in {container}" if container else "at the top level"
            groups[group_id] = DisplayNode(
                group_id, "group", f"{short} ×{len(items)}", f"{len(items)} {item_kind} nodes {where}",
                status_summary(merged.counts), container, name,
            )
        for kind, item in tree.members(container):
            if kind == "cluster" and item not in collapsed:
                visit(item)

    visit(None)
    if not groups:
        return Grouped(graph, facts, {})

    nodes: list[DisplayNode] = []
    emitted: set[str] = set()
    for node in graph.nodes:
        group_id = group_of.get(node.id)
        if group_id is None:
            nodes.append(node)
        elif group_id not in emitted:
            emitted.add(group_id)
            nodes.append(groups[group_id])
    for group_id, group in groups.items():  # groups made only of empty clusters
        if group_id not in emitted:
            nodes.append(group)
    clusters = tuple(c for c in graph.clusters if c.id not in group_of)
    edges = _merge_edges(graph.edges, group_of)
    new_facts = {k: v for k, v in facts.items() if k not in group_of}
    new_facts.update(group_facts)
    return Grouped(DisplayGraph(graph.title, tuple(nodes), clusters, edges), new_facts, group_of)


def _merge_edges(edges: tuple[DisplayEdge, ...], group_of: dict[str, str]) -> tuple[DisplayEdge, ...]:
    merged: dict[tuple[str, str, EdgeKind], list[str]] = {}
    for edge in edges:
        source = group_of.get(edge.source, edge.source)
        target = group_of.get(edge.target, edge.target)
        if source == target:
            continue
        merged.setdefault((source, target, edge.kind), []).append(edge.label)
    out = []
    for (source, target, kind), labels in merged.items():
        distinct = list(dict.fromkeys(label for label in labels if label))
        if len(distinct) > 1:
            label = ", ".join(distinct[:3]) + (", …" if len(distinct) > 3 else "")
        else:
            label = distinct[0] if distinct else ""
            if len(labels) > 1 and label:
                label += f" ×{len(labels)}"
        out.append(DisplayEdge(source, target, label, kind))
    return tuple(out)

