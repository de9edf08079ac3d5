"""Run facts per display item: a side table keyed by display id (never stored on the graph).

========================  =====================================================================
display item              its facts
========================  =====================================================================
node with a record        the record's status, times, attempts, cache hit, error
node without a record     ``not-run`` (after a failure, or in a branch not taken)
workflow/dynamic cluster  the record of the node it expands (its span covers its children)
branch cluster            its members that ran, combined (``not-run`` when the branch was not taken)
group (see grouping)      its members combined; times span the members; durations add up
workflow input / output   none (drawn in their kind's colours)
========================  =====================================================================

Statuses combine as: any ``failed`` -> failed, any ``running`` -> running, all
``not-run`` -> not-run, all ``cached`` -> cached, all done -> succeeded, else ``mixed``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from flowgen.render.model import DisplayGraph
from flowgen.render.tree import build_tree
from flowgen.report.recorder import NodeRecord

__all__ = ["Facts", "combine_statuses", "compute_facts", "merge_facts"]


@dataclass
class Facts:
    status: str
    start: float | None = None
    end: float | None = None
    duration: float | None = None
    attempts: int = 0
    cached: int = 0
    errors: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)  # record paths behind the item
    counts: Counter[str] = field(default_factory=Counter)  # status -> count, over members
    data: list[str] = field(default_factory=list)  # files, folders and tables produced (data_facts)


def combine_statuses(statuses: Iterable[str]) -> str:
    found = set(statuses)
    if not found:
        return "not-run"
    for decisive in ("failed", "running"):
        if decisive in found:
            return decisive
    if found == {"not-run"}:
        return "not-run"
    if found == {"cached"}:
        return "cached"
    if found <= {"succeeded", "cached"}:
        return "succeeded"
    return "mixed"


def _from_record(record: NodeRecord) -> Facts:
    return Facts(
        status=record.status, start=record.start, end=record.end, duration=record.duration,
        attempts=record.attempts, cached=int(record.cached), errors=[record.error] if record.error else [],
        members=[record.path], counts=Counter([record.status]), data=list(record.data),
    )


def merge_facts(parts: list[Facts], members: list[str] | None = None) -> Facts:
    """Facts of several items at once (a group, a branch)."""
    counts: Counter[str] = Counter()
    for part in parts:
        counts.update(part.counts if part.counts else Counter([part.status]))
    starts = [p.start for p in parts if p.start is not None]
    ends = [p.end for p in parts if p.end is not None]
    durations = [p.duration for p in parts if p.duration is not None]
    return Facts(
        status=combine_statuses(counts.elements()),
        start=min(starts) if starts else None,
        end=max(ends) if ends else None,
        duration=sum(durations) if durations else None,
        attempts=sum(p.attempts for p in parts),
        cached=sum(p.cached for p in parts),
        errors=[e for p in parts for e in p.errors],
        members=members if members is not None else [m for p in parts for m in p.members],
        counts=counts,
    )


def compute_facts(graph: DisplayGraph, records: dict[str, NodeRecord]) -> dict[str, Facts]:
    facts: dict[str, Facts] = {}
    for node in graph.nodes:
        if node.kind in ("input", "output"):
            continue
        record = records.get(node.id)
        if record is not None:
            facts[node.id] = _from_record(record)
        elif node.kind != "branch":  # an empty branch has no record of its own, taken or not
            facts[node.id] = Facts("not-run", counts=Counter(["not-run"]))
    tree = build_tree(graph)
    # Innermost clusters first, so a branch inside a branch is known before its parent.
    for cluster in sorted(graph.clusters, key=lambda c: c.id.count("."), reverse=True):
        record = records.get(cluster.id)
        if record is not None:
            facts[cluster.id] = _from_record(record)
            continue
        parts = [facts[item] for _, item in tree.members(cluster.id) if item in facts]
        ran = [p for p in parts if p.status != "not-run"]
        parts = ran or parts  # a branch that was taken is as good as what ran in it
        facts[cluster.id] = merge_facts(parts) if parts else Facts("not-run", counts=Counter(["not-run"]))
    return facts
