"""Bindings and node facts shared by every driver of the IR: how a node's inputs are found.

The in-process loop (:mod:`flowgen.runtime.interpreter`), the parallel scheduler
(:mod:`flowgen.runtime.scheduler`) and the work units executors run
(:mod:`flowgen.runtime.executors.units`) all resolve bindings (``NodeOutputRef``,
``InputRef``, literals, lists and dicts of them) the same way, ask which nodes a node
reads, and describe a node with the same facts in errors. Those helpers live here, below
all three, so the runtime imports top-down: driver -> scheduler -> units -> boundary,
with this module and :mod:`flowgen.runtime.boundary` at the bottom.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flowgen.errors import SourceLocation
from flowgen.ir import refs
from flowgen.ir.codec import from_json
from flowgen.ir.model import (
    AttrStep,
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
    SourceSpan,
    TaskNode,
    TaskSpec,
    binding_sources,
)
from flowgen.ir.types import PrimitiveType
from flowgen.runtime.boundary import take_path

__all__ = [
    "Env",
    "Resolver",
    "binding_sources",
    "binding_value",
    "condition_sources",
    "facts",
    "location",
    "node_sources",
    "resolver",
    "task_function",
]

Env = tuple[dict[str, Any], dict[str, dict[str, Any]]]  # (workflow inputs, node outputs)
Resolver = Callable[[dict[str, Any], dict[str, dict[str, Any]]], Any]


def location(span: SourceSpan | None) -> SourceLocation | None:
    return SourceLocation(span.file, span.line, span.column) if span is not None else None


def _walk(value: Any, path: tuple[Any, ...], describe: Callable[[], str]) -> Any:
    steps = ((step.kind, step.name if isinstance(step, AttrStep) else step.key) for step in path)
    return take_path(value, steps, describe)


_JSON_NATIVE = frozenset({"str", "int", "bool", "none"})


def resolver(binding: Binding, describe: Callable[[], str]) -> Resolver:
    if isinstance(binding, NodeOutputRef):
        node, output, path = binding.node, binding.output, binding.path
        if not path:
            return lambda inputs, values: values[node][output]
        return lambda inputs, values: _walk(values[node][output], path, describe)
    if isinstance(binding, InputRef):
        name, path = binding.name, binding.path
        if not path:
            return lambda inputs, values: inputs[name]
        return lambda inputs, values: _walk(inputs[name], path, describe)
    if isinstance(binding, LiteralBinding):
        spec = binding.type
        if isinstance(spec, PrimitiveType) and spec.name in _JSON_NATIVE:
            constant = binding.value  # JSON already holds the value; the input check validates it
        else:
            constant = from_json(binding.value, spec)
        return lambda inputs, values: constant
    if isinstance(binding, ListBinding):
        items = [resolver(b, describe) for b in binding.items]
        return lambda inputs, values: [r(inputs, values) for r in items]
    if isinstance(binding, DictBinding):
        pairs = [(k, resolver(b, describe)) for k, b in binding.items]
        return lambda inputs, values: {k: r(inputs, values) for k, r in pairs}
    raise TypeError(f"unknown binding {binding!r}")


def condition_sources(condition: Condition) -> list[str]:
    if isinstance(condition, Comparison):
        return binding_sources(condition.left) + binding_sources(condition.right)
    if isinstance(condition, BoolOp):
        return condition_sources(condition.left) + condition_sources(condition.right)
    return binding_sources(condition.operand)


def node_sources(node: Node) -> list[str]:
    """Every node id a node depends on (data and ``>>`` ordering), nested branches included."""
    if type(node) is TaskNode and not node.upstream:
        found_fast = []
        for b in node.inputs.values():
            if type(b) is NodeOutputRef:
                found_fast.append(b.node)
            elif type(b) is not LiteralBinding and type(b) is not InputRef:
                found_fast += binding_sources(b)
        return found_fast
    found = list(node.upstream)
    if isinstance(node, ConditionalNode):
        for case in node.cases:
            found += condition_sources(case.condition)
        for branch in (*(c.branch for c in node.cases), node.else_branch):
            inner = {n.id for n in branch.nodes}
            for n in branch.nodes:
                found += [s for s in node_sources(n) if s not in inner]
            for b in branch.outputs.values():
                found += [s for s in binding_sources(b) if s not in inner]
        return found
    for b in node.inputs.values():
        found += binding_sources(b)
    return found


def binding_value(binding: Binding, inputs: dict[str, Any], values: dict[str, dict[str, Any]],
           describe: Callable[[], str]) -> Any:
    """The value a binding denotes now (``resolver`` compiled to a closure, for graphs run once)."""
    kind = type(binding)
    if kind is NodeOutputRef:
        value = values[binding.node][binding.output]  # type: ignore[union-attr]
        return _walk(value, binding.path, describe) if binding.path else value  # type: ignore[union-attr]
    if kind is LiteralBinding:
        spec = binding.type  # type: ignore[union-attr]
        if type(spec) is PrimitiveType and spec.name in _JSON_NATIVE:
            return binding.value  # type: ignore[union-attr]
        return from_json(binding.value, spec)  # type: ignore[union-attr]
    if kind is InputRef:
        value = inputs[binding.name]  # type: ignore[union-attr]
        return _walk(value, binding.path, describe) if binding.path else value  # type: ignore[union-attr]
    if kind is ListBinding:
        return [binding_value(b, inputs, values, describe) for b in binding.items]  # type: ignore[union-attr, arg-type]
    if kind is DictBinding:
        return {k: binding_value(b, inputs, values, describe) for k, b in binding.items}  # type: ignore[union-attr, misc]
    raise TypeError(f"unknown binding {binding!r}")


def task_function(spec: TaskSpec) -> Callable[..., Any]:
    entity = refs.resolve(spec.function)
    return getattr(entity, "fn", entity)


def facts(workflow: str, path: str, task: str, call_site: SourceSpan | None) -> dict[str, Any]:
    return {"workflow": workflow, "node": path, "task": task, "location": location(call_site)}
