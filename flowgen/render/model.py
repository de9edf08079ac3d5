"""The display graph: what a picture of a workflow shows, built from IR by a pure pass.

Every renderer (Mermaid, DOT, SVG/PNG through Graphviz, HTML) and the run
report draw the same :class:`DisplayGraph`, so they agree on what is shown:

====================  =======================================================================
IR                    shown as
====================  =======================================================================
workflow input        a node ``input:<name>`` labelled ``name: type``
workflow output       a node ``output:<name>`` labelled ``name: type``
task node             a box: the task's short name, then the node id
``@dynamic`` node     a box marked "expands at run time" (in a run report, a cluster
                      holding the sub-DAG it expanded to, see ``expand_dynamic``)
``map_task`` node     a box marked "map_task over <inputs>"
sub-workflow node     a cluster holding the sub-workflow's nodes (ids prefixed ``n1.``)
``conditional``       a decision node, and one cluster per branch (``n2.b0`` ...) labelled
                      with its condition; a branch with no nodes is a node of its own
                      (``fail: message`` for a failing ``else``)
data dependency       an edge labelled ``<input name>: <type of the value>``
``a >> b``            an unlabelled ordering edge
====================  =======================================================================

Edges go from the node that computes a value to the node that reads it, looking
through sub-workflow boundaries: a sub-workflow's input edge lands on the inner
node that reads it, and a reader of a sub-workflow's output gets its edge from
the inner node that computed it. Literal inputs draw no edge.

Ids are node paths as the interpreter reports them (``n0``, ``n1.n0``,
``n2.b0.n0``), so run facts (:mod:`flowgen.report`) attach to display nodes by
id in a side table and never live on the graph itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from flowgen.ir.model import (
    AttrStep,
    Binding,
    BoolOp,
    Comparison,
    Condition,
    ConditionalNode,
    DictBinding,
    DynamicNode,
    InputRef,
    ListBinding,
    LiteralBinding,
    MapNode,
    Node,
    NodeOutputRef,
    Output,
    PathStep,
    Program,
    TaskNode,
    UnaryCheck,
    WorkflowNode,
    WorkflowSpec,
)
from flowgen.ir.types import DictType, ListType, RecordType, TupleType, TypeSpec, render_type

__all__ = [
    "ClusterKind",
    "DisplayCluster",
    "DisplayEdge",
    "DisplayGraph",
    "DisplayNode",
    "DynamicExpansion",
    "EdgeKind",
    "NodeKind",
    "build_display_graph",
    "render_binding",
    "render_condition",
    "short_name",
]

NodeKind = Literal["input", "output", "task", "dynamic", "map", "workflow", "conditional", "branch", "group"]
ClusterKind = Literal["workflow", "dynamic", "branch"]
EdgeKind = Literal["data", "order", "branch"]


@dataclass(frozen=True)
class DisplayNode:
    id: str
    kind: NodeKind
    title: str  # task short name, input name, ...
    subtitle: str  # node id, type, ...
    note: str = ""  # "expands at run time", "map_task over xs", ...
    parent: str | None = None  # id of the enclosing cluster
    task: str | None = None  # full task (or workflow) name, for tooltips and grouping


@dataclass(frozen=True)
class DisplayCluster:
    id: str
    kind: ClusterKind
    title: str
    subtitle: str
    parent: str | None = None


@dataclass(frozen=True)
class DisplayEdge:
    source: str  # a node id, or a cluster id (an expanded @dynamic's outputs)
    target: str
    label: str = ""
    kind: EdgeKind = "data"


@dataclass(frozen=True)
class DisplayGraph:
    """Flat tables with parent pointers, in IR order (renderers build trees from them)."""

    title: str
    nodes: tuple[DisplayNode, ...]
    clusters: tuple[DisplayCluster, ...] = ()
    edges: tuple[DisplayEdge, ...] = ()

    def node_ids(self) -> list[str]:
        return [n.id for n in self.nodes]


@dataclass(frozen=True)
class DynamicExpansion:
    """What a ``@dynamic`` node expanded to at run time: the nodes it ran, in order."""

    nodes: tuple[Node, ...]


# Given a dynamic node's path, the sub-DAG it expanded to in a run (None: not run / static view).
ExpandDynamic = Callable[[str], DynamicExpansion | None]


def short_name(name: str) -> str:
    """``examples.basics.add`` -> ``add`` (task and workflow names are ``module.qualname``)."""
    return name.rpartition(".")[2] or name


# ----------------------------------------------------------------------------- text of bindings


def _path_text(path: Sequence[PathStep]) -> str:
    return "".join(f".{s.name}" if isinstance(s, AttrStep) else f"[{s.key!r}]" for s in path)


def render_binding(binding: Binding) -> str:
    """Python-like spelling of a binding, for conditions and tooltips: ``x``, ``n0.o0[1]``, ``3``."""
    if isinstance(binding, InputRef):
        return binding.name + _path_text(binding.path)
    if isinstance(binding, NodeOutputRef):  # a single output reads as its node: ``n0``, else ``n0.slope``
        output = "" if binding.output == "o0" else f".{binding.output}"
        return f"{binding.node}{output}{_path_text(binding.path)}"
    if isinstance(binding, LiteralBinding):
        return _literal_text(binding)
    if isinstance(binding, ListBinding):
        return "[" + ", ".join(render_binding(b) for b in binding.items) + "]"
    return "{" + ", ".join(f"{k!r}: {render_binding(b)}" for k, b in binding.items) + "}"


def _literal_text(binding: LiteralBinding) -> str:
    text = json.dumps(binding.value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 40 else text[:37] + "..."


def render_condition(condition: Condition) -> str:
    if isinstance(condition, Comparison):
        return f"{render_binding(condition.left)} {condition.op} {render_binding(condition.right)}"
    if isinstance(condition, BoolOp):
        return f"({render_condition(condition.left)}) {condition.op} ({render_condition(condition.right)})"
    assert isinstance(condition, UnaryCheck)
    return f"{condition.check}({render_binding(condition.operand)})"


# ----------------------------------------------------------------------------- types along paths


def _step_type(spec: TypeSpec | None, step: PathStep) -> TypeSpec | None:
    if spec is None:
        return None
    if isinstance(step, AttrStep):
        return (f.type if (f := spec.field(step.name)) else None) if isinstance(spec, RecordType) else None
    if isinstance(spec, ListType):
        return spec.item
    if isinstance(spec, DictType):
        return spec.value
    if isinstance(spec, TupleType) and isinstance(step.key, int) and -len(spec.items) <= step.key < len(spec.items):
        return spec.items[step.key]
    if isinstance(spec, RecordType) and spec.flavor == "namedtuple" and isinstance(step.key, int):
        return spec.fields[step.key].type if -len(spec.fields) <= step.key < len(spec.fields) else None
    return None


def _walk_type(spec: TypeSpec | None, path: Sequence[PathStep]) -> TypeSpec | None:
    for step in path:
        spec = _step_type(spec, step)
    return spec


# ----------------------------------------------------------------------------- the builder


@dataclass(frozen=True)
class _Source:
    """Where a value comes from in the picture: a display id and the value's type (if known)."""

    id: str
    type: TypeSpec | None


