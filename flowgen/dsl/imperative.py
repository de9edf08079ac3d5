"""Workflows built without the decorator: ``create_node`` and flytekit's imperative ``Workflow``.

``create_node(entity, **inputs)`` inside a ``@workflow`` body is a call of ``entity``
that returns a :class:`Node`: its outputs as attributes (``node.o0``, or NamedTuple
field names) and as ``node.outputs[...]``; ``a >> b`` orders two nodes.

``Workflow(name="wf")`` (flytekit's ``ImperativeWorkflow``)::

    wf = Workflow(name="my.imperative.workflow")
    wf.add_workflow_input("in1", str)
    node_t1 = wf.add_entity(t1, a=wf.inputs["in1"])
    wf.add_workflow_output("from_n0t1", node_t1.outputs["o0"])

Each ``add_entity`` goes through the tracing front end's graph builder, so a node gets
the checks a call in a ``@workflow`` body gets, at the line that adds it (unknown,
missing and ill-typed inputs are WiringErrors), and the workflow compiles to the same IR:
it runs, nests as a sub-workflow and has a launch plan like any other. One output is
returned as a value, several as a tuple (in the order they were added), as flytekit does.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from flowgen.dsl.entities import Workflow, _location
from flowgen.errors import CompileError, WiringError
from flowgen.ir.annotations import UnsupportedType, type_spec
from flowgen.ir.model import Binding, Interface, Output, Param, Program, SourceSpan, TaskSpec, WorkflowSpec
from flowgen.tracing.builder import GraphBuilder, current_builder
from flowgen.tracing.callsite import user_location, user_span
from flowgen.tracing.failure import failure_policy as failure_policy_name
from flowgen.tracing.promise import NodeHandle, Promise

__all__ = ["ImperativeWorkflow", "Node", "create_node"]


class Node(NodeHandle):
    """A node of a workflow: its outputs by name (``node.o0``, ``node.outputs["o0"]``); ``>>`` orders."""

    __slots__ = ("_outputs",)

    def __init__(self, handle: NodeHandle | None, node_id: str, scope: Any, outputs: dict[str, Promise]) -> None:
        super().__init__(node_id, scope)
        self._outputs = outputs

    @property
    def outputs(self) -> dict[str, Promise]:
        return dict(self._outputs)

    @property
    def id(self) -> str:
        return self._node

    def __getattr__(self, name: str) -> Promise:
        if name.startswith("_"):
            raise AttributeError(name)
        outputs = object.__getattribute__(self, "_outputs")
        if name in outputs:
            return outputs[name]  # type: ignore[no-any-return]
        raise WiringError(
            f"node {self._node} has no output {name!r} (outputs: {', '.join(outputs) or 'none'})",
            location=user_location(2),
        )

    def __repr__(self) -> str:
        return f"Node({self._node}, outputs={list(self._outputs)})"


def _as_node(result: Any, builder: GraphBuilder, interface: Interface) -> Node:
    node_id = builder.nodes[-1].id
    if interface.output_form == "none":
        outputs: dict[str, Promise] = {}
    elif interface.output_form == "single":
        outputs = {interface.outputs[0].name: result}
    else:
        outputs = {o.name: p for o, p in zip(interface.outputs, result)}
    return Node(None, node_id, builder.scope, outputs)


def create_node(entity: Any, *args: Any, **kwargs: Any) -> Node:
    """A node of ``entity`` (a task, workflow or launch plan) in the workflow being built."""
    builder = current_builder()
    if builder is None:
        raise CompileError("create_node() is called inside a @workflow body (or through Workflow.add_entity)",
                           location=user_location(2))
    if args:
        raise WiringError("create_node takes the entity's inputs by keyword", location=user_location(2))
    interface = getattr(entity, "interface", None)
    if interface is None or not hasattr(entity, "kind"):
        raise WiringError(f"create_node needs a task, workflow or launch plan, not {entity!r}",
                          location=user_location(2))
    result = entity(**kwargs)
    return _as_node(result, builder, interface)


class ImperativeWorkflow(Workflow):
    """flytekit's imperative workflow: inputs, nodes and outputs added one call at a time."""

    def __init__(self, name: str, failure_policy: Any = None, interruptible: bool = False) -> None:
        if not isinstance(name, str) or not name:
            raise CompileError(f"Workflow(name=...) needs a name, not {name!r}", location=user_location(2))
        self.name = name
        self.__name__ = self.__qualname__ = name.rpartition(".")[2]
        self.__doc__ = f"Imperative workflow {name}"
        self.function = f"__imperative__:{name}"
        span = user_span(2)
        self.source = SourceSpan(file=os.path.abspath(span.file), line=span.line) if span else None
        self.fn = self._not_a_function
        self.on_failure = None
        self.failure_policy = failure_policy_name(failure_policy, f"Workflow {name}", _location(self.source))
        self._params: list[Param] = []
        self._outputs: list[Output] = []
        self._output_bindings: dict[str, Binding] = {}
        self._tasks: dict[str, TaskSpec] = {}
        self._workflows: dict[str, WorkflowSpec] = {}
        self._builder = GraphBuilder("workflow", name, self._tasks, self._workflows)
        self._inputs: dict[str, Promise] = {}
        self._unused: set[str] = set()
        self._program: Program | None = None
        self._lock = threading.RLock()
        self.interface = Interface()

    @staticmethod
    def _not_a_function(**_: Any) -> Any:
        raise CompileError("an imperative workflow has no Python body to run in plain-Python mode")

    # -- building -------------------------------------------------------------------------------
    @property
    def inputs(self) -> dict[str, Promise]:
        """The workflow's inputs as Promises, by name."""
        return dict(self._inputs)

    @property
    def nodes(self) -> list[Any]:
        return list(self._builder.nodes)

    def add_workflow_input(self, input_name: str, python_type: Any) -> Promise:
        if input_name in self._inputs:
            raise WiringError(f"input {input_name!r} of workflow {self.name} is already declared",
                              location=user_location(2), workflow=self.name, input=input_name)
        try:
            spec = type_spec(python_type, opaque=True)
        except UnsupportedType as exc:
            raise WiringError(f"input {input_name!r} of workflow {self.name}: {exc}", location=user_location(2),
                              workflow=self.name, input=input_name) from None
        param = Param(name=input_name, type=spec)
        self._params.append(param)
        promise = self._builder.input_promise(param)
        self._inputs[input_name] = promise
        self._unused.add(input_name)
        self._changed()
        return promise

    def add_entity(self, entity: Any, **kwargs: Any) -> Node:
        """A node of ``entity`` with ``kwargs`` as its inputs (Promises of this workflow or constants)."""
        if current_builder() is not None:
            raise CompileError("an imperative workflow is built outside any @workflow body",
                               location=user_location(2))
        with self._builder:
            node = create_node(entity, **kwargs)
        for name, promise in self._inputs.items():
            if _mentions(kwargs, promise):
                self._unused.discard(name)
        self._changed()
        return node

    add_task = add_entity
    add_launch_plan = add_entity
    add_subwf = add_entity

    def add_workflow_output(self, output_name: str, p: Any, python_type: Any = None) -> None:
        if any(o.name == output_name for o in self._outputs):
            raise WiringError(f"output {output_name!r} of workflow {self.name} is already declared",
                              location=user_location(2), workflow=self.name)
        if python_type is None:
            if not isinstance(p, Promise):
                raise WiringError(
                    f"output {output_name!r} of workflow {self.name}: give python_type for a list or dict of "
                    "Promises (starting with the container type, e.g. list[int])",
                    location=user_location(2), workflow=self.name)
            spec = p.type
        else:
            try:
                spec = type_spec(python_type, opaque=True)
            except UnsupportedType as exc:
                raise WiringError(f"output {output_name!r} of workflow {self.name}: {exc}",
                                  location=user_location(2), workflow=self.name) from None
        with self._builder:
            binding = self._builder.bind_value(p, spec, f"output {output_name!r} of workflow {self.name}", None, None)
        self._outputs.append(Output(name=output_name, type=spec))
        self._output_bindings[output_name] = binding
        for name, promise in self._inputs.items():
            if _mentions(p, promise):
                self._unused.discard(name)
        self._changed()

    def _changed(self) -> None:
        form = "none" if not self._outputs else "single" if len(self._outputs) == 1 else "tuple"
        self.interface = Interface(inputs=tuple(self._params), outputs=tuple(self._outputs), output_form=form)
        self._program = None

    # -- compiling ------------------------------------------------------------------------------
    def ready(self) -> bool:
        """flytekit's check: at least one node, and every input used."""
        return bool(self._builder.nodes) and not self._unused

    def compile_program(self) -> Program:
        with self._lock:
            if self._program is None:
                if not self._builder.nodes:
                    raise CompileError(f"workflow {self.name} has no nodes yet (add some with add_entity)",
                                       location=_location(self.source), workflow=self.name)
                if self._unused:
                    names = ", ".join(sorted(self._unused))
                    raise WiringError(f"workflow {self.name}: input(s) {names} are not used by any node",
                                      location=_location(self.source), workflow=self.name,
                                      hint="pass them to a node with add_entity, or remove them")
                spec = WorkflowSpec(name=self.name, function=self.function, interface=self.interface,
                                    nodes=tuple(self._builder.nodes), outputs=dict(self._output_bindings),
                                    source=self.source, failure_policy=self.failure_policy)
                self._program = Program(entry=self.name, workflows={**self._workflows, self.name: spec},
                                        tasks=dict(self._tasks))
            return self._program


def _mentions(value: Any, promise: Promise) -> bool:
    if value is promise:
        return True
    if isinstance(value, dict):
        return any(_mentions(v, promise) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_mentions(v, promise) for v in value)
    return False


Workflow.imperative = ImperativeWorkflow
