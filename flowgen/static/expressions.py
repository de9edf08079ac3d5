"""Expressions on constants: literals, f-strings, names, containers, operators, comprehensions.

Constants are real Python values, so arithmetic and container operations have
Python's exact semantics; operations that could take unbounded time or memory
are refused (FG401). Promises reach Python operators through their dunder
methods (see :mod:`flowgen.static.values`), which raise the tracer's errors.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable
from typing import Any

import libcst as cst

from flowgen.ir.types import primitive
from flowgen.static.abstract_values import SIZE_LIMIT, OutsideSubset, contains_opaque, describe, item_type, size_of
from flowgen.static.body_base import BodyState
from flowgen.static.checks import (
    LOOP_ON_PROMISE,
    NO_OUTPUTS,
    PROMISE_AS_INDEX,
    PROMISE_FORMATTING,
    PROMISE_ITERATION,
    RAISES,
)
from flowgen.static.conditionals import Section, ThenStep
from flowgen.static.symbols import UnresolvedRef
from flowgen.static.values import ConditionValue, HandleValue, Indeterminate, Misuse, Opaque, PromiseValue

__all__ = ["BINOPS", "ExpressionsMixin", "fstring_text", "guard_binop"]


BINOPS: dict[type, Callable[[Any, Any], Any]] = {
    cst.Add: operator.add, cst.Subtract: operator.sub, cst.Multiply: operator.mul, cst.Divide: operator.truediv,
    cst.FloorDivide: operator.floordiv, cst.Modulo: operator.mod, cst.Power: operator.pow,
    cst.LeftShift: operator.lshift, cst.RightShift: operator.rshift, cst.BitOr: operator.or_,
    cst.BitAnd: operator.and_, cst.BitXor: operator.xor, cst.MatrixMultiply: operator.matmul,
}


def guard_binop(op: type, left: Any, right: Any) -> None:
    """Refuse constant arithmetic that would take unbounded time or memory."""
    if op is cst.Multiply:
        for seq, n in ((left, right), (right, left)):
            if isinstance(seq, (str, bytes, list, tuple)) and isinstance(n, int) and size_of(seq) * max(n, 0) > SIZE_LIMIT:
                raise OutsideSubset("constant sequence repetition too large to evaluate statically")
    if (op is cst.Power and isinstance(left, int) and isinstance(right, int) and not isinstance(right, bool)
            and abs(right) > 64 and abs(left) > 1):
        raise OutsideSubset("constant power too large to evaluate statically")
    if op is cst.LeftShift and isinstance(right, int) and right > 4096:
        raise OutsideSubset("constant shift too large to evaluate statically")
    if isinstance(left, int) and isinstance(right, int) and max(left.bit_length(), right.bit_length()) > 100_000:
        raise OutsideSubset("constant integer too large to evaluate statically")


def fstring_text(source: str, prefix: str, quote: str) -> str:
    """The characters a literal part of an f-string stands for: escapes decoded (unless raw),
    ``{{``/``}}`` halved."""
    text = source.replace("{{", "{").replace("}}", "}")
    if "r" in prefix.lower():
        return text
    try:
        value = ast.literal_eval(f"{quote}{text}{quote}")
    except (ValueError, SyntaxError):
        return text
    return value if isinstance(value, str) else text


class ExpressionsMixin(BodyState):
    """Expressions on constants: literals, names, containers, operators, comprehensions."""

    def ev(self, node: cst.BaseExpression) -> Any:
        method = getattr(self, "ev_" + type(node).__name__, None)
        if method is None:
            raise OutsideSubset(f"`{self.code(node)}` ({type(node).__name__}) is outside the static subset", node)
        try:
            return method(node)
        except Misuse as m:
            if m.node is None:
                m.node = node
            raise

    def ev_Integer(self, node: cst.Integer) -> Any:
        return node.evaluated_value

    def ev_Float(self, node: cst.Float) -> Any:
        return node.evaluated_value

    def ev_Imaginary(self, node: cst.Imaginary) -> Any:
        return node.evaluated_value

    def ev_SimpleString(self, node: cst.SimpleString) -> Any:
        return node.evaluated_value

    def ev_ConcatenatedString(self, node: cst.ConcatenatedString) -> Any:
        left, right = self.ev(node.left), self.ev(node.right)
        if isinstance(left, Opaque) or isinstance(right, Opaque):
            return Opaque(primitive("str"), "string")
        return left + right

    def ev_FormattedString(self, node: cst.FormattedString) -> Any:
        parts: list[str] = []
        unknown = False
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                parts.append(fstring_text(part.value, node.prefix, node.quote))
                continue
            assert isinstance(part, cst.FormattedStringExpression)
            value = self.ev(part.expression)
            conversion = part.conversion
            if isinstance(value, (PromiseValue, ConditionValue)) and conversion != "r":
                raise Misuse(PROMISE_FORMATTING, f"formatting `{self.code(part.expression)}` in an f-string: "
                             f"{describe(value)}", None, part.expression)
            if isinstance(value, Opaque) or contains_opaque(value) is not None:
                unknown = True
                continue
            spec = ""
            if part.format_spec:
                spec_value = self.ev_FormattedString(cst.FormattedString(parts=part.format_spec))
                if isinstance(spec_value, Opaque):
                    unknown = True
                    continue
                spec = spec_value
            if conversion == "r":
                value = repr(value)
            elif conversion == "s":
                value = str(value)
            elif conversion == "a":
                value = ascii(value)
            try:
                parts.append(format(value, spec))
            except (ValueError, TypeError) as exc:
                raise Misuse(RAISES, f"f-string raises {type(exc).__name__}: {exc}", None, part) from None
        if unknown:
            return Opaque(primitive("str"), "f-string", real=self.mode == "dynamic")
        return "".join(parts)

    def ev_Name(self, node: cst.Name) -> Any:
        name = node.value
        if name in self.env:
            return self.env[name]
        if name == "None":
            return None
        if name == "True":
            return True
        if name == "False":
            return False
        ref = self.project.resolve(self.module, name)
        if isinstance(ref, UnresolvedRef):
            raise Misuse(RAISES, f"name {name!r} is not defined", "NameError when the workflow is compiled", node)
        return self.compiler.value_of(ref)

    def ev_Ellipsis(self, node: cst.Ellipsis) -> Any:
        return Ellipsis

    def ev_Tuple(self, node: cst.Tuple) -> Any:
        return tuple(self.elements(node.elements))

    def ev_List(self, node: cst.List) -> Any:
        return self.elements(node.elements)

    def ev_Set(self, node: cst.Set) -> Any:
        items = self.elements(node.elements)
        try:
            return set(items)
        except TypeError as exc:
            raise Misuse(RAISES, f"set raises TypeError: {exc}", None, node) from None

    def elements(self, elements: Any) -> list[Any]:
        out: list[Any] = []
        for e in elements:
            if isinstance(e, cst.StarredElement):
                value = self.ev(e.value)
                if isinstance(value, PromiseValue):
                    raise Misuse(PROMISE_ITERATION, f"unpacking `*{self.code(e.value)}`: {value.describe()}", None, e)
                if isinstance(value, Opaque):
                    out.append(Opaque(None, "starred items", real=value.real, poisoned=value.poisoned))
                    continue
                out.extend(self.iterate(value, e.value))
            else:
                out.append(self.ev(e.value))
        return out

    def ev_Dict(self, node: cst.Dict) -> Any:
        out: dict[Any, Any] = {}
        for e in node.elements:
            if isinstance(e, cst.StarredDictElement):
                value = self.ev(e.value)
                if isinstance(value, dict):
                    out.update(value)
                    continue
                if isinstance(value, PromiseValue):
                    raise Misuse(PROMISE_ITERATION, f"converting a Promise to a dict (`**{self.code(e.value)}`): "
                                 f"{value.describe()}", "pass it to a task", e)
                raise OutsideSubset(f"`**{self.code(e.value)}` cannot be computed statically", e)
            assert isinstance(e, cst.DictElement)
            key = self.ev(e.key)
            if isinstance(key, (PromiseValue, ConditionValue)):
                raise Misuse(PROMISE_AS_INDEX, f"a Promise as a dict key: {describe(key)}", None, e.key)
            if isinstance(key, Opaque):
                raise OutsideSubset(f"dict key `{self.code(e.key)}` cannot be computed statically", e.key)
            try:
                out[key] = self.ev(e.value)
            except TypeError as exc:
                raise Misuse(RAISES, f"dict key raises TypeError: {exc}", None, e.key) from None
        return out

    def ev_UnaryOperation(self, node: cst.UnaryOperation) -> Any:
        value = self.ev(node.expression)
        op = node.operator
        if isinstance(op, cst.Not):
            if isinstance(value, Opaque):
                return Opaque(primitive("bool"), "not", real=value.real, poisoned=value.poisoned)
            return not self.truth(value, "`not`", node.expression)
        unary: dict[type, Callable[[Any], Any]] = {cst.Minus: operator.neg, cst.Plus: operator.pos,
                                                   cst.BitInvert: operator.invert}
        fn = unary[type(op)]
        try:
            return fn(value)
        except Misuse as m:
            m.node = m.node or node
            raise
        except TypeError as exc:
            raise Misuse(RAISES, f"`{self.code(node)}` raises TypeError: {exc}", None, node) from None

    def ev_BinaryOperation(self, node: cst.BinaryOperation) -> Any:
        left = self.ev(node.left)
        right = self.ev(node.right)
        return self.binop(type(node.operator), left, right, node)

    def binop(self, op: type, left: Any, right: Any, node: cst.CSTNode) -> Any:
        if op is cst.RightShift and isinstance(left, (PromiseValue, HandleValue)):
            return left.__rshift__(right)
        for side in (left, right):
            if isinstance(side, Opaque):
                return Opaque(None, "arithmetic", real=side.real, poisoned=side.poisoned)
        guard_binop(op, left, right)
        try:
            return BINOPS[op](left, right)
        except Misuse as m:
            m.node = m.node or node
            raise
        except Indeterminate:
            raise
        except (TypeError, ValueError, ZeroDivisionError, OverflowError) as exc:
            if isinstance(left, (Section, ThenStep)) or isinstance(right, (Section, ThenStep)):
                raise Misuse(RAISES, f"`{self.code(node)}` raises {type(exc).__name__}", None, node) from None
            if isinstance(left, (HandleValue, ConditionValue, tuple)) and op is cst.RightShift:
                raise Misuse(NO_OUTPUTS, "`>>` orders two task calls; both sides must be outputs of calls in this "
                             "workflow", None, node) from None
            raise Misuse(RAISES, f"`{self.code(node)}` raises {type(exc).__name__}: {exc}", None, node) from None

    def ev_BooleanOperation(self, node: cst.BooleanOperation) -> Any:
        left = self.ev(node.left)
        if isinstance(left, Opaque):
            self.ev(node.right)
            return Opaque(None, "boolean operation", real=left.real, poisoned=left.poisoned)
        value = self.truth(left, "`and`/`or`", node.left)
        if isinstance(node.operator, cst.And):
            return self.ev(node.right) if value else left
        return left if value else self.ev(node.right)

    def ev_IfExp(self, node: cst.IfExp) -> Any:
        test = self.ev(node.test)
        try:
            taken = self.truth(test, "a conditional expression (`x if cond else y`)", node.test)
        except Indeterminate:
            body, orelse = self.ev(node.body), self.ev(node.orelse)
            return body if not isinstance(body, Opaque) else orelse
        return self.ev(node.body) if taken else self.ev(node.orelse)

    def ev_NamedExpr(self, node: cst.NamedExpr) -> Any:
        value = self.ev(node.value)
        self.assign(node.target, value, node.value)
        return value

    def ev_Lambda(self, node: cst.Lambda) -> Any:
        raise OutsideSubset("`lambda` is outside the static subset", node)

    def ev_ListComp(self, node: cst.ListComp) -> Any:
        return [v for _, v in self.comprehension(node.for_in, lambda: self.ev(node.elt))]

    def ev_SetComp(self, node: cst.SetComp) -> Any:
        return set(v for _, v in self.comprehension(node.for_in, lambda: self.ev(node.elt)))

    def ev_GeneratorExp(self, node: cst.GeneratorExp) -> Any:
        return [v for _, v in self.comprehension(node.for_in, lambda: self.ev(node.elt))]

    def ev_DictComp(self, node: cst.DictComp) -> Any:
        return dict(self.comprehension(node.for_in, lambda: (self.ev(node.key), self.ev(node.value)), pairs=True))

    def comprehension(self, for_in: cst.CompFor, element: Callable[[], Any], pairs: bool = False) -> list[Any]:
        saved = dict(self.env)
        out: list[Any] = []
        try:
            self._comp(for_in, element, out, pairs)
        finally:
            self.env = saved
        return out

    def _comp(self, for_in: cst.CompFor, element: Callable[[], Any], out: list[Any], pairs: bool) -> None:
        try:
            iterable = self.ev(for_in.iter)
            if isinstance(iterable, PromiseValue):
                iterable.__iter__()
        except Misuse as m:
            if self.mode == "workflow":
                raise Misuse(LOOP_ON_PROMISE, f"comprehension over `{self.code(for_in.iter)}` depends on a value "
                             f"known only when the workflow runs: {m.message}", None, for_in.iter) from None
            raise
        if isinstance(iterable, Opaque):
            if self.mode == "workflow" and not iterable.poisoned:
                raise OutsideSubset(f"comprehension over `{self.code(for_in.iter)}`, which cannot be computed "
                                    "statically", for_in.iter)
            items: list[Any] = [Opaque(item_type(iterable.type), "item", real=iterable.real,
                                       poisoned=iterable.poisoned)]
        else:
            items = self.iterate(iterable, for_in.iter)
        for item in items:
            self.tick(for_in)
            self.assign(for_in.target, item, for_in.iter)
            keep = True
            for cond in for_in.ifs:
                test = self.ev(cond.test)
                try:
                    if not self.truth(test, "a comprehension `if`", cond.test):
                        keep = False
                        break
                except Indeterminate:
                    continue
            if not keep:
                continue
            if for_in.inner_for_in is not None:
                self._comp(for_in.inner_for_in, element, out, pairs)
            else:
                value = element()
                out.append(value if pairs else (None, value))
        return
