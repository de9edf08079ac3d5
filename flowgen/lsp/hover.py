"""Hover on a name in a @workflow or @dynamic body: is it a Promise, of what, from where?

===========================  ==============================================================
the name is                  hover says
===========================  ==============================================================
an input of a @workflow      ``Promise[T]``, input of the workflow
an input of a @dynamic       ``T``: a plain value (a @dynamic runs with real inputs)
bound to a task/workflow/    ``Promise[T]`` (``T`` of its output, or of the unpacked item),
dynamic call's result        the producing task and node (``n3``: the id ``flowgen compile``
                             prints; in a @dynamic, nodes are made when it runs)
===========================  ==============================================================

The binding is the name's last assignment in the body before the cursor's line (source
order, as a reader of the body sees it); the types are the static front end's.
"""

from __future__ import annotations

import libcst as cst

from flowgen.ir.model import ConditionalNode, Node, Program
from flowgen.ir.types import render_type
from flowgen.lsp.source_index import Binding, Function, SourceIndex
from flowgen.static import EntityInfo, Workspace


def hover_text(workspace: Workspace, index: SourceIndex, line: int, column: int) -> str | None:
    found = index.name_at(line, column)
    function = index.function_at(line, column)
    if found is None or function is None or not function.top_level:
        return None
    _, name = found
    body = workspace.function(function.node.name.value)
    if body is None or body.kind not in ("workflow", "dynamic") or body.interface is None:
        return None
    param = body.interface.input(name.value)
    if param is not None and _is_param(function.node, name.value):
        shown = render_type(param.type)
        if body.kind == "workflow":
            return f"```python\n{name.value}: Promise[{shown}]\n```\ninput `{name.value}` of @workflow `{body.name}`"
        return f"```python\n{name.value}: {shown}\n```\ninput of @dynamic `{body.name}`: a plain value when it runs"
    binding = _binding_before(function, name.value, line)
    if binding is None or not isinstance(binding.value, cst.Call):
        return None
    producer = workspace.called(binding.value.func)
    if producer is None or producer.interface is None:
        return None
    outputs = producer.interface.outputs
    if binding.index is not None and producer.interface.output_form in ("tuple", "namedtuple"):
        if binding.index >= len(outputs):
            return None
        output = outputs[binding.index]
    elif len(outputs) == 1 and binding.index is None:
        output = outputs[0]
    else:
        return None
    where = _node_text(workspace, index, function, body, binding, producer)
    return (
        f"```python\n{name.value}: Promise[{render_type(output.type)}]\n```\n"
        f"output `{output.name}` of {producer.kind} `{producer.name}` ({where})"
    )


def _is_param(node: cst.FunctionDef, name: str) -> bool:
    p = node.params
    return any(param.name.value == name for param in (*p.posonly_params, *p.params, *p.kwonly_params))


def _binding_before(function: Function, name: str, line: int) -> Binding | None:
    candidates = [b for b in function.bindings.get(name, []) if b.line <= line]
    return candidates[-1] if candidates else None


def _node_text(
    workspace: Workspace,
    index: SourceIndex,
    function: Function,
    body: EntityInfo,
    binding: Binding,
    producer: EntityInfo,
) -> str:
    if body.kind == "dynamic":
        return "a node made when the @dynamic runs"
    program = workspace.program(body)
    node = _node_at(program, binding.value_span[0], producer.name) if program is not None else None
    if node is not None:
        return f"node {node.id}"
    # The workflow does not compile (yet): count the calls of tasks before this one.
    calls = [span for span, call in index.calls if _inside(span, function) and workspace.called(call.func) is not None]
    before = sum(1 for span in calls if span[:2] < binding.value_span[:2])
    return f"node n{before} by call order; the workflow does not compile yet"


def _inside(span: tuple[int, int, int, int], function: Function) -> bool:
    return function.span[:2] <= span[:2] <= function.span[2:]


def _node_at(program: Program, line: int, entity_name: str) -> Node | None:
    for node in _nodes(program.root.nodes):
        site = node.call_site
        if (
            site is not None
            and site.line == line
            and entity_name in (getattr(node, "task", None), getattr(node, "workflow", None))
        ):
            return node
    return None


def _nodes(nodes: tuple[Node, ...]) -> list[Node]:
    found: list[Node] = []
    for node in nodes:
        found.append(node)
        if isinstance(node, ConditionalNode):
            for case in node.cases:
                found.extend(_nodes(case.branch.nodes))
            found.extend(_nodes(node.else_branch.nodes))
    return found
