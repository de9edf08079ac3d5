"""``conditional(name).if_(c).then(...).elif_(...).then(...).else_().then/fail(...)``.

A :class:`Section` is the chain while it is built; each branch runs in its own
:class:`~flowgen.static.graph.Graph` with the tracer's id prefix
(``<id>.b<i>.``); ``finish`` unifies the branch results into the outputs of one
``ConditionalNode``. A chain never finished is FG210.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from flowgen.ir.branches import branch_arity
from flowgen.ir.compat import common_type
from flowgen.ir.model import Binding, Branch, Case, ConditionalNode, InputRef, Interface, Output, SourceSpan, UnaryCheck
from flowgen.ir.types import TypeSpec
from flowgen.static.abstract_values import OutsideSubset
from flowgen.static.body_base import BodyState
from flowgen.static.checks import COMPARISON_AS_BOOL, CONDITIONAL_WITHOUT_ELSE, RAISES, TYPE_MISMATCH
from flowgen.static.graph import Graph
from flowgen.static.literals import type_of
from flowgen.static.values import ConditionValue, HandleValue, Misuse, Opaque, PromiseValue

__all__ = ["ConditionalsMixin", "OpenBranch", "Section", "ThenStep"]


@dataclass
class OpenBranch:
    graph: Graph
    condition: ConditionValue | None


@dataclass
class Section:
    """``conditional(name)`` while its chain is being built."""

    name: str
    parent: Graph
    id: str
    call_site: SourceSpan | None
    node: cst.CSTNode
    cases: list[tuple[ConditionValue, Graph, tuple[Any, ...]]] = field(default_factory=list)
    open: OpenBranch | None = None
    closed: bool = False
    stage: str = "start"  # start | case | else
    reported: bool = False  # a located error was already given: no "has no else_()" on top


@dataclass
class ThenStep:
    section: Section
    is_else: bool
    used: bool = False


class ConditionalsMixin(BodyState):
    """``conditional(name).if_(...).then(...)...else_()``: branches as nested graphs."""

    def make_section(self, args: tuple[Any, ...], kwargs: dict[str, Any], node: cst.Call) -> Section:
        if self.graph is None:
            raise OutsideSubset("conditional() outside a workflow body", node)
        name = args[0] if args else kwargs.get("name")
        if not isinstance(name, str):
            raise Misuse(RAISES, "conditional() takes a constant name", None, node)
        section = Section(name=name, parent=self.graph, id=self.graph.next_id(), call_site=self.site(node), node=node)
        self.graph.open_sections.append(section)
        return section

    def section_step(self, section: Section, name: str, args: tuple[Any, ...], kwargs: dict[str, Any],
                     node: cst.Call) -> Any:
        try:
            return self._section_step(section, name, args, kwargs, node)
        except (Misuse, OutsideSubset):
            section.reported = True  # the rest of its chain was never followed
            raise

    def _section_step(self, section: Section, name: str, args: tuple[Any, ...], kwargs: dict[str, Any],
                      node: cst.Call) -> Any:
        if name == "else_":
            if not section.cases or section.open is not None:
                raise Misuse(RAISES, f"conditional {section.name!r}: else_ follows if_(...).then(...)", None, node)
            self.open_branch(section, None)
            return ThenStep(section, is_else=True)
        if (name == "if_" and (section.cases or section.open is not None)) or (
                name == "elif_" and (not section.cases or section.open is not None)):
            order = "if_ comes first, once; use elif_" if name == "if_" else "elif_ follows if_(...).then(...)"
            raise Misuse(RAISES, f"conditional {section.name!r}: {order}", None, node)
        condition = args[0] if args else kwargs.get("condition")
        if isinstance(condition, bool):
            raise Misuse(COMPARISON_AS_BOOL, f"conditional {section.name!r} got a Python bool ({condition}); its value "
                         "was decided at compile time",
                         "build the condition from Promises: p > 3, p.is_true(), combined with & and |", node)
        if isinstance(condition, PromiseValue):
            raise Misuse(COMPARISON_AS_BOOL, f"conditional {section.name!r}: a Promise is not a condition by itself",
                         "use promise.is_true(), promise.is_false() or promise.is_none(), or compare it", node)
        if isinstance(condition, Opaque):
            if not condition.poisoned:
                raise OutsideSubset(f"conditional {section.name!r}: the condition cannot be computed statically", node)
            self.failed = True
            condition = None
        elif not isinstance(condition, ConditionValue):
            raise Misuse(COMPARISON_AS_BOOL, f"conditional {section.name!r}: {condition!r} is not a condition",
                         "compare Promises (p > 3) or use p.is_true(); combine with & and |", node)
        self.open_branch(section, condition)
        return ThenStep(section, is_else=False)

    def open_branch(self, section: Section, condition: ConditionValue | None) -> None:
        index = len(section.cases)
        parent = section.parent
        branch = Graph(parent.kind, parent.owner, parent.tasks, parent.workflows,
                       prefix=f"{section.id}.b{index}.", parent=parent)
        section.open = OpenBranch(branch, condition)
        self.graph = branch

    def close_branch(self, section: Section, value: Any, node: cst.CSTNode) -> tuple[OpenBranch, tuple[Any, ...]]:
        opened = section.open
        assert opened is not None
        for inner in opened.graph.open_sections:
            if not inner.closed and not inner.reported:
                self.report(CONDITIONAL_WITHOUT_ELSE, f"conditional {inner.name!r} has no else_()", inner.node)
        self.graph = section.parent
        section.open = None
        if isinstance(value, HandleValue) or value is None:
            values: tuple[Any, ...] = ()
        elif isinstance(value, tuple):
            values = tuple(value)
        else:
            values = (value,)
        return opened, values

    def then(self, step: ThenStep, name: str, args: tuple[Any, ...], kwargs: dict[str, Any],
             node: cst.Call) -> Any:
        section = step.section
        if section.open is None or step.used:
            raise Misuse(RAISES, f"conditional {section.name!r}: {name}() used twice", None, node)
        step.used = True
        value = args[0] if args else kwargs.get("value", kwargs.get("message"))
        if not step.is_else:
            opened, values = self.close_branch(section, value, node)
            condition = opened.condition
            if condition is None:  # an unknown condition, already reported
                condition = ConditionValue(UnaryCheck(check="is_true", operand=InputRef(name="?")))
            section.cases.append((condition, opened.graph, values))
            return section
        fail_message = None
        if name == "fail":
            fail_message = str(value) if not isinstance(value, (PromiseValue, Opaque)) else None
            if fail_message is None:
                raise Misuse(RAISES, "fail() takes a constant message", None, node)
            value = None
        opened, else_values = self.close_branch(section, value, node)
        return self.finish(section, opened, else_values, fail_message, node)

    def finish(self, section: Section, opened: OpenBranch, else_values: tuple[Any, ...], fail_message: str | None,
               node: cst.CSTNode) -> Any:
        results = [vals for _, _, vals in section.cases] + ([] if fail_message is not None else [else_values])
        section.closed = True
        section.parent.open_sections.remove(section)
        arity = branch_arity([len(v) for v in results])
        types: list[TypeSpec] = []
        for i in range(arity):
            item_types = []
            for vals in results:
                if isinstance(vals[i], Opaque) and (vals[i].poisoned or not vals[i].real):
                    if vals[i].poisoned:
                        self.failed = True
                        return Opaque(None, f"conditional {section.name!r}", poisoned=True)
                    raise OutsideSubset(f"conditional {section.name!r}: a branch result cannot be computed "
                                        "statically", node)
                t = vals[i].type if isinstance(vals[i], (PromiseValue, Opaque)) else type_of(vals[i])
                if t is None:
                    raise Misuse(TYPE_MISMATCH, f"conditional {section.name!r}: cannot use {vals[i]!r} as a branch "
                                 "result", None, node)
                item_types.append(t)
            types.append(common_type(item_types))
        outputs = tuple(Output(name=f"o{i}", type=t) for i, t in enumerate(types))

        def bind(values: tuple[Any, ...]) -> dict[str, Binding]:
            bound = {}
            for o, v in zip(outputs, values):
                b = self.bind_value(v, o.type, f"branch result {o.name} of conditional {section.name!r}", node)
                if b is not None:
                    bound[o.name] = b
            return bound

        cases = tuple(
            Case(condition=cond.condition, branch=Branch(nodes=tuple(graph.nodes), outputs=bind(vals)))
            for cond, graph, vals in section.cases
        )
        else_branch = Branch(nodes=tuple(opened.graph.nodes),
                             outputs={} if fail_message is not None else bind(else_values), fail_message=fail_message)
        section.parent.append(ConditionalNode(id=section.id, call_site=section.call_site, name=section.name,
                                              cases=cases, else_branch=else_branch, outputs=outputs))
        form = "none" if arity == 0 else ("single" if arity == 1 else "tuple")
        saved, self.graph = self.graph, section.parent
        try:
            return self.outputs_of(section.id, Interface(outputs=outputs, output_form=form),  # type: ignore[arg-type]
                                   f"conditional {section.name!r}")
        finally:
            self.graph = saved
