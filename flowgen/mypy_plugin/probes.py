"""Parse-time probes: misuses that call nothing a mypy hook sees.

mypy gives plugins hooks on calls, methods, operators and attributes, but none on:

======================  ======================================  ========================
construct               why no hook fires                       probe kind
======================  ======================================  ========================
``if p:``, ``not p``,   truth testing calls no method mypy      ``truth``
``p and q``, ``a if p   hooks (mypy's own ``truthy-bool`` is
else b``, ``while p``   off by default)
``p is None``           ``is`` calls nothing                    ``identity``
``"%s" % p``            mypy checks %-formatting itself,        ``format``
                        without ``str.__mod__``
``if p == 1:``,         mypy settles ``==`` on ``object.__eq__``  ``compare``
``if 3 == p:``,         or the constant's own method, never
``if 3 < p:``           Promise's
======================  ======================================  ========================

So the rewrite (rewrite.py) puts, before each statement of a @workflow/@dynamic body
that holds one of these, a call ``_flowgen_probe_("<kind>", <operand>, ...)`` on the
same line, whose hook (:func:`probe_call`) reports when an operand's type holds a
Promise (or a condition built from Promises) and does nothing otherwise, so a plain
value in a @dynamic passes. The operand is copied only when evaluating it again cannot
mean anything new: a name, ``a.b``, ``a[0]`` (or a tuple of those, for ``%``), never a
call; names bound by the statement itself (``:=``, comprehensions) or first bound to
an empty literal or ``None`` (mypy's partial types) are skipped. Comparisons whose
left side is the Promise and which order (``p > 3``) are reported by the comparison's
own hook (conditions.py), so the ``compare`` probe leaves those alone.

Still out of reach: an operand that is a call (``if t(x=1):``), a comparison of a
Promise inside a comprehension's condition, and truth tests in a nested function.
``flowgen check`` reports those.
"""

from __future__ import annotations

from collections.abc import Iterator

from mypy.nodes import (
    ARG_POS,
    AssertStmt,
    AssignmentExpr,
    AssignmentStmt,
    Block,
    CallExpr,
    ComparisonExpr,
    ConditionalExpr,
    DictExpr,
    DictionaryComprehension,
    Expression,
    ExpressionStmt,
    FuncDef,
    GeneratorExpr,
    IfStmt,
    IndexExpr,
    IntExpr,
    LambdaExpr,
    ListComprehension,
    ListExpr,
    MemberExpr,
    NameExpr,
    OperatorAssignmentStmt,
    OpExpr,
    ReturnStmt,
    SetComprehension,
    Statement,
    StrExpr,
    TupleExpr,
    UnaryExpr,
    WhileStmt,
)
from mypy.plugin import FunctionContext
from mypy.types import TupleType, Type, get_proper_type

import flowgen.mypy_plugin.codes as codes
import flowgen.mypy_plugin.names as names
from flowgen.mypy_plugin.conditions import BRANCHING_HINT, BRANCHING_MESSAGE
from flowgen.mypy_plugin.messages import report, show
from flowgen.mypy_plugin.rebind import statements
from flowgen.mypy_plugin.syntax import children
from flowgen.mypy_plugin.types_util import contains_promise, is_instance_of

_ORDERING = ("<", "<=", ">", ">=")


def add_probes(func: FuncDef) -> bool:
    """Insert the probes into ``func``'s body; True if any."""
    partial = _partial_names(func.body)
    inserted: dict[int, list[Statement]] = {}
    blocks: dict[int, Block] = {}
    for block, statement in list(statements(func.body)):
        probes = [p for p in _probes(statement) if not (_names_in(p) & (partial | _bound_inside(statement)))]
        if probes:
            inserted[id(statement)] = [*probes, statement]
            blocks[id(block)] = block
    for block in blocks.values():
        body: list[Statement] = []
        for statement in block.body:
            body.extend(inserted.get(id(statement), [statement]))
        block.body = body
    return bool(inserted)


