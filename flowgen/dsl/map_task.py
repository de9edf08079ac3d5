"""``map_task(task, concurrency=None, min_success_ratio=1.0)``: run a task once per list item.

Every input of the task that is not fixed with ``functools.partial`` is mapped: the
map takes a list for it, the lists are zipped (equal lengths, checked at run time),
and the output is ``list[T]`` (``list[Optional[T]]`` when ``min_success_ratio < 1``:
failed items become None, and the map fails if fewer than the ratio succeed). A
fixed input may be a constant or a Promise.
"""

from __future__ import annotations

import functools
from typing import Any

from flowgen.dsl.entities import Task
from flowgen.errors import DefinitionError, WiringError
from flowgen.ir.construct import construct
from flowgen.ir.model import (
    Binding,
    InputRef,
    Interface,
    MapNode,
    NodeOutputRef,
    Output,
    Param,
    Program,
    WorkflowSpec,
)
from flowgen.ir.types import ListType, optional
from flowgen.runtime.boundary import pack_outputs, prepare_inputs
from flowgen.runtime.gc_policy import run_scope
from flowgen.runtime.interpreter import Interpreter
from flowgen.runtime.plain import in_plain_mode
from flowgen.tracing.builder import bind_arguments, current_builder, literal_binding
from flowgen.tracing.callsite import user_location, user_span

__all__ = ["MapTask", "map_task"]


class MapTask:
    """The callable ``map_task`` returns."""

    kind = "map"

    def __init__(self, target: Any, concurrency: int | None, min_success_ratio: float | None) -> None:
        fixed: dict[str, Any] = {}
        task = target
        if isinstance(target, functools.partial):
            if target.args:
                raise DefinitionError("map_task: fix inputs of a partial by keyword, not by position",
                                      location=user_location(3))
            task, fixed = target.func, dict(target.keywords)
        if not isinstance(task, Task) or task.kind != "task":
            raise DefinitionError(f"map_task maps a @task, not {task!r}", location=user_location(3))
        if len(task.interface.outputs) > 1:
            raise DefinitionError(f"map_task: {task.name} has {len(task.interface.outputs)} outputs; "
                                  "a mapped task has at most one", location=user_location(3))
        if min_success_ratio is None:  # Flyte's way of saying "the default"
            min_success_ratio = 1.0
        if isinstance(min_success_ratio, bool) or not isinstance(min_success_ratio, (int, float)) \
                or not 0.0 <= min_success_ratio <= 1.0:
            raise DefinitionError(f"map_task: min_success_ratio must be in [0, 1], not {min_success_ratio!r}",
                                  location=user_location(3))
        if concurrency is not None and (not isinstance(concurrency, int) or concurrency < 1):
            raise DefinitionError(f"map_task: concurrency must be a positive int, not {concurrency!r}",
                                  location=user_location(3))
        unknown = sorted(set(fixed) - {p.name for p in task.interface.inputs})
        if unknown:
            raise DefinitionError(f"map_task: {task.name} has no input(s) {', '.join(unknown)}",
                                  location=user_location(3))
        self.task = task
        self.fixed = fixed
        self.concurrency = concurrency
        self.min_success_ratio = float(min_success_ratio)
        self.name = f"map_task({task.name})"
        self.mapped = tuple(p.name for p in task.interface.inputs if p.name not in fixed)
        item_outputs = task.interface.outputs
        outputs: tuple[Output, ...] = ()
        if item_outputs:
            item = item_outputs[0].type
            outputs = (Output(name="o0", type=ListType(item=optional(item) if self.min_success_ratio < 1 else item)),)
        self.interface = Interface(
            inputs=tuple(
                Param(name=p.name, type=ListType(item=p.type)) if p.name in self.mapped else p
                for p in task.interface.inputs if p.name not in fixed
            ),
            outputs=outputs,
            output_form="single" if outputs else "none",
        )

    def __repr__(self) -> str:
        return f"<MapTask {self.task.name}>"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        builder = current_builder()
        if builder is None:
            if in_plain_mode():
                return self._run_plain(args, kwargs)
            return self._run_local(args, kwargs)
        bound = bind_arguments(self.interface, "map_task over", self.task.name, args, kwargs)
        inputs: dict[str, Binding] = {}
        for param in self.task.interface.inputs:
            if param.name in self.fixed:
                value, target, what = self.fixed[param.name], param.type, f"fixed input {param.name!r}"
            elif param.name in bound:
                value, target, what = bound[param.name], ListType(item=param.type), f"mapped input {param.name!r}"
            else:
                continue
            try:
                inputs[param.name] = builder.bind_value(value, target, f"{what} of map_task over {self.task.name}",
                                                        self.task.name, param.name)
            except WiringError as exc:
                if param.name in self.mapped:
                    exc.hint = "map_task maps over lists: pass a list for every input not fixed with partial"
                    exc.args = (exc._render(),)
                raise
        builder.tasks[self.task.name] = self.task.spec()
        node_id = builder.next_id()
        node = construct(MapNode,
            id=node_id, call_site=user_span(2), upstream=(), task=self.task.name, inputs=inputs,
            mapped=tuple(m for m in self.mapped if m in bound), concurrency=self.concurrency,
            min_success_ratio=self.min_success_ratio, outputs=self.interface.outputs,
        )
        builder.append(node)
        return builder.outputs_of(node_id, self.interface, self.name)

    def _run_plain(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        bound = dict(zip(self.mapped, args)) | kwargs
        lists = [bound[name] for name in self.mapped]
        results = []
        for items in zip(*lists, strict=True):
            try:
                results.append(self.task.fn(**self.fixed, **dict(zip(self.mapped, items))))
            except Exception:
                if self.min_success_ratio >= 1.0:
                    raise
                results.append(None)
        return results

    def _run_local(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        """Outside a workflow: run the map now, as a one-node program."""
        bound = bind_arguments(self.interface, "map_task over", self.task.name, args, kwargs)
        values = prepare_inputs(self.interface, bound, what=self.name, task=self.task.name)
        inputs: dict[str, Binding] = {name: InputRef(name=name) for name in self.mapped}
        for name, value in self.fixed.items():
            param = self.task.interface.input(name)
            assert param is not None
            inputs[name] = literal_binding(value, param.type)
        node = MapNode(id="n0", call_site=user_span(2), task=self.task.name, inputs=inputs, mapped=self.mapped,
                       concurrency=self.concurrency, min_success_ratio=self.min_success_ratio,
                       outputs=self.interface.outputs)
        graph = WorkflowSpec(name=self.name, function=self.task.function, interface=self.interface, nodes=(node,),
                             outputs={o.name: NodeOutputRef(node="n0", output=o.name) for o in self.interface.outputs})
        program = Program(entry=self.name, workflows={self.name: graph}, tasks={self.task.name: self.task.spec()})
        with run_scope():
            outputs = Interpreter(program).run_workflow(program.entry, values)
        return pack_outputs(self.interface, outputs)


def map_task(target: Any, concurrency: int | None = None, min_success_ratio: float | None = 1.0,
             **_flyte: Any) -> MapTask:
    """Map a task over list inputs (see the module docstring)."""
    return MapTask(target, concurrency, min_success_ratio)
