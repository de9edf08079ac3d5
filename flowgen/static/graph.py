"""The graph a body builds while the static compiler runs it (mirror of the tracer's GraphBuilder).

Node ids, the order nodes are appended, branch prefixes of conditionals and the
way ``a >> b`` adds an upstream edge follow ``flowgen.tracing.builder``
exactly: that is what makes static IR equal traced IR.
"""

from __future__ import annotations

from typing import Any

from flowgen.ir.compat import comparable
from flowgen.ir.model import Comparison, Node, TaskSpec, WorkflowSpec
from flowgen.ir.types import UnionType, render_type
from flowgen.static.checks import COMPARISON_AS_BOOL, NO_OUTPUTS, TYPE_MISMATCH
from flowgen.static.literals import literal_for_condition
from flowgen.static.values import ConditionValue, HandleValue, Misuse, PromiseValue

__all__ = ["Graph"]


class Graph:
    """Collects the nodes of one graph: a workflow body, a @dynamic body, or a conditional branch."""

    def __init__(self, kind: str, owner: str, tasks: dict[str, TaskSpec], workflows: dict[str, WorkflowSpec],
                 prefix: str = "", parent: Graph | None = None) -> None:
        self.kind = kind
        self.owner = owner
        self.tasks = tasks
        self.workflows = workflows
        self.prefix = prefix
        self.parent = parent
        self.nodes: list[Node] = []
        self._count = 0
        self._index: dict[str, int] = {}
        self.open_sections: list[Any] = []

    def next_id(self) -> str:
        node_id = f"{self.prefix}n{self._count}"
        self._count += 1
        return node_id

    def append(self, node: Node) -> None:
        self._index[node.id] = len(self.nodes)
        self.nodes.append(node)

    def add_upstream(self, node_id: str, upstream: str) -> bool:
        graph: Graph | None = self
        while graph is not None and node_id not in graph._index:
            graph = graph.parent
        if graph is None:
            return False
        i = graph._index[node_id]
        node = graph.nodes[i]
        if upstream not in node.upstream:
            graph.nodes[i] = node.model_copy(update={"upstream": (*node.upstream, upstream)})
        return True

    # -- what Promises ask of their graph -----------------------------------------------------
    def compare(self, op: str, promise: PromiseValue, other: Any) -> ConditionValue:
        if isinstance(other, PromiseValue):
            if not comparable(promise.type, other.type):
                raise Misuse(TYPE_MISMATCH, f"cannot compare {promise.origin} ({render_type(promise.type)}) with "
                             f"{other.origin} ({render_type(other.type)})",
                             "compare values of the same type; convert one in a task")
            right: Any = other.binding
        else:
            if isinstance(other, (ConditionValue, HandleValue)):
                raise Misuse(COMPARISON_AS_BOOL, f"cannot compare {promise.origin} with {other!r}")
            right = literal_for_condition(other, promise.type)
            if right is None:
                raise Misuse(COMPARISON_AS_BOOL,
                             f"cannot compare a Promise of {render_type(promise.type)} with {other!r}")
            candidates = (promise.type, *(promise.type.variants if isinstance(promise.type, UnionType) else ()))
            if right.type not in candidates and not comparable(promise.type, right.type):
                # A comparison across unrelated types (int > "a") could only fail, or be always false, at run time.
                raise Misuse(TYPE_MISMATCH, f"cannot compare a Promise of {render_type(promise.type)} with "
                             f"{other!r} ({render_type(right.type)})",
                             f"compare it with a {render_type(promise.type)} constant")
        condition = Comparison(op=op, left=promise.binding, right=right)  # type: ignore[arg-type]
        return ConditionValue(condition)

    def order(self, first: Any, second: Any) -> Any:
        """``first >> second``: second's node runs after first's, without passing data."""
        first_node = first.node_id
        target = second
        if isinstance(second, tuple) and second and isinstance(second[0], (PromiseValue, HandleValue)):
            target = second[0]
        if not isinstance(target, (PromiseValue, HandleValue)) or first_node is None or target.node_id is None:
            raise Misuse(NO_OUTPUTS, "`>>` orders two task calls; both sides must be outputs of calls in this "
                         "workflow")
        if not self.add_upstream(target.node_id, first_node):
            raise Misuse(NO_OUTPUTS, f"`>>`: node {target.node_id} is not in this graph")
        return second