def probe_call(ctx: FunctionContext) -> Type:
    """``_flowgen_probe_(kind, operands...)``: report the misuse when an operand is a Promise."""
    call = ctx.context
    if not isinstance(call, CallExpr) or not call.args or not isinstance(call.args[0], StrExpr):
        return ctx.default_return_type
    kind = call.args[0].value
    types = [t for group in ctx.arg_types[1:] for t in group]
    if kind == "compare":
        _compare(ctx, call, types)
        return ctx.default_return_type
    for typ in types:
        if kind == "format":
            proper = get_proper_type(typ)
            items = proper.items if isinstance(proper, TupleType) else [typ]
            if any(contains_promise(item) for item in items):
                _report(ctx, "Formatting a Promise (`%`)", typ, "pass it to a task that formats it")
                return ctx.default_return_type
        elif kind == "identity" and contains_promise(typ):
            report(
                ctx.api,
                f"`is` on a Promise in a workflow body compares the placeholder {show(ctx.api, typ)}, not its "
                "value: it is always the same answer",
                call,
                codes.FLOWGEN_PROMISE,
                "use p.is_none() in conditional(), or pass it to a task",
            )
            return ctx.default_return_type
        elif kind == "truth" and (contains_promise(typ) or is_instance_of(typ, names.CONDITION)):
            _report(
                ctx,
                "Truth value of a Promise (`if`, `while`, `not`, `and`/`or`, a conditional expression)",
                typ,
                'use conditional("name").if_(p.is_true()).then(...).else_().then(...), or make this a @dynamic',
            )
            return ctx.default_return_type
    return ctx.default_return_type


def _report(ctx: FunctionContext, what: str, typ: Type, hint: str) -> None:
    report(
        ctx.api,
        f"{what} in a workflow body: {show(ctx.api, typ)} has no value until the workflow runs",
        ctx.context,
        codes.FLOWGEN_PROMISE,
        hint,
    )


def _compare(ctx: FunctionContext, call: CallExpr, types: list[Type]) -> None:
    operator = call.args[1].value if isinstance(call.args[1], StrExpr) else ""
    operand_types = types[1:]
    if len(operand_types) != 2:
        return
    left, right = operand_types
    left_is_promise = contains_promise(left)
    if operator in _ORDERING and left_is_promise:
        return  # conditions.py reports it
    if left_is_promise or contains_promise(right):
        report(ctx.api, BRANCHING_MESSAGE, call, codes.FLOWGEN_PROMISE, BRANCHING_HINT)


# -- finding what to probe ----------------------------------------------------------------------
def _probes(statement: Statement) -> Iterator[ExpressionStmt]:
    own = list(_own_expressions(statement))
    tested: list[Expression] = []
    if isinstance(statement, IfStmt):
        tested.extend(statement.expr)
    elif isinstance(statement, (WhileStmt, AssertStmt)):
        tested.append(statement.expr)
    for expr in own:
        for node in _walk(expr):
            if isinstance(node, ConditionalExpr):
                tested.append(node.cond)
            elif isinstance(node, UnaryExpr) and node.op == "not":
                tested.append(node.expr)
            elif isinstance(node, OpExpr) and node.op in ("and", "or"):
                tested.append(node.left)
            elif isinstance(node, ComparisonExpr) and any(op in ("is", "is not") for op in node.operators):
                pure = [o for o in node.operands if _pure(o)]
                if pure:
                    yield _probe(node, "identity", pure)
            elif (
                isinstance(node, OpExpr)
                and node.op == "%"
                and isinstance(node.left, StrExpr)
                and _pure(node.right, tuples=True)
            ):
                yield _probe(node, "format", [node.right])
    for expr in tested:
        yield from _tested(expr)


def _tested(expr: Expression) -> Iterator[ExpressionStmt]:
    if isinstance(expr, OpExpr) and expr.op in ("and", "or"):
        yield from _tested(expr.left)
        yield from _tested(expr.right)
    elif isinstance(expr, UnaryExpr) and expr.op == "not":
        yield from _tested(expr.expr)
    elif isinstance(expr, ComparisonExpr):
        if len(expr.operators) == 1 and expr.operators[0] not in ("is", "is not", "in", "not in"):
            left, right = expr.operands
            if _pure(left) and _pure(right):
                yield _probe(expr, "compare", [StrExpr(expr.operators[0]), left, right])
    elif _pure(expr):
        yield _probe(expr, "truth", [expr])


