"""``map_task(task, concurrency=..., min_success_ratio=...)`` and calls of the mapped task.

The mapped interface takes lists of the task's inputs (minus those fixed by a
``functools.partial``) and returns a list of its output (of ``Optional`` items
when ``min_success_ratio < 1``), as the tracer builds it.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from flowgen.ir.model import Binding, Interface, MapNode, Output, Param
from flowgen.ir.types import ListType, optional
from flowgen.static.abstract_values import EntityValue, MapTaskValue, OutsideSubset, PartialValue
from flowgen.static.body_base import BodyState
from flowgen.static.checks import INVALID_OPTION, MAP_TASK_NON_LIST, TYPE_MISMATCH, UNKNOWN_INPUT
from flowgen.static.values import Misuse

__all__ = ["MapTasksMixin"]


class MapTasksMixin(BodyState):
    """``map_task(t, ...)`` and calling the mapped task."""

    def make_map_task(self, args: tuple[Any, ...], kwargs: dict[str, Any], node: cst.Call) -> MapTaskValue:
        target = args[0] if args else kwargs.get("target")
        concurrency = args[1] if len(args) > 1 else kwargs.get("concurrency")
        ratio = args[2] if len(args) > 2 else kwargs.get("min_success_ratio", 1.0)
        if ratio is None:  # Flyte's way of saying "the default"
            ratio = 1.0
        fixed: dict[str, Any] = {}
        if isinstance(target, PartialValue):
            if target.args:
                raise Misuse(INVALID_OPTION, "map_task: fix inputs of a partial by keyword, not by position",
                             None, node)
            fixed = dict(target.kwargs)
            target = target.func
        if not isinstance(target, EntityValue) or target.entity.kind != "task":
            raise Misuse(MAP_TASK_NON_LIST, f"map_task maps a @task, not `{self.code(node.args[0].value)}`"
                         if node.args else "map_task needs a @task", None, node)
        entity = target.entity
        if not self.callee_ok(entity, node):
            raise OutsideSubset(f"map_task over {entity.name}, whose definition has errors", node)
        interface = entity.interface
        assert interface is not None
        if len(interface.outputs) > 1:
            raise Misuse(MAP_TASK_NON_LIST, f"map_task: {entity.name} has {len(interface.outputs)} outputs; a mapped "
                         "task has at most one", None, node)
        if not isinstance(ratio, (int, float)) or isinstance(ratio, bool) or not 0.0 <= ratio <= 1.0:
            raise Misuse(INVALID_OPTION, f"map_task: min_success_ratio must be in [0, 1], not {ratio!r}", None, node)
        if concurrency is not None and (not isinstance(concurrency, int) or concurrency < 1):
            raise Misuse(INVALID_OPTION, f"map_task: concurrency must be a positive int, not {concurrency!r}",
                         None, node)
        unknown = sorted(set(fixed) - {p.name for p in interface.inputs})
        if unknown:
            raise Misuse(UNKNOWN_INPUT, f"map_task: {entity.name} has no input(s) {', '.join(unknown)}", None, node)
        mapped = tuple(p.name for p in interface.inputs if p.name not in fixed)
        outputs: tuple[Output, ...] = ()
        if interface.outputs:
            item = interface.outputs[0].type
            outputs = (Output(name="o0", type=ListType(item=optional(item) if ratio < 1 else item)),)
        map_interface = Interface(
            inputs=tuple(Param(name=p.name, type=ListType(item=p.type)) if p.name in mapped else p
                         for p in interface.inputs if p.name not in fixed),
            outputs=outputs, output_form="single" if outputs else "none")
        return MapTaskValue(entity, fixed, concurrency, float(ratio), mapped, map_interface)

    def call_map(self, value: MapTaskValue, args: tuple[Any, ...], kwargs: dict[str, Any], node: cst.Call,
                 arg_nodes: dict[Any, cst.CSTNode]) -> Any:
        if self.graph is None:
            raise OutsideSubset("map_task called outside a workflow body", node)
        entity = value.entity
        bound = self.bind_arguments(value.interface, "map_task over", entity.name, args, kwargs, node, arg_nodes)
        inputs: dict[str, Binding] = {}
        assert entity.interface is not None
        for param in entity.interface.inputs:
            if param.name in value.fixed:
                item, target, what, check = value.fixed[param.name], param.type, f"fixed input {param.name!r}", \
                    TYPE_MISMATCH
                where: cst.CSTNode = node
            elif param.name in bound:
                item, target, what = bound[param.name], ListType(item=param.type), f"mapped input {param.name!r}"
                check = MAP_TASK_NON_LIST
                where = arg_nodes.get(param.name, node)
            else:
                continue
            b = self.bind_value(item, target, f"{what} of map_task over {entity.name}", where, check)
            if b is not None:
                inputs[param.name] = b
        assert entity.spec is not None
        self.graph.tasks[entity.name] = entity.spec
        node_id = self.graph.next_id()
        self.graph.append(MapNode(id=node_id, call_site=self.site(node), task=entity.name, inputs=inputs,
                                  mapped=tuple(m for m in value.mapped if m in bound), concurrency=value.concurrency,
                                  min_success_ratio=value.min_success_ratio, outputs=value.interface.outputs))
        return self.outputs_of(node_id, value.interface, f"map_task({entity.name})")
