"""Binding values to an interface, and the node a call of a task, dynamic or workflow appends.

``bind_arguments`` reports unknown, missing and duplicate inputs (FG202-204);
``bind_value`` turns a value into the IR binding an input receives (a Promise
reference, a literal, a list/dict of bindings) or reports the type mismatch;
``add_node`` appends the node as the tracer's ``add_call`` would, compiling a
called sub-workflow first; ``bind_outputs`` binds what the body returns.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from flowgen.ir.compat import is_assignable, variant_of, wiring_hint
from flowgen.ir.model import (
    Binding,
    DictBinding,
    DynamicNode,
    Interface,
    ListBinding,
    NodeOutputRef,
    TaskNode,
    WorkflowNode,
)
from flowgen.ir.types import DictType, ListType, TypeSpec, render_type
from flowgen.static.abstract_values import (
    BoundMethod,
    CallOutputs,
    ClassValue,
    EntityValue,
    ExternalValue,
    MapTaskValue,
    ModuleValue,
    NamedCallOutputs,
    OutsideSubset,
    PartialValue,
    PlainFunction,
    contains_opaque,
)
from flowgen.static.body_base import BodyState
from flowgen.static.checks import (
    COMPARISON_AS_BOOL,
    CONDITIONAL_WITHOUT_ELSE,
    DUPLICATE_INPUT,
    MISSING_INPUT,
    NO_OUTPUTS,
    OUTSIDE_SUBSET,
    RECURSIVE_WORKFLOW,
    RETURN_MISMATCH,
    TYPE_MISMATCH,
    UNKNOWN_INPUT,
    Check,
)
from flowgen.static.conditionals import Section, ThenStep
from flowgen.static.flyte_objects import LaunchPlanValue
from flowgen.static.literals import LiteralMismatch, literal_binding
from flowgen.static.specs import Entity
from flowgen.static.type_text import render_pair
from flowgen.static.values import BuiltRecord, ConditionValue, HandleValue, Opaque, PromiseValue, contains_placeholder

__all__ = ["BindingMixin"]


class BindingMixin(BodyState):
    """Binding values to an interface, and the node a call of a flowgen entity appends."""

    def bind_arguments(self, interface: Interface, kind: str, name: str, args: tuple[Any, ...],
                       kwargs: dict[str, Any], node: cst.Call, arg_nodes: dict[Any, cst.CSTNode]) -> dict[str, Any]:
        params = interface.inputs
        bound: dict[str, Any] = {}
        if len(args) > len(params):
            self.report(DUPLICATE_INPUT, f"{kind} {name} takes {len(params)} input(s) but {len(args)} positional "
                        "argument(s) were given", node)
        for i, (p, a) in enumerate(zip(params, args)):
            bound[p.name] = a
            if i in arg_nodes:
                arg_nodes[p.name] = arg_nodes[i]
        for key, value in kwargs.items():
            if key in bound:
                self.report(DUPLICATE_INPUT, f"input {key!r} of {kind} {name} is given twice (by position and by "
                            "keyword)", arg_nodes.get(key, node))
                continue
            if interface.input(key) is None:
                known = ", ".join(p.name for p in params) or "none"
                self.report(UNKNOWN_INPUT, f"{kind} {name} has no input {key!r} (inputs: {known})",
                            arg_nodes.get(key, node))
                continue
            bound[key] = value
        missing = [p.name for p in params if p.name not in bound and not p.has_default]
        if missing and len(bound) == len(args) + len(kwargs):  # else the misnamed argument is the mistake
            self.report(MISSING_INPUT, f"{kind} {name} is missing input(s) {', '.join(repr(m) for m in missing)}",
                        node)
        return bound

    def bind_value(self, value: Any, target: TypeSpec, what: str, node: cst.CSTNode,
                   check: Check = TYPE_MISMATCH) -> Binding | None:
        if isinstance(value, PromiseValue):
            if not is_assignable(value.type, target):
                expected, actual = render_pair(target, value.type)
                self.report(check, f"{what} expects {expected}, but {value.origin} is {actual}", node,
                            wiring_hint(value.type, target))
                return None
            return value.binding
        if isinstance(value, ConditionValue):
            self.report(COMPARISON_AS_BOOL, f"{what} got a comparison of Promises; its value is known only when "
                        "the workflow runs", node, "compute it in a task, or branch on it with conditional()")
            return None
        if isinstance(value, (Section, ThenStep)):
            section = value if isinstance(value, Section) else value.section
            section.reported = True
            self.report(CONDITIONAL_WITHOUT_ELSE, f"{what} got conditional {section.name!r} without an else_()",
                        node, "finish it with .else_().then(...) or .else_().fail(...)")
            return None
        if isinstance(value, HandleValue):
            self.report(NO_OUTPUTS, f"{what} got the result of node {value.node_id}, which has no outputs", node)
            return None
        if isinstance(value, Opaque):
            return self.bind_opaque(value, target, what, node, check)
        if isinstance(value, (list, dict, tuple)) and contains_placeholder(value):
            return self.bind_container(value, target, what, node, check)
        inner = contains_opaque(value)
        if inner is not None:
            return self.bind_opaque(inner, target, what, node, check, typed=False)
        if isinstance(value, (EntityValue, PlainFunction, ModuleValue, ExternalValue, ClassValue, BoundMethod,
                              PartialValue, MapTaskValue, LaunchPlanValue)):
            self.report(check, f"{what}: expected {render_type(target)}, got `{self.code(node)}`", node)
            return None
        try:
            return literal_binding(value, target)
        except LiteralMismatch as exc:
            self.report(check, f"{what}: {exc.describe()}", node)
            return None

    def bind_opaque(self, value: Opaque, target: TypeSpec, what: str, node: cst.CSTNode, check: Check,
                    typed: bool = True) -> Binding | None:
        """Nothing to bind (the value is unknown); reports what must be reported about it."""
        if value.poisoned:
            self.failed = True
            return None
        if not value.real:
            if isinstance(value, BuiltRecord) and typed and value.type is not None \
                    and not is_assignable(value.type, target):
                expected, actual = render_pair(target, value.type)
                self.report(check, f"{what} expects {expected}, but {value.origin} is {actual}", node,
                            wiring_hint(value.type, target))
                return None
            self.report(OUTSIDE_SUBSET, f"{what}: the value of `{self.code(node)}` cannot be computed statically",
                        node)
            return None
        if typed and value.type is not None and not is_assignable(value.type, target):
            expected, actual = render_pair(target, value.type)
            self.report(check, f"{what} expects {expected}, but {value.origin} is {actual}", node,
                        wiring_hint(value.type, target))
        return None

    def bind_container(self, value: Any, target: TypeSpec, what: str, node: cst.CSTNode,
                       check: Check) -> Binding | None:
        element_nodes: list[cst.CSTNode] = []
        if isinstance(node, (cst.List, cst.Tuple)) and all(isinstance(e, cst.Element) for e in node.elements):
            element_nodes = [e.value for e in node.elements]
        if isinstance(value, (list, tuple)):
            list_type = variant_of(target, ListType)
            if list_type is None:
                self.report(check, f"{what}: expected {render_type(target)}, got {type(value).__name__}", node)
                return None
            items = []
            for i, v in enumerate(value):
                item_node = element_nodes[i] if len(element_nodes) == len(value) else node
                b = self.bind_value(v, list_type.item, f"{what} item [{i}]", item_node, check)
                if b is None:
                    return None
                items.append(b)
            return ListBinding(items=tuple(items))
        dict_type = variant_of(target, DictType)
        if dict_type is None or not all(isinstance(k, str) for k in value):
            self.report(check, f"{what}: expected {render_type(target)}, got {type(value).__name__}", node)
            return None
        pairs = []
        value_nodes: dict[str, cst.CSTNode] = {}
        if isinstance(node, cst.Dict):
            for e in node.elements:
                if isinstance(e, cst.DictElement) and isinstance(e.key, cst.SimpleString):
                    key = e.key.evaluated_value
                    if isinstance(key, str):
                        value_nodes[key] = e.value
        for k, v in value.items():
            b = self.bind_value(v, dict_type.value, f"{what} item [{k!r}]", value_nodes.get(k, node), check)
            if b is None:
                return None
            pairs.append((k, b))
        return DictBinding(items=tuple(pairs))

    def outputs_of(self, node_id: str, interface: Interface, what: str) -> Any:
        assert self.graph is not None
        graph = self.graph

        def promise(name: str, type_: TypeSpec) -> PromiseValue:
            return PromiseValue(NodeOutputRef.model_construct(node=node_id, output=name), type_,  # two strings
                                f"output {name!r} of {what} (node {node_id})", node_id, graph)

        form = interface.output_form
        if form == "none":
            return HandleValue(node_id, graph)
        if form == "single":
            out = interface.outputs[0]
            return promise(out.name, out.type)
        promises = tuple(promise(o.name, o.type) for o in interface.outputs)
        if form == "namedtuple" and interface.output_ref is not None:
            named = NamedCallOutputs(promises, tuple(o.name for o in interface.outputs), interface.output_ref)
            named.what = what
            return named
        return CallOutputs(promises, what)

    def callee_ok(self, entity: Entity, node: cst.CSTNode) -> bool:
        if entity.ok:
            return True
        self.failed = True
        if self.entity is not None:
            self.compiler.callees_broken.setdefault(self.entity.name, {})[entity.name] = entity
        if self.parsed is not None and entity.ref.module != self.module:
            problem = entity.problems[0] if entity.problems else None
            detail = f": {problem.message}" if problem is not None else ""
            self.report(OUTSIDE_SUBSET, f"{entity.kind} {entity.name} cannot be used: its definition has "
                        f"errors{detail}", node)
        return False

    def call_entity(self, entity: Entity, args: tuple[Any, ...], kwargs: dict[str, Any], node: cst.Call,
                    arg_nodes: dict[Any, cst.CSTNode]) -> Any:
        if self.mode == "constant" or self.graph is None:
            raise OutsideSubset(f"{entity.kind} {entity.name} called outside a workflow body", node)
        if not self.callee_ok(entity, node):
            return Opaque(None, f"the result of {entity.name}", poisoned=True)
        assert entity.interface is not None
        inputs = self.bind_inputs(entity.interface, entity.kind, entity.name, args, kwargs, node, arg_nodes)
        return self.add_node(entity, entity.interface, inputs, node)

    def bind_inputs(self, interface: Interface, kind: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any],
                    node: cst.Call, arg_nodes: dict[Any, cst.CSTNode]) -> dict[str, Binding]:
        bound = self.bind_arguments(interface, kind, name, args, kwargs, node, arg_nodes)
        inputs: dict[str, Binding] = {}
        for param in interface.inputs:
            if param.name in bound:
                b = self.bind_value(bound[param.name], param.type, f"input {param.name!r} of {kind} {name}",
                                    arg_nodes.get(param.name, node))
                if b is not None:
                    inputs[param.name] = b
        return inputs

    def add_node(self, entity: Entity, interface: Interface, inputs: dict[str, Binding], node: cst.Call,
                 launch_plan: str | None = None) -> Any:
        """The node calling ``entity`` (through launch plan ``launch_plan``), as the tracer's ``add_call`` adds it."""
        assert self.graph is not None
        graph = self.graph
        node_id = graph.next_id()
        call_site = self.site(node)
        if entity.kind == "workflow":
            if entity.name in self.compiler.active:
                cycle = " -> ".join([*self.compiler.active[self.compiler.active.index(entity.name):], entity.name])
                self.report(RECURSIVE_WORKFLOW, f"workflow {entity.name} calls itself ({cycle}); recursive "
                            "workflows are not supported", node)
            else:
                program = self.compiler.compile_workflow(entity)
                if program is None:
                    self.failed = True
                    if self.entity is not None:
                        self.compiler.callees_failed.setdefault(self.entity.name, {})[entity.name] = entity
                else:
                    graph.workflows.update(program.workflows)
                    graph.tasks.update(program.tasks)
            graph.append(WorkflowNode(id=node_id, call_site=call_site, workflow=entity.name, inputs=inputs,
                                      launch_plan=launch_plan))
        else:
            assert entity.spec is not None
            graph.tasks[entity.name] = entity.spec
            cls = DynamicNode if entity.kind == "dynamic" else TaskNode
            graph.append(cls(id=node_id, call_site=call_site, task=entity.name, inputs=inputs))
        return self.outputs_of(node_id, interface, f"{entity.kind} {entity.name}")

    def bind_outputs(self, returned: Any, interface: Interface, what: str,
                     node: cst.CSTNode) -> dict[str, Binding] | None:
        outputs = interface.outputs
        form = interface.output_form
        if isinstance(returned, Opaque) and returned.poisoned:
            self.failed = True
            return None
        if form == "none":
            if self.entity is not None and self.entity.kind == "dynamic":
                return {}  # as in Flyte (and the tracer): a @dynamic without outputs drops what it returns
            if returned is not None and not isinstance(returned, HandleValue):
                self.report(RETURN_MISMATCH, f"{what} declares no outputs (-> None) but returns "
                            f"`{self.code(node)}`", node, "add a return annotation")
                return None
            return {}
        if form == "single":
            b = self.bind_value(returned, outputs[0].type, f"the return value of {what}", node, RETURN_MISMATCH)
            return {outputs[0].name: b} if b is not None else None
        if form == "namedtuple" and len(outputs) == 1 and not (isinstance(returned, tuple) and len(returned) == 1):
            returned = (returned,)  # a one-field NamedTuple returned bare is wrapped, as in Flyte (and the tracer)
        if not isinstance(returned, tuple) or len(returned) != len(outputs):
            count = len(returned) if isinstance(returned, tuple) else (0 if returned is None else 1)
            self.report(RETURN_MISMATCH, f"{what} declares {len(outputs)} outputs but returns {count} value(s)", node)
            return None
        element_nodes: list[cst.CSTNode] = []
        if isinstance(node, cst.Tuple) and len(node.elements) == len(outputs):
            element_nodes = [e.value for e in node.elements]
        bound: dict[str, Binding] = {}
        for i, (o, v) in enumerate(zip(outputs, returned)):
            b = self.bind_value(v, o.type, f"output {o.name!r} of {what}",
                                element_nodes[i] if element_nodes else node, RETURN_MISMATCH)
            if b is None:
                return None
            bound[o.name] = b
        return bound
