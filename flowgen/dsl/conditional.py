"""``conditional(name)``: Flyte's if/elif/else on Promises.

    result = (
        conditional("size")
        .if_((n > 10) & (n < 100)).then(medium(n=n))
        .elif_(n >= 100).then(large(n=n))
        .else_().then(small(n=n))      # or .else_().fail("no size fits")
    )

Tracing: ``conditional()`` reserves the node id (call order); ``if_``/``elif_``/``else_``
open a branch graph (ids ``<id>.b<i>.n<j>``) that collects the calls made while the
``then(...)`` argument is evaluated; ``then`` closes it. The node is added to the
enclosing graph when ``else_`` closes the chain, and its outputs are Promises typed as
the branches' common type. Only the taken branch runs.

=======================================  ===============================================
mistake                                  error (at compile time, located)
=======================================  ===============================================
no ``else_``                             WiringError: conditional 'x' has no else_()
a Python bool in ``if_`` (``if_(True)``)  CompileError: conditions must come from Promises
a bool Promise in ``if_`` (``if_(p)``)   CompileError, hint ``p.is_true()``
branches with different output counts    WiringError naming both branches
=======================================  ===============================================
"""

from __future__ import annotations

from typing import Any

from flowgen.errors import CompileError, WiringError
from flowgen.ir.annotations import UnsupportedType, type_spec
from flowgen.ir.branches import branch_arity
from flowgen.ir.compat import common_type
from flowgen.ir.model import Branch, Case, ConditionalNode, Interface, Output
from flowgen.ir.types import TypeSpec
from flowgen.tracing.builder import GraphBuilder, current_builder
from flowgen.tracing.callsite import user_location, user_span
from flowgen.tracing.promise import ConditionExpr, NodeHandle, Promise

__all__ = ["ConditionalSection", "conditional"]


def _values(value: Any) -> tuple[Any, ...]:
    if isinstance(value, NodeHandle) or value is None:
        return ()
    if isinstance(value, tuple):
        return tuple(value)
    return (value,)


def _type_of(value: Any, where: str) -> TypeSpec:
    if isinstance(value, Promise):
        return value.type
    try:
        return type_spec(type(value))
    except UnsupportedType:
        raise WiringError(f"{where}: cannot use {value!r} as a branch result", location=user_location(4)) from None


class _Open:
    """A branch being traced: its builder and the condition that selects it (None for else)."""

    def __init__(self, builder: GraphBuilder, condition: ConditionExpr | None) -> None:
        self.builder = builder
        self.condition = condition


