"""The graph builder: what a task call does while a workflow or @dynamic body is traced.

A thread-local stack holds the active builders. ``Task.__call__`` and friends
ask :func:`current_builder`; when there is one, the call becomes a node and
returns Promises instead of running.
"""

from __future__ import annotations

import sys
import threading
from typing import Any, Protocol

from flowgen.errors import PromiseError, SourceLocation, WiringError
from flowgen.ir import refs
from flowgen.ir.compat import comparable, is_assignable, variant_of, wiring_hint
from flowgen.ir.construct import construct, construct_exact
from flowgen.ir.model import (
    Binding,
    DictBinding,
    DynamicNode,
    InputRef,
    Interface,
    ListBinding,
    Node,
    NodeOutputRef,
    Param,
    SourceSpan,
    TaskNode,
    TaskSpec,
    WorkflowNode,
    WorkflowSpec,
)
from flowgen.ir.types import DictType, ListType, TypeSpec, render_type
from flowgen.ir.values import TypeMismatch
from flowgen.tracing.callsite import user_location, user_span, user_span_from
from flowgen.tracing.literals import literal_binding, literal_for_condition
from flowgen.tracing.promise import ConditionExpr, NodeHandle, Promise, _Scope

__all__ = ["Callee", "GraphBuilder", "bind_arguments", "comparable", "current_builder", "literal_binding",
           "literal_for_condition", "push_builder", "replace_builder", "truncate_builders"]

_local = threading.local()

# add_call and _promise spell these models' fields in declaration order (serialization follows it).
assert list(NodeOutputRef.model_fields) == ["kind", "node", "output", "path"]
assert list(TaskNode.model_fields) == list(DynamicNode.model_fields) == [
    "id", "call_site", "upstream", "kind", "task", "inputs"]


class Callee(Protocol):
    """What the builder needs of a task, dynamic or workflow object."""

    name: str
    kind: str  # "task" | "dynamic" | "workflow"
    interface: Interface

    def spec(self) -> TaskSpec: ...

    def compile_program(self) -> Any: ...


def current_builder() -> GraphBuilder | None:
    return getattr(_local, "top", None)  # type: ignore[no-any-return]


# The stack of active builders is per thread; ``top`` mirrors its last entry (one attribute read
# per task call: ``Task.__call__`` reads it directly).
def push_builder(builder: Any) -> int:
    """Put ``builder`` on this thread's stack; returns its depth."""
    stack = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    stack.append(builder)
    _local.top = builder
    return len(stack) - 1


def truncate_builders(depth: int) -> None:
    """Remove the builder at ``depth`` and every one above it (a failed trace may leave branches open)."""
    stack = _local.stack
    del stack[depth:]
    _local.top = stack[-1] if stack else None


def replace_builder(depth: int, old: Any, new: Any) -> None:
    """Put ``new`` where ``old`` is on the stack, if it still is."""
    stack = getattr(_local, "stack", None)
    if stack is not None and 0 <= depth < len(stack) and stack[depth] is old:
        stack[depth] = new
        _local.top = stack[-1]


_names: dict[int, tuple[Interface, frozenset[str], frozenset[str]]] = {}


def _names_of(interface: Interface) -> tuple[frozenset[str], frozenset[str]]:
    """All input names and the required ones, cached by the interface object's identity."""
    hit = _names.get(id(interface))
    if hit is None or hit[0] is not interface:
        hit = (
            interface,
            frozenset(p.name for p in interface.inputs),
            frozenset(p.name for p in interface.inputs if not p.has_default),
        )
        _names[id(interface)] = hit
    return hit[1], hit[2]


