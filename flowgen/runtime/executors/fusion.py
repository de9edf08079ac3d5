"""Task fusion: which task nodes of a graph run together, as one executor call.

On Dask every call costs the scheduler a few hundred microseconds, whatever the task
does, so a graph of 10,000 trivial tasks is as slow as its bookkeeping. Dask's own graph
optimisation (``dask.optimization.fuse``) answers with *fusion*: a task whose result only
one other task reads runs inside that task's call. flowgen does the same on the IR,
before submitting, with the same structural rule and no knowledge of task durations:

* a task node ``m`` may join its reader ``n`` when ``m`` is a plain task node read by
  exactly one node of the graph, ``n`` (also a task node), and by none of the graph's
  outputs (so nothing outside the group ever needs ``m``'s own value);
* ``n`` takes *all* of its joinable inputs' groups or none, and only while the merged
  group stays narrow: ``size / height <= MAX_AVE_WIDTH`` (2), Dask's ``ave_width``. A chain
  fuses (width 1), and so does a chain in which each step also reads one fresh leaf (the
  reference example's ``update_list(freq, return_index(c))``, width 2); a node reading
  many independent tasks (a gather of 64 sleeps) does not, so they still run in parallel.
  The price of width 2: two independent tasks feeding one reader run one after the other.
* a group holds at most ``MAX_GROUP`` nodes, so a long chain is a few calls, not one.

The result is a list of groups (node ids in an order that runs them, the root last).
A group of one is an ordinary call.

**Chunks** (:func:`chunk_groups`) answer the other shape fusion leaves alone: many
independent tasks ready at once (a fan-out, or the leaves of a fan-in). Each *unit* (a
fused group, or a task node in none) that reads exactly the same outside nodes becomes
ready at the same moment as the others of its bucket; a bucket of more units than
``CHUNKS_PER_SLOT`` times the executor's slots (its worker threads) is cut into that many
chunks of about equal node counts (more, so that no chunk holds much more than
``MAX_CHUNK`` nodes), and each chunk is one call that runs its units one after the other
and returns every unit's outputs. With tiny tasks the bookkeeping of a few calls replaces
that of thousands; with long ones, ``slots * CHUNKS_PER_SLOT`` chunks still keep every
slot busy (equal tasks take as long as unchunked; unequal ones may take longer, the
price of not knowing durations, as with ``client.map(..., batch_size=)``). The items of a
``map_task`` (without a ``concurrency`` limit) are chunked by the same rule (:func:`item_chunks`). What a fused call does is in
:func:`flowgen.runtime.executors.units.run_fused`: each member runs through the same
``TaskUnit.execute`` as an unfused call (validation, cache, retries, timeout, errors),
so fusion changes where calls run, never what they produce.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from flowgen.ir.model import Node, TaskNode
from flowgen.runtime.bindings import node_sources

__all__ = ["CHUNKS_PER_SLOT", "MAX_AVE_WIDTH", "MAX_CHUNK", "MAX_GROUP", "chunk_groups", "fuse_groups", "item_chunks"]

MAX_AVE_WIDTH = 2.0
MAX_GROUP = 512
CHUNKS_PER_SLOT = 2
MAX_CHUNK = 512


def fuse_groups(nodes: Sequence[Node], output_sources: Iterable[str]) -> list[list[str]]:
    """The groups of two or more task nodes of ``nodes`` that run as one call each (see the module)."""
    own = {node.id: node for node in nodes}
    sources = {node.id: list(dict.fromkeys(node_sources(node))) for node in nodes}
    readers: dict[str, int] = dict.fromkeys(output_sources, 1)
    for node_id in own:
        for source in sources[node_id]:
            readers[source] = readers.get(source, 0) + 1
    group: dict[str, list[str]] = {}  # a root's members, in running order
    height: dict[str, int] = {}
    for node in _topological(nodes, sources):
        if type(node) is not TaskNode:
            continue
        joinable = [s for s in sources[node.id]
                    if readers.get(s) == 1 and type(own.get(s)) is TaskNode and s in group]
        size = 1 + sum(len(group[s]) for s in joinable)
        tall = 1 + max((height[s] for s in joinable), default=0)
        if joinable and size / tall <= MAX_AVE_WIDTH and size <= MAX_GROUP:
            joinable.sort(key=lambda s: len(group[s]), reverse=True)
            members = group.pop(joinable[0])  # extended in place: a long chain is not copied at each step
            for s in joinable[1:]:
                members += group.pop(s)
            members.append(node.id)
            group[node.id] = members
            height[node.id] = tall
        else:
            group[node.id] = [node.id]
            height[node.id] = 1
    return [members for members in group.values() if len(members) > 1]


def chunk_groups(nodes: Sequence[Node], groups: Sequence[Sequence[str]], slots: int) -> list[list[list[str]]]:
    """The chunks of two or more units of ``nodes`` that run as one call each (see the module).

    ``groups``: the fused groups (:func:`fuse_groups`); every other task node is a unit of its
    own. A chunk is a list of units in node order; ``slots``: how many calls run at once.
    """
    own = {node.id: node for node in nodes}
    order = {node.id: k for k, node in enumerate(nodes)}
    grouped = {i for group in groups for i in group}
    units = [list(group) for group in groups]
    units += [[node.id] for node in nodes if type(node) is TaskNode and node.id not in grouped]
    units.sort(key=lambda unit: order[unit[-1]])
    buckets: dict[frozenset[str], list[list[str]]] = {}
    for unit in units:
        inside = set(unit)
        reads = frozenset(s for i in unit for s in node_sources(own[i]) if s not in inside)
        buckets.setdefault(reads, []).append(unit)
    chunks: list[list[list[str]]] = []
    for bucket in buckets.values():
        chunks.extend(chunk for chunk in _split(bucket, slots) if len(chunk) > 1)
    return chunks


def item_chunks(count: int, slots: int) -> list[tuple[int, int]]:
    """A ``map_task``'s ``count`` items as consecutive ``(start, stop)`` chunks, by the same rule as
    :func:`chunk_groups` (its items are ready together); ``[]`` when each item should be a call."""
    chunks = min(count, max(slots * CHUNKS_PER_SLOT, -(-count // MAX_CHUNK)))
    if not slots or chunks >= count:
        return []
    return [(count * k // chunks, count * (k + 1) // chunks) for k in range(chunks)]


def _split(units: list[list[str]], slots: int) -> list[list[list[str]]]:
    """``units`` cut into consecutive chunks of about equal node counts (see the module)."""
    nodes = sum(len(unit) for unit in units)
    count = min(len(units), max(slots * CHUNKS_PER_SLOT, -(-nodes // MAX_CHUNK)))
    if count >= len(units):
        return [[unit] for unit in units]
    chunks: list[list[list[str]]] = [[]]
    seen = 0
    for unit in units:
        if chunks[-1] and seen >= nodes * len(chunks) / count:
            chunks.append([])
        chunks[-1].append(unit)
        seen += len(unit)
    return chunks


def _topological(nodes: Sequence[Node], sources: dict[str, list[str]]) -> list[Node]:
    """``nodes`` in an order where each comes after the nodes (of ``nodes``) it reads."""
    own = {node.id: node for node in nodes}
    waiting = {node.id: sum(1 for s in sources[node.id] if s in own) for node in nodes}
    readers: dict[str, list[str]] = {}
    for node in nodes:
        for s in sources[node.id]:
            if s in own:
                readers.setdefault(s, []).append(node.id)
    order: list[Node] = []
    ready = [node.id for node in nodes if waiting[node.id] == 0]
    while ready:
        node_id = ready.pop()
        order.append(own[node_id])
        for reader in readers.get(node_id, ()):
            waiting[reader] -= 1
            if waiting[reader] == 0:
                ready.append(reader)
    return order