class ConditionalSection:
    """What ``conditional(name)`` returns; chain ``if_``/``elif_``/``else_``."""

    def __init__(self, name: str) -> None:
        parent = current_builder()
        if parent is None:
            raise CompileError(f"conditional({name!r}) can only be used inside a @workflow or @dynamic body",
                               location=user_location(3))
        self.name = name
        self.parent = parent
        self.id = parent.next_id()
        self.call_site = user_span(3)
        self.cases: list[tuple[ConditionExpr, Branch, tuple[Any, ...]]] = []
        self._open: _Open | None = None
        self._closed = False
        self._branch_builders: list[GraphBuilder] = []
        parent.open_sections.append(self)

    @property
    def _flowgen_incomplete(self) -> str | None:
        return None if self._closed else f"conditional {self.name!r} without an else_()"

    def __repr__(self) -> str:
        return f"<conditional {self.name!r} ({len(self.cases)} case(s), open)>"

    # -- chain --------------------------------------------------------------------------------
    def if_(self, condition: Any) -> _CaseThen:
        if self.cases or self._open is not None:
            raise CompileError(f"conditional {self.name!r}: if_ comes first, once; use elif_",
                               location=user_location(2))
        return self._begin(condition)

    def elif_(self, condition: Any) -> _CaseThen:
        if not self.cases or self._open is not None:
            raise CompileError(f"conditional {self.name!r}: elif_ follows if_(...).then(...)",
                               location=user_location(2))
        return self._begin(condition)

    def else_(self) -> _ElseThen:
        if not self.cases or self._open is not None:
            raise CompileError(f"conditional {self.name!r}: else_ follows if_(...).then(...)",
                               location=user_location(2))
        self._open_branch(None)
        return _ElseThen(self)

    def _begin(self, condition: Any) -> _CaseThen:
        if isinstance(condition, bool):
            raise CompileError(
                f"conditional {self.name!r} got a Python bool ({condition}); its value was decided at compile time",
                location=user_location(3),
                hint="build the condition from Promises: p > 3, p.is_true(), combined with & and |",
            )
        if isinstance(condition, Promise):
            raise CompileError(
                f"conditional {self.name!r}: a Promise is not a condition by itself",
                location=user_location(3),
                hint="use promise.is_true(), promise.is_false() or promise.is_none(), or compare it",
            )
        if not isinstance(condition, ConditionExpr):
            raise CompileError(f"conditional {self.name!r}: {condition!r} is not a condition",
                               location=user_location(3),
                               hint="compare Promises (p > 3) or use p.is_true(); combine with & and |")
        self._open_branch(condition)
        return _CaseThen(self)

    def _open_branch(self, condition: ConditionExpr | None) -> None:
        index = len(self.cases)
        builder = GraphBuilder(self.parent.kind, self.parent.owner, self.parent.tasks, self.parent.workflows,
                               prefix=f"{self.id}.b{index}.", parent=self.parent)
        builder.__enter__()
        self._open = _Open(builder, condition)

    def _close_branch(self, value: Any) -> tuple[_Open, tuple[Any, ...]]:
        opened = self._open
        assert opened is not None
        if current_builder() is not opened.builder:
            raise CompileError(f"conditional {self.name!r}: a branch was left open inside this then()",
                               location=user_location(3))
        opened.builder.__exit__(None, None, None)
        self._open = None
        self._check_inner_sections(opened.builder)
        return opened, _values(value)

    def _check_inner_sections(self, builder: GraphBuilder) -> None:
        for section in builder.open_sections:
            if not section._closed:
                raise WiringError(f"conditional {section.name!r} has no else_()", location=_loc(section))

    def _finish(self, else_value: Any, fail_message: str | None) -> Any:
        opened, else_values = self._close_branch(else_value)
        branches = [(cond, b, vals) for cond, b, vals in self.cases]
        results = [vals for _, _, vals in branches] + ([] if fail_message is not None else [else_values])
        arity = branch_arity([len(v) for v in results])
        types = [
            common_type([_type_of(vals[i], f"conditional {self.name!r}") for vals in results]) for i in range(arity)
        ]
        outputs = tuple(Output(name=f"o{i}", type=t) for i, t in enumerate(types))

        def bind(builder: GraphBuilder, values: tuple[Any, ...]) -> dict[str, Any]:
            return {
                o.name: builder.bind_value(v, o.type, f"branch result {o.name} of conditional {self.name!r}", None, None)
                for o, v in zip(outputs, values)
            }

        cases = tuple(
            Case(condition=cond.condition, branch=branch.model_copy(update={"outputs": bind(builder, vals)}))
            for (cond, branch, vals), builder in zip(branches, self._branch_builders)
        )
        else_branch = Branch(nodes=tuple(opened.builder.nodes),
                             outputs={} if fail_message is not None else bind(opened.builder, else_values),
                             fail_message=fail_message)
        node = ConditionalNode(id=self.id, call_site=self.call_site, name=self.name, cases=cases,
                               else_branch=else_branch, outputs=outputs)
        self._closed = True
        self.parent.open_sections.remove(self)
        self.parent.append(node)
        form = "none" if arity == 0 else ("single" if arity == 1 else "tuple")
        return self.parent.outputs_of(self.id, Interface(outputs=outputs, output_form=form),
                                      f"conditional {self.name!r}")


class _CaseThen:
    def __init__(self, section: ConditionalSection) -> None:
        self._section = section

    @property
    def _flowgen_incomplete(self) -> str:
        return f"conditional {self._section.name!r} without then()/else_()"

    def then(self, value: Any) -> ConditionalSection:
        section = self._section
        opened, values = section._close_branch(value)
        assert opened.condition is not None
        section.cases.append((opened.condition, Branch(nodes=tuple(opened.builder.nodes)), values))
        section._branch_builders.append(opened.builder)
        return section


class _ElseThen:
    def __init__(self, section: ConditionalSection) -> None:
        self._section = section

    @property
    def _flowgen_incomplete(self) -> str:
        return f"conditional {self._section.name!r} without else_().then()"

    def then(self, value: Any) -> Any:
        return self._section._finish(value, None)

    def fail(self, message: str) -> Any:
        return self._section._finish(None, str(message))


def _loc(section: ConditionalSection) -> Any:
    from flowgen.errors import SourceLocation

    span = section.call_site
    return SourceLocation(span.file, span.line, span.column) if span else None


def conditional(name: str) -> ConditionalSection:
    """Begin a conditional (see the module docstring)."""
    return ConditionalSection(name)