def bind_arguments(
    interface: Interface, kind: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> dict[str, Any]:
    """Bind a call's arguments to input names by the signature; unknown, missing, duplicate are errors."""
    if not args:
        names, required = _names_of(interface)
        keys = kwargs.keys()
        if keys <= names and required <= keys:
            return kwargs
    params = interface.inputs
    if len(args) > len(params):
        raise WiringError(
            f"{kind} {name} takes {len(params)} input(s) but {len(args)} positional argument(s) were given",
            location=user_location(3),
            task=name,
        )
    bound = {p.name: a for p, a in zip(params, args)}
    for key, value in kwargs.items():
        if key in bound:
            raise WiringError(
                f"input {key!r} of {kind} {name} is given twice (by position and by keyword)",
                location=user_location(3),
                task=name,
                input=key,
            )
        if interface.input(key) is None:
            known = ", ".join(p.name for p in params) or "none"
            raise WiringError(
                f"{kind} {name} has no input {key!r} (inputs: {known})",
                location=user_location(3),
                task=name,
                input=key,
            )
        bound[key] = value
    missing = [p.name for p in params if p.name not in bound and not p.has_default]
    if missing:
        raise WiringError(
            f"{kind} {name} is missing input(s) {', '.join(repr(m) for m in missing)}",
            location=user_location(3),
            task=name,
            input=missing[0],
        )
    return bound


_SCALARS = frozenset({str, int, float, bool, bytes, type(None)})


def _contains_promise(value: Any) -> bool:
    if isinstance(value, (Promise, ConditionExpr, NodeHandle)):
        return True
    if isinstance(value, (list, tuple)):
        return any(_contains_promise(v) for v in value)
    if isinstance(value, dict):
        return any(_contains_promise(v) for v in value.values())
    return False


# Literals live in flowgen.tracing.literals (Promise comparisons use them too); re-exported here.


class GraphBuilder:
    """Collects the nodes of one graph (a workflow body, a @dynamic body, or a conditional branch)."""

    def __init__(
        self,
        kind: str,
        owner: str,
        tasks: dict[str, TaskSpec],
        workflows: dict[str, WorkflowSpec],
        prefix: str = "",
        parent: GraphBuilder | None = None,
    ) -> None:
        self.kind = kind
        self.owner = owner
        self.tasks = tasks
        self.workflows = workflows
        self.prefix = prefix
        self.parent = parent
        self.nodes: list[Node] = []
        self._count = 0
        self.open_sections: list[Any] = []  # conditionals begun here and not yet closed by else_
        self.scope = _Scope(kind, owner, self)
        self._where: SourceLocation | None = None  # set while binding a body's return value
        # the frame of the latest task call (the body's, usually): once the body has returned, its
        # line is the ``return`` that ran (flowgen.tracing.compiler); dropped after the trace
        self.call_frame: Any = None

    # -- context ------------------------------------------------------------------------------
    def __enter__(self) -> GraphBuilder:
        self._depth = push_builder(self)
        return self

    def __exit__(self, *exc: Any) -> None:
        # Truncate rather than pop: a failed trace may leave inner (branch) builders open.
        truncate_builders(self._depth)

    def next_id(self) -> str:
        """The next node id in call order (a conditional reserves its id when ``conditional()`` is called)."""
        node_id = f"{self.prefix}n{self._count}"
        self._count += 1
        return node_id

    def input_promise(self, param: Param) -> Promise:
        return Promise(InputRef.model_construct(name=param.name), param.type, f"workflow input {param.name!r}", self.scope, None)

    # -- bindings -----------------------------------------------------------------------------
    def bind_value(self, value: Any, target: TypeSpec, what: str, callee: str | None, input_name: str | None) -> Binding:
        if type(value) in _SCALARS:
            try:
                return literal_binding(value, target)
            except TypeMismatch as exc:
                raise self._literal_error(value, target, what, callee, input_name, exc) from None
        if isinstance(value, Promise):
            if not self._owns(value._scope):
                raise self._foreign_promise(value, what, callee, input_name)
            if not is_assignable(value.type, target):
                raise WiringError(
                    f"{what} expects {render_type(target)}, but {value._origin} is {render_type(value.type)}",
                    location=self._here(4),
                    workflow=self.owner,
                    task=callee,
                    input=input_name,
                    hint=wiring_hint(value.type, target),
                )
            return value.ref
        if isinstance(value, ConditionExpr):
            raise PromiseError(
                f"{what} got a comparison of Promises; its value is known only when the workflow runs",
                location=self._here(4),
                workflow=self.owner,
                input=input_name,
                hint="compute it in a task, or branch on it with conditional()",
            )
        incomplete = getattr(value, "_flowgen_incomplete", None)
        if incomplete is not None:
            raise WiringError(f"{what} got {incomplete}", location=self._here(4), workflow=self.owner,
                              input=input_name, hint="finish it with .else_().then(...) or .else_().fail(...)")
        if isinstance(value, NodeHandle):
            raise WiringError(
                f"{what} got the result of node {value.node_id}, which has no outputs",
                location=self._here(4),
                workflow=self.owner,
                input=input_name,
            )
        if isinstance(value, (list, dict, tuple)) and _contains_promise(value):
            if isinstance(value, (list, tuple)):
                list_type = variant_of(target, ListType)
                if list_type is None:
                    raise self._literal_error(value, target, what, callee, input_name)
                return construct(ListBinding,
                    items=tuple(
                        self.bind_value(v, list_type.item, f"{what} item [{i}]", callee, input_name)
                        for i, v in enumerate(value)
                    )
                )
            dict_type = variant_of(target, DictType)
            if dict_type is None or not all(isinstance(k, str) for k in value):
                raise self._literal_error(value, target, what, callee, input_name)
            return construct(DictBinding,
                items=tuple(
                    (k, self.bind_value(v, dict_type.value, f"{what} item [{k!r}]", callee, input_name))
                    for k, v in value.items()
                )
            )
        try:
            return literal_binding(value, target)
        except TypeMismatch as exc:
            raise self._literal_error(value, target, what, callee, input_name, exc) from None

    def _owns(self, scope: Any) -> bool:
        """Whether a Promise made in ``scope`` belongs to this graph: this builder's, or an enclosing
        graph's while it is still being traced (a conditional branch reads its workflow's Promises)."""
        builder: GraphBuilder | None = self
        while builder is not None:
            if builder.scope is scope:
                return True
            builder = builder.parent
        return False

    def _foreign_promise(self, value: Promise, what: str, callee: str | None, input_name: str | None) -> WiringError:
        """A Promise kept from another graph (in a global, a default, a closure): its node is not in
        this one, so the value it stands for does not exist here."""
        scope = value._scope
        when = "still being traced" if scope.builder is not None else "already traced (an earlier compile or run)"
        return WiringError(
            f"{what} got {value._origin}, a Promise of {scope.kind} {scope.name}, whose graph is {when}; "
            "a Promise belongs to the graph that made it",
            location=self._here(5),
            workflow=self.owner,
            task=callee,
            input=input_name,
            hint="do not keep Promises across workflows or runs (in a global, a default or a closure); "
                 "pass the value in as an input",
        )

    def _literal_error(
        self, value: Any, target: TypeSpec, what: str, callee: str | None, input_name: str | None,
        exc: TypeMismatch | None = None,
    ) -> WiringError:
        detail = exc.describe() if exc is not None else f"expected {render_type(target)}, got {type(value).__name__}"
        inner = exc.value if exc is not None else None
        hint = None
        if isinstance(inner, (Promise, ConditionExpr, NodeHandle)) and exc is not None and exc.path:
            hint = (f"{type(value).__name__} holds a Promise at {exc.path}: an object cannot be built from "
                    "Promises in a workflow body; build it in a task that takes them as inputs")
        return WiringError(
            f"{what}: {detail}",
            location=self._here(5),
            workflow=self.owner,
            task=callee,
            input=input_name,
            hint=hint,
        )

    # -- nodes --------------------------------------------------------------------------------
    def add_call(self, callee: Callee, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        interface = callee.interface
        bound = bind_arguments(interface, callee.kind, callee.name, args, kwargs)
        inputs: dict[str, Binding] = {}
        for param in interface.inputs:
            name = param.name
            if name in bound:
                value = bound[name]
                if type(value) is Promise and value._scope is self.scope and (
                        value._type is param.type or is_assignable(value._type, param.type)):
                    inputs[name] = value._binding  # the common case, without building messages
                    continue
                inputs[name] = self.bind_value(
                    value, param.type, f"input {name!r} of {callee.kind} {callee.name}", callee.name, name
                )
        extra = getattr(callee, "extra_bindings", None)
        if extra is not None:  # a launch plan's fixed and default inputs
            inputs.update(extra(set(inputs)))
        node_id = self.next_id()
        self.call_frame = frame = sys._getframe(2)  # the caller of the entity's __call__
        call_site = user_span_from(frame)  # ... or the user's frame outside it
        if callee.kind == "workflow":
            program = callee.compile_program()
            self.workflows.update(program.workflows)
            self.tasks.update(program.tasks)
            node: Node = construct(WorkflowNode,
                id=node_id, call_site=call_site, upstream=(), workflow=getattr(callee, "workflow_name", callee.name),
                inputs=inputs,
                launch_plan=getattr(callee, "launch_plan_name", None),
            )
        else:
            self.tasks[callee.name] = callee.spec()
            fields = {"id": node_id, "call_site": call_site, "upstream": (), "kind": "task", "task": callee.name,
                      "inputs": inputs}
            if callee.kind == "dynamic":
                fields["kind"] = "dynamic"
                node = construct_exact(DynamicNode, fields)
            else:
                node = construct_exact(TaskNode, fields)
        self.append(node)
        return self.outputs_of(node_id, interface, callee.kind + " " + callee.name)

    def check_complete(self) -> None:
        """Every conditional begun in this graph was closed with ``else_``."""
        for section in self.open_sections:
            span = section.call_site
            raise WiringError(
                f"conditional {section.name!r} has no else_()",
                location=SourceLocation(span.file, span.line, span.column) if span else None,
                workflow=self.owner,
                hint="end it with .else_().then(...) or .else_().fail(\"message\")",
            )

    def append(self, node: Node) -> None:
        self.nodes.append(node)

    def _position(self, node_id: str) -> int | None:
        """Where a node is in this graph (``>>`` is rare: a scan from the end beats an index per node)."""
        for i in range(len(self.nodes) - 1, -1, -1):
            if self.nodes[i].id == node_id:
                return i
        return None

    def outputs_of(self, node_id: str, interface: Interface, what: str) -> Any:
        form = interface.output_form
        if form == "none":
            return NodeHandle(node_id, self.scope)
        if form == "single":
            out = interface.outputs[0]
            return self._promise(node_id, out.name, out.type, what)
        promises = [self._promise(node_id, o.name, o.type, what) for o in interface.outputs]
        if form == "namedtuple" and interface.output_ref is not None:
            return _promise_tuple_class(refs.resolve(interface.output_ref))(*promises)
        return tuple(promises)

    def _promise(self, node_id: str, name: str, type_: TypeSpec, what: str) -> Promise:
        ref = construct_exact(NodeOutputRef, {"kind": "output", "node": node_id, "output": name, "path": ()})
        origin = ("output '", name, "' of ", what, " (node ", node_id, ")")
        return Promise(ref, type_, origin, self.scope, node_id)

    def add_upstream(self, node_id: str, upstream: str) -> None:
        builder: GraphBuilder | None = self
        while builder is not None and builder._position(node_id) is None:
            builder = builder.parent
        if builder is None:
            raise WiringError(f"`>>`: node {node_id} is not in this graph", location=user_location(4))
        i = builder._position(node_id)
        assert i is not None
        node = builder.nodes[i]
        if upstream not in node.upstream:
            builder.nodes[i] = node.model_copy(update={"upstream": (*node.upstream, upstream)})

    # -- outputs ------------------------------------------------------------------------------
    def bind_outputs(
        self, returned: Any, interface: Interface, what: str, location: SourceLocation | None = None
    ) -> dict[str, Binding]:
        """The output bindings of a body from what it returned. ``location`` (the body's return line)
        places errors: the body has already returned, so the innermost user frame is its caller's."""
        self._where = location
        try:
            return self._bind_outputs(returned, interface, what)
        finally:
            self._where = None

    def _here(self, depth: int) -> SourceLocation | None:
        return self._where if self._where is not None else user_location(depth + 1)

    def _bind_outputs(self, returned: Any, interface: Interface, what: str) -> dict[str, Binding]:
        outputs = interface.outputs
        form = interface.output_form
        if form == "none":
            if self.kind == "dynamic":
                return {}  # as in Flyte: a @dynamic without outputs drops what its body returned
            if returned is not None and not isinstance(returned, NodeHandle):
                raise WiringError(
                    f"{what} declares no outputs (-> None) but returns {_describe(returned)}",
                    location=self._here(3),
                    workflow=self.owner,
                    hint="add a return annotation",
                )
            return {}
        if form == "single":
            return {outputs[0].name: self.bind_value(returned, outputs[0].type, f"the return value of {what}", None, None)}
        if form == "namedtuple" and len(outputs) == 1 and not (isinstance(returned, tuple) and len(returned) == 1):
            returned = (returned,)  # a one-field NamedTuple returned bare is wrapped, as in Flyte
        if not isinstance(returned, tuple) or len(returned) != len(outputs):
            count = len(returned) if isinstance(returned, tuple) else 1
            raise WiringError(
                f"{what} declares {len(outputs)} outputs but returns {count} value(s)",
                location=self._here(3),
                workflow=self.owner,
            )
        return {
            o.name: self.bind_value(v, o.type, f"output {o.name!r} of {what}", None, None)
            for o, v in zip(outputs, returned)
        }


_PROMISE_TUPLES: dict[type, type] = {}


def _promise_tuple_class(cls: type) -> type:
    """The user's NamedTuple, holding Promises, whose unknown attributes are wiring errors."""
    sub = _PROMISE_TUPLES.get(cls)
    if sub is None:
        def __getattr__(self: Any, name: str) -> Any:
            if name.startswith("_"):
                raise AttributeError(name)
            raise WiringError(
                f"the outputs of {self[0]._origin.rpartition(' of ')[2]} are a {cls.__name__}, "
                f"which has no field {name!r}",
                location=user_location(2),
                hint=f"{cls.__name__} has fields: {', '.join(cls._fields)}",  # type: ignore[attr-defined]
            )

        sub = type(cls.__name__, (cls,), {"__slots__": (), "__getattr__": __getattr__,
                                           "__qualname__": cls.__qualname__, "__module__": cls.__module__})
        _PROMISE_TUPLES[cls] = sub
    return sub


def _describe(value: Any) -> str:
    if isinstance(value, Promise):
        return repr(value)
    return f"{type(value).__name__} {value!r}"[:80]




def call_site_here() -> SourceSpan | None:
    return user_span(2)