def _probe(at: Expression, kind: str, operands: list[Expression]) -> ExpressionStmt:
    args: list[Expression] = [StrExpr(kind), *(_copy(o) for o in operands)]
    call = CallExpr(NameExpr(names.ALIAS_PROBE), args, [ARG_POS] * len(args), [None] * len(args))
    for node in (call, call.callee, *args):
        node.set_line(at)
    statement = ExpressionStmt(call)
    statement.set_line(at)
    return statement


def _pure(expr: Expression, *, tuples: bool = False) -> bool:
    """Evaluating ``expr`` again means nothing new: a name, ``a.b``, ``a[<constant>]``."""
    if isinstance(expr, NameExpr):
        return not expr.name.startswith("_flowgen_")
    if isinstance(expr, MemberExpr):
        return _pure(expr.expr)
    if isinstance(expr, IndexExpr):
        return isinstance(expr.index, (IntExpr, StrExpr)) and _pure(expr.base)
    if tuples and isinstance(expr, TupleExpr):
        return all(_pure(item) for item in expr.items)
    return isinstance(expr, StrExpr | IntExpr)


def _copy(expr: Expression) -> Expression:
    """A fresh, unanalysed copy of a pure expression."""
    copied: Expression
    if isinstance(expr, NameExpr):
        copied = NameExpr(expr.name)
    elif isinstance(expr, MemberExpr):
        copied = MemberExpr(_copy(expr.expr), expr.name)
    elif isinstance(expr, IndexExpr):
        copied = IndexExpr(_copy(expr.base), _copy(expr.index))
    elif isinstance(expr, TupleExpr):
        copied = TupleExpr([_copy(item) for item in expr.items])
    elif isinstance(expr, StrExpr):
        copied = StrExpr(expr.value)
    elif isinstance(expr, IntExpr):
        copied = IntExpr(expr.value)
    else:  # pragma: no cover - only pure expressions are copied
        raise TypeError(type(expr).__name__)
    copied.set_line(expr)
    return copied


def _own_expressions(statement: Statement) -> Iterator[Expression]:
    """The statement's own expressions (not those of the blocks it holds)."""
    if isinstance(statement, Block):
        return
    for child in children(statement):
        if isinstance(child, Expression):
            yield child


def _walk(expr: Expression) -> Iterator[Expression]:
    """Sub-expressions evaluated in the body's own scope (not lambdas or comprehensions)."""
    stack: list[Expression] = [expr]
    while stack:
        current = stack.pop()
        if isinstance(
            current, (LambdaExpr, GeneratorExpr, ListComprehension, SetComprehension, DictionaryComprehension)
        ):
            continue
        yield current
        stack.extend(c for c in children(current) if isinstance(c, Expression))


def _names_in(statement: ExpressionStmt) -> set[str]:
    found: set[str] = set()
    stack: list[Expression] = [statement.expr]
    while stack:
        current = stack.pop()
        if isinstance(current, NameExpr):
            found.add(current.name)
        stack.extend(c for c in children(current) if isinstance(c, Expression))
    return found - {names.ALIAS_PROBE}


def _bound_inside(statement: Statement) -> set[str]:
    """Names a statement's own expressions bind (``:=``); comprehensions are never probed."""
    found: set[str] = set()
    for expr in _own_expressions(statement):
        stack: list[Expression] = [expr]
        while stack:
            current = stack.pop()
            if isinstance(current, AssignmentExpr):
                found.add(current.target.name)
            stack.extend(c for c in children(current) if isinstance(c, Expression))
    return found


def _partial_names(body: Block) -> set[str]:
    """Names bound somewhere in the body to ``None``, ``[]``, ``{}``, ``set()``... (mypy's partial types)."""
    found: set[str] = set()
    for _, statement in statements(body):
        if isinstance(statement, AssignmentStmt) and statement.type is None:
            value = statement.rvalue
            empty = (
                (isinstance(value, NameExpr) and value.name == "None")
                or (isinstance(value, (ListExpr, DictExpr)) and not value.items)
                or (
                    isinstance(value, CallExpr)
                    and not value.args
                    and isinstance(value.callee, NameExpr)
                    and value.callee.name in ("list", "dict", "set")
                )
            )
            if empty:
                for lvalue in statement.lvalues:
                    if isinstance(lvalue, NameExpr):
                        found.add(lvalue.name)
        elif isinstance(statement, (OperatorAssignmentStmt, ReturnStmt)):
            continue
    return found
