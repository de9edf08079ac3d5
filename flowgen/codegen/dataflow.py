"""What the emitter needs to know about a workflow's data flow: who reads what, and fan-outs.

* :func:`reads` / :func:`node_reads`: every ``(node, output)`` a binding reads, so that a
  value nothing reads is named like a dummy and a long body can ``del`` each value after
  its last reader.
* :func:`fan_runs`: runs of identical task calls (a fan-out made by a loop), emitted as one
  line each -- ``n0_n19999_inc: list[int] = _n_fan_inc.fan(_p, "n", 0, 20000, x=x)`` --
  so that a module's size grows with its node *shapes*, not its node count. A run is
  :data:`FAN_FROM` or more consecutive top-level task nodes with the same task, call site
  and inputs, no ``>>`` ordering, one output, inputs that may be one shared object for
  every node (no list or dict literal: a fast body evaluates the inputs once), and ids ``<prefix><k>``, ``<prefix><k+1>``...
  Shorter runs stay one line per node, so small modules read as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flowgen.ir.model import (
    Binding,
    BoolOp,
    Comparison,
    Condition,
    ConditionalNode,
    DictBinding,
    InputRef,
    ListBinding,
    LiteralBinding,
    Node,
    NodeOutputRef,
    Program,
    TaskNode,
    WorkflowSpec,
)

__all__ = ["FAN_FROM", "FanRun", "binding_reads", "fan_runs", "node_reads", "reads"]

# Runs of this many identical task nodes or more are one line (a fan-out).
FAN_FROM = 16

_NUMBERED = re.compile(r"^(.*?)([1-9][0-9]*|0)$")


def binding_reads(b: Binding) -> list[tuple[str, str]]:
    if isinstance(b, NodeOutputRef):
        return [(b.node, b.output)]
    if isinstance(b, ListBinding):
        return [r for item in b.items for r in binding_reads(item)]
    if isinstance(b, DictBinding):
        return [r for _, item in b.items for r in binding_reads(item)]
    return []


def _condition_reads(c: Condition) -> list[tuple[str, str]]:
    if isinstance(c, Comparison):
        return binding_reads(c.left) + binding_reads(c.right)
    if isinstance(c, BoolOp):
        return _condition_reads(c.left) + _condition_reads(c.right)
    return binding_reads(c.operand)


def node_reads(node: Node) -> set[tuple[str, str]]:
    """Every (node, output) a node's bindings read, its branches' nodes and outputs included."""
    if not isinstance(node, ConditionalNode):
        return {r for b in node.inputs.values() for r in binding_reads(b)}
    found = {r for case in node.cases for r in _condition_reads(case.condition)}
    for branch in (*(c.branch for c in node.cases), node.else_branch):
        for inner in branch.nodes:
            found |= node_reads(inner)
        found.update(r for b in branch.outputs.values() for r in binding_reads(b))
    return found


def reads(wf: WorkflowSpec) -> set[tuple[str, str]]:
    """Every (node, output) some binding of the workflow reads."""
    found = {r for n in wf.nodes for r in node_reads(n)}
    found.update(r for b in wf.outputs.values() for r in binding_reads(b))
    return found


@dataclass(frozen=True)
class FanRun:
    """``count`` nodes from ``nodes[start]``: ids ``f"{ids}{first}"`` ... ``f"{ids}{first + count - 1}"``."""

    start: int
    count: int
    ids: str
    first: int


def _shareable(b: Binding) -> bool:
    """Whether every node of a run may get the same object for ``b`` (a fast body passes it once)."""
    if isinstance(b, LiteralBinding):
        return not isinstance(b.value, (list, dict))
    return isinstance(b, (InputRef, NodeOutputRef))


def _can_fan(program: Program, node: TaskNode) -> bool:
    """One output, and inputs (defaults too) that are the same object for every node of a run."""
    spec = program.tasks.get(node.task)
    if spec is None or spec.interface.output_form != "single":
        return False
    defaults = [p.default for p in spec.interface.inputs if p.name not in node.inputs]
    return all(_shareable(b) for b in node.inputs.values()) and not any(isinstance(d, (list, dict)) for d in defaults)


def fan_runs(program: Program, nodes: tuple[Node, ...] | list[Node]) -> dict[int, FanRun]:
    """The fan-out runs among a body's top-level ``nodes``, by the index of their first node."""
    runs: dict[int, FanRun] = {}
    i = 0
    while i < len(nodes):
        head = nodes[i]
        numbered = _NUMBERED.match(head.id)
        j = i + 1
        if type(head) is TaskNode and numbered and not head.upstream and _can_fan(program, head):
            ids, first = numbered.group(1), int(numbered.group(2))
            while j < len(nodes):
                other = nodes[j]
                if not (type(other) is TaskNode and other.id == f"{ids}{first + j - i}" and other.task == head.task
                        and other.call_site == head.call_site and other.inputs == head.inputs and not other.upstream):
                    break
                j += 1
            if j - i >= FAN_FROM:
                runs[i] = FanRun(i, j - i, ids, first)
            else:
                j = i + 1
        i = j
    return runs
