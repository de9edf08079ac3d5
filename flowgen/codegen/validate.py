"""Checks on the IR before anything is emitted: the generator never emits a module that
would fail to compile or would silently do something other than the interpreter.

Each check raises :class:`GenerationError` naming the workflow and node. What is checked:
references (tasks, workflows, earlier nodes, outputs, workflow inputs), node inputs
against the callee's interface (unknown and missing inputs), names that must be Python
identifiers (workflow inputs, functions reached by import), recursion between
workflows (generated functions would recurse forever), and ``map_task`` mapped inputs.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from flowgen.codegen.annotations import GenerationError
from flowgen.codegen.names import is_identifier
from flowgen.ir.model import (
    Binding,
    BoolOp,
    Comparison,
    Condition,
    ConditionalNode,
    DictBinding,
    DynamicNode,
    InputRef,
    Interface,
    ListBinding,
    MapNode,
    Node,
    NodeOutputRef,
    Output,
    Program,
    TaskNode,
    WorkflowNode,
    WorkflowSpec,
)

__all__ = ["check_program", "function_parts", "node_outputs"]


def function_parts(ref: str, what: str) -> tuple[str, list[str]]:
    """``"pkg.mod:Qual.name"`` -> (``pkg.mod``, [``Qual``, ``name``]), or a GenerationError."""
    found = _parts(ref)
    if found is None:
        raise GenerationError(f"{what}: {ref!r} cannot be reached by import (define it at module level)")
    return found[0], list(found[1])


@functools.lru_cache(maxsize=4096)
def _parts(ref: str) -> tuple[str, tuple[str, ...]] | None:
    """What :func:`function_parts` returns (None: not reachable), once per reference (every node asks)."""
    module, sep, qualname = ref.partition(":")
    parts = qualname.split(".")
    if not sep or not all(is_identifier(p) for p in module.split(".")) or not all(is_identifier(p) for p in parts):
        return None
    return module, tuple(parts)


def node_outputs(program: Program, node: Node) -> tuple[tuple[Output, ...], Interface | None]:
    """The outputs a node has, and the interface they come from (None for map/conditional)."""
    if isinstance(node, (TaskNode, DynamicNode)):
        interface = program.tasks[node.task].interface
        return interface.outputs, interface
    if isinstance(node, WorkflowNode):
        interface = program.workflows[node.workflow].interface
        return interface.outputs, interface
    return node.outputs, None


def _binding_sources(binding: Binding) -> Iterable[Binding]:
    if isinstance(binding, ListBinding):
        for item in binding.items:
            yield from _binding_sources(item)
    elif isinstance(binding, DictBinding):
        for _, item in binding.items:
            yield from _binding_sources(item)
    else:
        yield binding


def _condition_bindings(condition: Condition) -> Iterable[Binding]:
    if isinstance(condition, Comparison):
        yield condition.left
        yield condition.right
    elif isinstance(condition, BoolOp):
        yield from _condition_bindings(condition.left)
        yield from _condition_bindings(condition.right)
    else:
        yield condition.operand


class _GraphCheck:
    def __init__(self, program: Program, wf: WorkflowSpec) -> None:
        self.program = program
        self.wf = wf

    def fail(self, node: Node | None, message: str) -> GenerationError:
        where = f"workflow {self.wf.name}" + (f", node {node.id}" if node is not None else "")
        return GenerationError(f"{where}: {message}")

    def binding(self, binding: Binding, known: dict[str, tuple[Output, ...]], node: Node | None) -> None:
        for b in _binding_sources(binding):
            if isinstance(b, InputRef):
                if self.wf.interface.input(b.name) is None:
                    raise self.fail(node, f"reads unknown workflow input {b.name!r}")
            elif isinstance(b, NodeOutputRef):
                outputs = known.get(b.node)
                if outputs is None:
                    raise self.fail(node, f"reads node {b.node!r}, which does not run before it")
                if b.output not in {o.name for o in outputs}:
                    raise self.fail(node, f"reads output {b.output!r} that node {b.node} does not have")

    def nodes(self, nodes: Iterable[Node], known: dict[str, tuple[Output, ...]]) -> None:
        for node in nodes:
            if node.id in known:
                raise self.fail(node, "duplicate node id")
            for up in node.upstream:
                if up not in known:
                    raise self.fail(node, f"runs after node {up!r}, which does not run before it")
            if isinstance(node, ConditionalNode):
                for case in node.cases:
                    for b in _condition_bindings(case.condition):
                        self.binding(b, known, node)
                for branch in (*(c.branch for c in node.cases), node.else_branch):
                    inner = dict(known)
                    self.nodes(branch.nodes, inner)
                    if branch.fail_message is None:
                        missing = {o.name for o in node.outputs} - set(branch.outputs)
                        if missing:
                            raise self.fail(node, f"a branch does not bind output(s) {sorted(missing)}")
                    for b in branch.outputs.values():
                        self.binding(b, inner, node)
                known[node.id] = node.outputs
                continue
            if isinstance(node, WorkflowNode):
                callee = self.program.workflows.get(node.workflow)
                if callee is None:
                    raise self.fail(node, f"calls unknown workflow {node.workflow!r}")
                interface = callee.interface
            else:
                spec = self.program.tasks.get(node.task)
                if spec is None:
                    raise self.fail(node, f"calls unknown task {node.task!r}")
                function_parts(spec.function, f"task {spec.name}")
                interface = spec.interface
            names = {p.name for p in interface.inputs}
            unknown = sorted(set(node.inputs) - names)
            if unknown:
                raise self.fail(node, f"passes unknown input(s) {unknown}")
            if isinstance(node, MapNode) and not set(node.mapped) <= set(node.inputs):
                raise self.fail(node, "maps over inputs it does not bind")
            required = [p.name for p in interface.inputs if p.name not in node.inputs and not p.has_default]
            if required:
                raise self.fail(node, f"misses input(s) {required}")
            for b in node.inputs.values():
                self.binding(b, known, node)
            known[node.id] = node_outputs(self.program, node)[0]

    def run(self) -> None:
        for p in self.wf.interface.inputs:
            if not is_identifier(p.name):
                raise self.fail(None, f"input {p.name!r} is not a Python identifier")
        known: dict[str, tuple[Output, ...]] = {}
        self.nodes(self.wf.nodes, known)
        for _name, b in self.wf.outputs.items():
            self.binding(b, known, None)
        missing = {o.name for o in self.wf.interface.outputs} - set(self.wf.outputs)
        if missing:
            raise self.fail(None, f"does not bind output(s) {sorted(missing)}")


def _calls(nodes: Iterable[Node]) -> Iterable[str]:
    for node in nodes:
        if isinstance(node, WorkflowNode):
            yield node.workflow
        elif isinstance(node, ConditionalNode):
            for branch in (*(c.branch for c in node.cases), node.else_branch):
                yield from _calls(branch.nodes)


def check_program(program: Program) -> None:
    """Raise GenerationError if any workflow of ``program`` cannot be generated faithfully."""
    for wf in program.workflows.values():
        _GraphCheck(program, wf).run()
    # Recursion between workflows: depth-first search for a cycle, reported as a path.
    state: dict[str, int] = {}

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for callee in _calls(program.workflows[name].nodes):
            if state.get(callee) == 1:
                cycle = [*path[path.index(callee):], callee] if callee in path else [name, callee]
                raise GenerationError(f"workflows call each other in a cycle: {' -> '.join(cycle)}")
            if callee not in state:
                visit(callee, [*path, callee])
        state[name] = 2

    for name in program.workflows:
        if name not in state:
            visit(name, [name])