# For each name a graph can read: the sources of a workflow input, or of a node's output.
_Outputs = dict[str, list[_Source]]


@dataclass(frozen=True)
class _Opaque:
    """The outputs of a node whose interface is unknown: every output reads the node, type unknown."""

    id: str


@dataclass
class _Scope:
    inputs: dict[str, list[_Source]]
    outputs: dict[str, _Outputs | _Opaque] = field(default_factory=dict)  # sibling id -> output -> sources

    def output(self, node: str, name: str) -> list[_Source]:
        found = self.outputs.get(node)
        if isinstance(found, _Opaque):
            return [_Source(found.id, None)]
        return found.get(name, []) if found is not None else []

    def all_outputs(self, node: str) -> list[_Source]:
        found = self.outputs.get(node)
        if isinstance(found, _Opaque):
            return [_Source(found.id, None)]
        return [s for sources in (found or {}).values() for s in sources] or []


class _Builder:
    def __init__(self, program: Program, expand_dynamic: ExpandDynamic | None) -> None:
        self.program = program
        self.expand_dynamic = expand_dynamic
        self.nodes: list[DisplayNode] = []
        self.clusters: list[DisplayCluster] = []
        self.edges: list[DisplayEdge] = []
        self._edge_keys: set[tuple[str, str, str, str]] = set()

    # -- edges ---------------------------------------------------------------------------------
    def edge(self, source: str, target: str, label: str = "", kind: EdgeKind = "data") -> None:
        key = (source, target, label, kind)
        if key not in self._edge_keys:
            self._edge_keys.add(key)
            self.edges.append(DisplayEdge(source, target, label, kind))

    def sources(self, binding: Binding, scope: _Scope) -> list[tuple[_Source, str]]:
        """The sources a binding reads, each with the suffix naming its place (``[0]``, ``["k"]``)."""
        if isinstance(binding, InputRef):
            return [(_Source(s.id, _walk_type(s.type, binding.path)), "") for s in scope.inputs.get(binding.name, [])]
        if isinstance(binding, NodeOutputRef):
            found = scope.output(binding.node, binding.output)
            return [(_Source(s.id, _walk_type(s.type, binding.path)), "") for s in found]
        if isinstance(binding, ListBinding):
            return [(s, f"[{i}]{suffix}") for i, b in enumerate(binding.items) for s, suffix in self.sources(b, scope)]
        if isinstance(binding, DictBinding):
            return [(s, f"[{k!r}]{suffix}") for k, b in binding.items for s, suffix in self.sources(b, scope)]
        return []

    def wire(self, target: str, inputs: dict[str, Binding], scope: _Scope) -> None:
        for name, binding in inputs.items():
            for source, suffix in self.sources(binding, scope):
                type_text = f": {render_type(source.type)}" if source.type is not None else ""
                self.edge(source.id, target, f"{name}{suffix}{type_text}")

    def order(self, node: Node, target: str, scope: _Scope, prefix: str) -> None:
        for upstream in node.upstream:
            found = {s.id for s in scope.all_outputs(upstream)}
            for source in sorted(found) or [prefix + upstream]:
                self.edge(source, target, "", "order")

    # -- graphs --------------------------------------------------------------------------------
    def root(self, wf: WorkflowSpec) -> DisplayGraph:
        inputs: dict[str, list[_Source]] = {}
        for p in wf.interface.inputs:
            node_id = f"input:{p.name}"
            default = f" = {_json_text(p.default)}" if p.has_default else ""
            self.nodes.append(DisplayNode(node_id, "input", p.name, render_type(p.type) + default))
            inputs[p.name] = [_Source(node_id, p.type)]
        scope = _Scope(inputs)
        self.graph(wf.nodes, scope, prefix="", parent=None)
        if wf.on_failure is not None:  # the failure handler: a node fed by the workflow's inputs
            self.graph((wf.on_failure.node,), scope, prefix="", parent=None)
        for out in wf.interface.outputs:
            node_id = f"output:{out.name}"
            self.nodes.append(DisplayNode(node_id, "output", out.name, render_type(out.type)))
            binding = wf.outputs.get(out.name)
            if binding is not None:
                for source, suffix in self.sources(binding, scope):
                    self.edge(source.id, node_id, f"{out.name}{suffix}: {render_type(out.type)}")
        return DisplayGraph(short_name(wf.name), tuple(self.nodes), tuple(self.clusters), tuple(self.edges))

    def graph(self, nodes: Iterable[Node], scope: _Scope, prefix: str, parent: str | None) -> None:
        for node in nodes:
            scope.outputs[node.id] = self.node(node, scope, prefix, parent)

    def node(self, node: Node, scope: _Scope, prefix: str, parent: str | None) -> _Outputs | _Opaque:
        path = prefix + node.id
        if isinstance(node, TaskNode):
            spec = self.program.tasks.get(node.task)
            self.nodes.append(DisplayNode(path, "task", short_name(node.task), path, parent=parent, task=node.task))
            self.wire(path, node.inputs, scope)
            self.order(node, path, scope, prefix)
            return _leaf_outputs(path, spec.interface.outputs if spec else None)
        if isinstance(node, MapNode):
            note = "map_task over " + ", ".join(node.mapped)
            if node.concurrency is not None:
                note += f" (concurrency {node.concurrency})"
            if node.min_success_ratio < 1.0:
                note += f" (min_success_ratio {node.min_success_ratio:g})"
            self.nodes.append(DisplayNode(path, "map", short_name(node.task), path, note, parent, node.task))
            self.wire(path, node.inputs, scope)
            self.order(node, path, scope, prefix)
            return _leaf_outputs(path, node.outputs)
        if isinstance(node, DynamicNode):
            return self.dynamic(node, scope, prefix, parent)
        if isinstance(node, WorkflowNode):
            return self.workflow(node, scope, prefix, parent)
        assert isinstance(node, ConditionalNode)
        return self.conditional(node, scope, prefix, parent)

    def dynamic(self, node: DynamicNode, scope: _Scope, prefix: str, parent: str | None) -> _Outputs | _Opaque:
        path = prefix + node.id
        spec = self.program.tasks.get(node.task)
        outputs = spec.interface.outputs if spec else None
        expansion = self.expand_dynamic(path) if self.expand_dynamic is not None else None
        if expansion is None:
            self.nodes.append(DisplayNode(path, "dynamic", short_name(node.task), path,
                                          "@dynamic: expands at run time", parent, node.task))
            self.wire(path, node.inputs, scope)
            self.order(node, path, scope, prefix)
            return _leaf_outputs(path, outputs)
        # A run expanded it: a cluster with the sub-DAG. Its inputs were materialized into
        # literals when it was traced, so the edges into (and out of) it attach to the cluster.
        self.clusters.append(DisplayCluster(path, "dynamic", short_name(node.task), f"@dynamic · {path}", parent))
        self.wire(path, node.inputs, scope)
        self.order(node, path, scope, prefix)
        inner = _Scope({})
        self.graph(expansion.nodes, inner, path + ".", path)
        return _leaf_outputs(path, outputs)

    def workflow(self, node: WorkflowNode, scope: _Scope, prefix: str, parent: str | None) -> _Outputs | _Opaque:
        path = prefix + node.id
        sub = self.program.workflows.get(node.workflow)
        title = short_name(node.launch_plan or node.workflow)
        kind_text = "launch plan" if node.launch_plan else "workflow"
        if sub is None or not sub.nodes:
            self.nodes.append(DisplayNode(path, "workflow", title, f"{kind_text} · {path}", parent=parent,
                                          task=node.workflow))
            self.wire(path, node.inputs, scope)
            self.order(node, path, scope, prefix)
            return _leaf_outputs(path, sub.interface.outputs if sub else None)
        self.clusters.append(DisplayCluster(path, "workflow", title, f"{kind_text} · {path}", parent))
        inner_inputs: dict[str, list[_Source]] = {}
        for p in sub.interface.inputs:
            binding = node.inputs.get(p.name)
            if binding is not None:
                inner_inputs[p.name] = [s for s, _ in self.sources(binding, scope)]
        inner = _Scope(inner_inputs)
        self.graph(sub.nodes, inner, path + ".", path)
        if node.upstream:
            first = [n for n in self.nodes if n.parent == path][:1]
            for n in first:
                self.order(node, n.id, scope, prefix)
        return {
            name: [s for s, _ in self.sources(binding, inner)]
            for name, binding in sub.outputs.items()
        }

    def conditional(self, node: ConditionalNode, scope: _Scope, prefix: str, parent: str | None) -> _Outputs:
        path = prefix + node.id
        self.nodes.append(DisplayNode(path, "conditional", node.name, path, "conditional", parent))
        for case in node.cases:
            for operand in _condition_operands(case.condition):
                for source, _ in self.sources(operand, scope):
                    self.edge(source.id, path, render_binding(operand) + _type_suffix(source.type))
        self.order(node, path, scope, prefix)
        types = {o.name: o.type for o in node.outputs}
        merged: _Outputs = {o.name: [] for o in node.outputs}
        labelled = [(f"if {render_condition(c.condition)}" if i == 0 else f"elif {render_condition(c.condition)}",
                     c.branch) for i, c in enumerate(node.cases)]
        labelled.append(("else", node.else_branch))
        for index, (label, branch) in enumerate(labelled):
            branch_id = f"{path}.b{index}"
            branch_scope = _Scope(scope.inputs, dict(scope.outputs))
            if branch.nodes:
                self.clusters.append(DisplayCluster(branch_id, "branch", label, branch_id, parent))
                before = len(self.nodes)
                self.graph(branch.nodes, branch_scope, prefix, branch_id)
                inner_ids = {n.id for n in self.nodes[before:]}
                reached = {e.target for e in self.edges if e.source in inner_ids}
                for n in self.nodes[before:]:
                    if n.parent == branch_id and n.id not in reached:
                        self.edge(path, n.id, label, "branch")
            else:
                note = f"fail: {branch.fail_message}" if branch.fail_message is not None else "passes values through"
                self.nodes.append(DisplayNode(branch_id, "branch", label, branch_id, note, parent))
                self.edge(path, branch_id, label, "branch")
                for out_name, binding in branch.outputs.items():
                    for source, _ in self.sources(binding, scope):
                        self.edge(source.id, branch_id, f"{out_name}{_type_suffix(source.type)}")
                for out_name in merged:
                    if out_name in branch.outputs:
                        merged[out_name].append(_Source(branch_id, types.get(out_name)))
                continue
            for out_name, binding in branch.outputs.items():
                for source, _ in self.sources(binding, branch_scope):
                    if out_name in merged and source not in merged[out_name]:
                        merged[out_name].append(source)
        return merged


def _type_suffix(spec: TypeSpec | None) -> str:
    return f": {render_type(spec)}" if spec is not None else ""


def _json_text(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 30 else text[:27] + "..."


def _leaf_outputs(path: str, outputs: Sequence[Output] | None) -> _Outputs | _Opaque:
    if outputs is None:  # a task whose spec the picture lacks (a @dynamic's inner node in a report)
        return _Opaque(path)
    return {o.name: [_Source(path, o.type)] for o in outputs}


def _condition_operands(condition: Condition) -> list[Binding]:
    if isinstance(condition, Comparison):
        return [condition.left, condition.right]
    if isinstance(condition, BoolOp):
        return _condition_operands(condition.left) + _condition_operands(condition.right)
    assert isinstance(condition, UnaryCheck)
    return [condition.operand]


def build_display_graph(program: Program, expand_dynamic: ExpandDynamic | None = None) -> DisplayGraph:
    """The picture of ``program``'s entry workflow.

    ``expand_dynamic`` (used by run reports) returns, for a ``@dynamic`` node's
    path, the nodes it expanded to in a run; without it every ``@dynamic`` is a
    single node marked "expands at run time".
    """
    return _Builder(program, expand_dynamic).root(program.root)

