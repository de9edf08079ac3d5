"""Statements of a body: blocks, assignments, unpacking, ``if``/``for``/``while``, ``return``.

A statement that raises a finding is reported at its node and its targets
become poisoned :class:`Opaque` values, so one mistake is reported once. Loops
over constants unroll (within the step budget); loops and ``if`` on unknown
values of a ``@dynamic`` run their body twice / both branches.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import libcst as cst

from flowgen.ir.types import ListType, TupleType
from flowgen.static.abstract_values import (
    SIZE_LIMIT,
    BreakSignal,
    CallOutputs,
    ClassValue,
    ContinueSignal,
    EntityValue,
    ExternalValue,
    ModuleValue,
    OutsideSubset,
    PlainFunction,
    ReturnSignal,
    item_type,
    strip_optional,
)
from flowgen.static.body_base import BodyState
from flowgen.static.checks import (
    LOOP_ON_PROMISE,
    OUTSIDE_SUBSET,
    PROMISE_AS_INDEX,
    PROMISE_ITERATION,
    PROMISE_VALUE_NEEDED,
    RAISES,
    UNPACK_COUNT,
)
from flowgen.static.summary import dotted_name as summary_dotted
from flowgen.static.values import Indeterminate, Misuse, NamedOutputs, Opaque, PromiseValue

__all__ = ["AUGOPS", "StatementsMixin", "assigned_names", "names_in"]


AUGOPS: dict[type, type] = {
    cst.AddAssign: cst.Add, cst.SubtractAssign: cst.Subtract, cst.MultiplyAssign: cst.Multiply,
    cst.DivideAssign: cst.Divide, cst.FloorDivideAssign: cst.FloorDivide, cst.ModuloAssign: cst.Modulo,
    cst.PowerAssign: cst.Power, cst.LeftShiftAssign: cst.LeftShift, cst.RightShiftAssign: cst.RightShift,
    cst.BitOrAssign: cst.BitOr, cst.BitAndAssign: cst.BitAnd, cst.BitXorAssign: cst.BitXor,
    cst.MatrixMultiplyAssign: cst.MatrixMultiply,
}


def assigned_names(stmt: cst.CSTNode) -> set[str]:
    """Every name a statement (with everything nested in it) may bind."""
    names: set[str] = set()

    class Collector(cst.CSTVisitor):
        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            names.update(names_in(node.target))

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            names.update(names_in(node.target))

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            names.update(names_in(node.target))

        def visit_For(self, node: cst.For) -> None:
            names.update(names_in(node.target))

        def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
            names.update(names_in(node.target))

        def visit_AsName(self, node: cst.AsName) -> None:
            names.update(names_in(node.name))

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            names.add(node.name.value)
            return False

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            names.add(node.name.value)
            return False

        def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
            if node.asname is None:
                names.add((summary_dotted(node.name) or "").split(".")[0])

        def visit_CompFor(self, node: cst.CompFor) -> bool:
            return False

    stmt.visit(Collector())
    names.discard("")
    return names


def names_in(target: cst.CSTNode) -> Iterator[str]:
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, (cst.Tuple, cst.List)):
        for e in target.elements:
            yield from names_in(e.value)
    elif isinstance(target, cst.StarredElement):
        yield from names_in(target.value)
    elif isinstance(target, cst.Del):
        yield from names_in(target.target)


class StatementsMixin(BodyState):
    """Statements: blocks, assignment and unpacking, ``if``/``for``/``while`` on constants."""

    def block(self, suite: cst.BaseSuite | cst.CSTNode) -> None:
        if isinstance(suite, cst.IndentedBlock):
            for stmt in suite.body:
                self.statement(stmt)
        elif isinstance(suite, cst.SimpleStatementSuite):
            for small in suite.body:
                self.guarded(small)
        elif isinstance(suite, cst.Else):
            self.block(suite.body)

    def statement(self, stmt: cst.CSTNode) -> None:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                self.guarded(small)
        else:
            self.guarded(stmt)

    def guarded(self, stmt: cst.CSTNode) -> None:
        """Run one statement; a finding is reported and the statement's targets become poisoned."""
        previous, self._current = self._current, stmt
        try:
            self.tick(stmt)
            self.exec(stmt)
        except Misuse as m:
            self.report(m.check, m.message, m.node if m.node is not None else stmt, m.hint)
            self.poison_targets(stmt)
            self.poison_return(stmt)
        except OutsideSubset as o:
            self.report(OUTSIDE_SUBSET, o.message, o.node if o.node is not None else stmt)
            self.poison_targets(stmt)
            if "too many steps" in o.message:
                raise ReturnSignal(Opaque(None, "unfinished body", poisoned=True), stmt) from None
            self.poison_return(stmt)
        except Indeterminate:
            self.poison_targets(stmt)
            self.poison_return(stmt, real=True)
        except RecursionError:
            self.report(OUTSIDE_SUBSET, "expression nested too deeply to follow statically", stmt)
            self.poison_targets(stmt)
            self.poison_return(stmt)
        finally:
            self._current = previous

    def poison_return(self, stmt: cst.CSTNode, real: bool = False) -> None:
        if isinstance(stmt, cst.Return):
            value = Opaque(None, "the return value", real=real, poisoned=not real)
            raise ReturnSignal(value, stmt.value if stmt.value is not None else stmt)

    def poison_targets(self, stmt: cst.CSTNode) -> None:
        poison = Opaque(None, "the result of a reported error", poisoned=True)
        for name in assigned_names(stmt):
            self.env[name] = poison

    def exec(self, stmt: cst.CSTNode) -> None:
        if isinstance(stmt, cst.Expr):
            self.ev(stmt.value)
        elif isinstance(stmt, cst.Assign):
            value = self.ev(stmt.value)
            for target in stmt.targets:
                self.assign(target.target, value, stmt.value)
        elif isinstance(stmt, cst.AnnAssign):
            if stmt.value is not None:
                self.assign(stmt.target, self.ev(stmt.value), stmt.value)
        elif isinstance(stmt, cst.AugAssign):
            self.augassign(stmt)
        elif isinstance(stmt, cst.Return):
            raise ReturnSignal(self.ev(stmt.value) if stmt.value is not None else None,
                          stmt.value if stmt.value is not None else stmt)
        elif isinstance(stmt, cst.If):
            self.if_(stmt)
        elif isinstance(stmt, cst.For):
            self.for_(stmt)
        elif isinstance(stmt, cst.While):
            self.while_(stmt)
        elif isinstance(stmt, (cst.Pass, cst.Import, cst.ImportFrom)):
            if not isinstance(stmt, cst.Pass):
                raise OutsideSubset("imports inside a workflow body are not followed statically; import at the "
                                    "top of the module", stmt)
        elif isinstance(stmt, cst.Break):
            raise BreakSignal()
        elif isinstance(stmt, cst.Continue):
            raise ContinueSignal()
        elif isinstance(stmt, cst.Assert):
            test = self.ev(stmt.test)
            if not self.truth(test, "`assert`", stmt.test):
                raise Misuse(RAISES, "assertion fails when the workflow is compiled", None, stmt)
        elif isinstance(stmt, cst.Del):
            for name in names_in(stmt.target):
                self.env.pop(name, None)
        elif isinstance(stmt, cst.Raise):
            raise Misuse(RAISES, "the body raises when the workflow is compiled", None, stmt)
        else:
            construct = type(stmt).__name__.lower()
            raise OutsideSubset(f"`{construct}` statements are outside the static subset", stmt)

    def augassign(self, stmt: cst.AugAssign) -> None:
        current = self.ev(stmt.target)
        value = self.ev(stmt.value)
        op = AUGOPS[type(stmt.operator)]
        if isinstance(current, list) and op is cst.Add:
            try:
                current += value  # in place, like Python's list.__iadd__
            except TypeError:
                raise Misuse(RAISES, f"`{self.code(stmt)}` raises TypeError", None, stmt) from None
            except Misuse as m:
                m.node = m.node or stmt
                raise
            return
        result = self.binop(op, current, value, stmt)
        self.assign(stmt.target, result, stmt)

    def if_(self, stmt: cst.If) -> None:
        test = self.ev(stmt.test)
        try:
            taken = self.truth(test, "a Python `if`" if self.mode != "constant" else "`if`", stmt.test)
        except (Misuse, Indeterminate) as exc:
            if isinstance(exc, Misuse):
                self.report(exc.check, exc.message, exc.node or stmt.test, exc.hint)
            self.block(stmt.body)
            if stmt.orelse is not None:
                self.orelse(stmt.orelse)
            return
        if taken:
            self.block(stmt.body)
        elif stmt.orelse is not None:
            self.orelse(stmt.orelse)

    def orelse(self, orelse: cst.If | cst.Else) -> None:
        if isinstance(orelse, cst.If):
            self.guarded(orelse)
        else:
            self.block(orelse.body)

    def for_(self, stmt: cst.For) -> None:
        if stmt.asynchronous is not None:
            raise OutsideSubset("`async for` is outside the static subset", stmt)
        try:
            iterable = self.ev(stmt.iter)
            if isinstance(iterable, PromiseValue):
                iterable.__iter__()
        except Misuse as m:
            self.loop_misuse(m, stmt.iter)
            self.run_unknown_loop(stmt, Opaque(None, "loop item", poisoned=True))
            return
        if isinstance(iterable, Opaque):
            if not iterable.real and not iterable.poisoned:
                raise OutsideSubset(f"loop over `{self.code(stmt.iter)}`, which cannot be computed statically",
                                    stmt.iter)
            self.run_unknown_loop(stmt, Opaque(item_type(iterable.type), "loop item", real=iterable.real,
                                               poisoned=iterable.poisoned))
            return
        items = self.iterate(iterable, stmt.iter)
        broke = False
        for item in items:
            self.assign(stmt.target, item, stmt.iter)
            try:
                self.block(stmt.body)
            except BreakSignal:
                broke = True
                break
            except ContinueSignal:
                continue
        if not broke and stmt.orelse is not None:
            self.block(stmt.orelse.body)

    def loop_misuse(self, m: Misuse, node: cst.CSTNode) -> None:
        if self.mode == "workflow":
            self.report(LOOP_ON_PROMISE, f"loop over `{self.code(node)}` depends on a value known only when the "
                        f"workflow runs: {m.message}", node)
        else:
            self.report(m.check if m.check is not PROMISE_VALUE_NEEDED else PROMISE_ITERATION,
                        m.message, m.node or node, m.hint)

    def run_unknown_loop(self, stmt: cst.For, item: Opaque) -> None:
        for _ in range(2):  # twice: values carried from one iteration into the next are checked too
            self.assign(stmt.target, item, stmt.iter)
            with contextlib.suppress(BreakSignal, ContinueSignal):
                self.block(stmt.body)
        if stmt.orelse is not None:
            self.block(stmt.orelse.body)

    def while_(self, stmt: cst.While) -> None:
        while True:
            self.tick(stmt)
            test = self.ev(stmt.test)
            try:
                go = self.truth(test, "a Python `while`", stmt.test)
            except (Misuse, Indeterminate) as exc:
                if isinstance(exc, Misuse):
                    self.report(exc.check, exc.message, exc.node or stmt.test, exc.hint)
                with contextlib.suppress(BreakSignal, ContinueSignal):
                    self.block(stmt.body)
                return
            if not go:
                if stmt.orelse is not None:
                    self.block(stmt.orelse.body)
                return
            try:
                self.block(stmt.body)
            except BreakSignal:
                return
            except ContinueSignal:
                continue

    def iterate(self, iterable: Any, node: cst.CSTNode) -> list[Any]:
        if isinstance(iterable, (EntityValue, ModuleValue, ExternalValue, ClassValue, PlainFunction)):
            raise Misuse(RAISES, f"`{self.code(node)}` is not iterable", None, node)
        try:
            if isinstance(iterable, range) and len(iterable) > SIZE_LIMIT:
                raise OutsideSubset("loop too long to unroll statically", node)
            items = []
            for item in iterable:
                items.append(item)
                if len(items) > SIZE_LIMIT:
                    raise OutsideSubset("loop too long to unroll statically", node)
            return items
        except TypeError as exc:
            raise Misuse(RAISES, f"`{self.code(node)}` raises TypeError: {exc}", None, node) from None

    def assign(self, target: cst.BaseExpression, value: Any, value_node: cst.CSTNode) -> None:
        if isinstance(target, cst.Name):
            self.env[target.value] = value
            return
        if isinstance(target, (cst.Tuple, cst.List)):
            self.unpack(target, value, value_node)
            return
        if isinstance(target, cst.Subscript):
            container = self.ev(target.value)
            key = self.subscript_key(target)
            if isinstance(container, (list, dict)) and not isinstance(key, (PromiseValue, Opaque)):
                try:
                    container[key] = value
                except (IndexError, KeyError, TypeError) as exc:
                    raise Misuse(RAISES, f"assignment to `{self.code(target)}` raises {type(exc).__name__}",
                                 None, target) from None
                return
            if isinstance(container, PromiseValue):
                raise Misuse(RAISES, f"`{self.code(target.value)}` is a Promise; it does not support item "
                             "assignment", None, target)
            if isinstance(container, Opaque) or isinstance(key, Opaque):
                return
            if isinstance(key, PromiseValue):
                raise Misuse(PROMISE_AS_INDEX, f"indexing with a Promise as the index: {key.describe()}", None,
                             target)
        raise OutsideSubset(f"assignment to `{self.code(target)}` is outside the static subset", target)

    def unpack(self, target: cst.Tuple | cst.List, value: Any, value_node: cst.CSTNode) -> None:
        elements = list(target.elements)
        if isinstance(value, PromiseValue):
            hint = ("index it with constants (p[0], p[1]), or make this a @dynamic"
                    if isinstance(strip_optional(value.type), (ListType, TupleType))
                    else "it is one value: assign it to one name (only a call with several outputs unpacks)")
            raise Misuse(PROMISE_ITERATION, f"unpacking a Promise into {len(elements)} names "
                         f"(`{self.code(target)}`): {value.describe()}", hint, value_node)
        if isinstance(value, Opaque):
            for e in elements:
                self.assign(e.value.value if isinstance(e.value, cst.StarredElement) else e.value,
                            Opaque(None, "unpacked item", real=value.real, poisoned=value.poisoned), value_node)
            return
        items = self.iterate(value, value_node)
        starred = [i for i, e in enumerate(elements) if isinstance(e.value, cst.StarredElement)]
        if (not starred and len(items) != len(elements)) or (starred and len(items) < len(elements) - 1):
            if isinstance(value, CallOutputs | NamedOutputs):
                what = getattr(value, "what", "the call")
                raise Misuse(UNPACK_COUNT, f"{what} has {len(items)} outputs, unpacked into {len(elements)} names",
                             None, target)
            raise Misuse(RAISES, f"cannot unpack {len(items)} values into {len(elements)} names", None, target)
        if starred:
            s = starred[0]
            after = len(elements) - s - 1
            parts = [*items[:s], list(items[s:len(items) - after]), *items[len(items) - after:]]
        else:
            parts = items
        for e, v in zip(elements, parts):
            node = e.value.value if isinstance(e.value, cst.StarredElement) else e.value
            self.assign(node, v, value_node)
