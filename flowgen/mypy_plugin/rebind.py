"""Parse-time rewrite: a variable of a body may be re-bound from a value to a Promise.

Flyte's own examples (the reference example's loop) start a variable with a plain value
and re-bind it to a task's result::

    freq1 = [0] * 26                                       # list[int]
    for i in range(len(s1)):
        freq1 = update_list(freq_list=freq1, list_index=index)   # Promise[list[int]]

The runtime accepts this (a task input takes the value or a Promise of it), but mypy
types a variable by its first assignment and reports the second as ``Incompatible types
in assignment``, unless the user finds ``allow_redefinition``. mypy offers plugins no
hook on assignments, so the rewrite (rewrite.py) changes the *first* assignment of every
name bound more than once in a @workflow/@dynamic body into three statements, all on
the original line::

    _flowgen_value_freq1_ = [0] * 26                       # the value, checked as written
    freq1 = _flowgen_rebindable_(_flowgen_value_freq1_)    # declares list[int] | Promise[list[int]]
    freq1 = _flowgen_value_freq1_                          # narrows back to list[int]

The plugin's hook on ``_flowgen_rebindable_`` (``rebindable_call`` below) gives ``T |
Promise[T]`` (``T`` | its call result, for a tuple a tuple of Promises) inside flowgen's
bodies, and ``T`` elsewhere. Because the declared type is a union, mypy narrows on every
assignment: between the two assignments the variable is exactly what was assigned, and
after a loop that re-binds it, it is the union, which task inputs accept (a value or a
Promise of it) and which every misuse check still sees.

Skipped: names first bound by an annotated assignment (the user declared the type), by
``None`` or an empty ``[]``/``{}``/``set()``/``list()``/``dict()`` (mypy's partial types
already join those with the next assignment), names declared ``global``/``nonlocal``,
and names bound only once. Statements of nested functions, classes and lambdas are not
part of the body.
"""

from __future__ import annotations

from collections.abc import Iterator

from mypy.nodes import (
    ARG_POS,
    AssignmentStmt,
    Block,
    CallExpr,
    ClassDef,
    Decorator,
    DictExpr,
    Expression,
    ForStmt,
    FuncDef,
    GlobalDecl,
    IfStmt,
    ListExpr,
    MatchStmt,
    NameExpr,
    NonlocalDecl,
    StarExpr,
    Statement,
    TryStmt,
    TupleExpr,
    WhileStmt,
    WithStmt,
)
from mypy.plugin import FunctionContext
from mypy.types import AnyType, Type, UnionType, get_proper_type

import flowgen.mypy_plugin.names as names
from flowgen.mypy_plugin.scopes import body_kind
from flowgen.mypy_plugin.types_util import call_result, promised

_EMPTY_CALLS = ("list", "dict", "set")


def widen_rebound_names(func: FuncDef) -> bool:
    """Rewrite the first assignment of each name the body binds more than once; True if any."""
    bound: dict[str, list[tuple[Block, AssignmentStmt]]] = {}
    declared: set[str] = set()
    for block, statement in statements(func.body):
        if isinstance(statement, (GlobalDecl, NonlocalDecl)):
            declared.update(statement.names)
        elif isinstance(statement, AssignmentStmt):
            for lvalue in statement.lvalues:
                for name in _bound_names(lvalue):
                    bound.setdefault(name, []).append((block, statement))
    replacements: dict[int, list[Statement]] = {}
    blocks: dict[int, Block] = {}
    for name, places in bound.items():
        if len(places) < 2 or name in declared or name.startswith("_flowgen_"):
            continue
        block, first = places[0]
        if not _widenable(first) or id(first) in replacements:
            continue
        replacements[id(first)] = _threestatements(name, first)
        blocks[id(block)] = block
    for block in blocks.values():
        body: list[Statement] = []
        for statement in block.body:
            body.extend(replacements.get(id(statement), [statement]))
        block.body = body
    return bool(replacements)


def rebindable_call(ctx: FunctionContext) -> Type:
    """``_flowgen_rebindable_(v)``: ``T | Promise[T]`` in a flowgen body, else ``T``."""
    if not ctx.arg_types or not ctx.arg_types[0]:
        return ctx.default_return_type
    value = ctx.arg_types[0][0]
    proper = get_proper_type(value)
    if isinstance(proper, AnyType) or body_kind(ctx.api) is None:
        return value
    inner = promised(proper)
    other = inner if inner is not None else call_result(ctx.api, value)
    return UnionType.make_union([value, other])


def statements(block: Block) -> Iterator[tuple[Block, Statement]]:
    """Every statement of a body with its block, in source order; not into nested scopes."""
    for statement in block.body:
        yield block, statement
        for inner in _inner_blocks(statement):
            yield from statements(inner)


def _inner_blocks(statement: Statement) -> list[Block]:
    if isinstance(statement, (FuncDef, Decorator, ClassDef)):
        return []
    if isinstance(statement, IfStmt):
        return [*statement.body, *([statement.else_body] if statement.else_body else [])]
    if isinstance(statement, (WhileStmt, ForStmt)):
        return [statement.body, *([statement.else_body] if statement.else_body else [])]
    if isinstance(statement, WithStmt):
        return [statement.body]
    if isinstance(statement, TryStmt):
        extra = [b for b in (statement.else_body, statement.finally_body) if b is not None]
        return [statement.body, *statement.handlers, *extra]
    if isinstance(statement, MatchStmt):
        return list(statement.bodies)
    if isinstance(statement, Block):
        return [statement]
    return []


def _bound_names(lvalue: Expression) -> Iterator[str]:
    if isinstance(lvalue, NameExpr):
        yield lvalue.name
    elif isinstance(lvalue, (TupleExpr, ListExpr)):
        for item in lvalue.items:
            yield from _bound_names(item)
    elif isinstance(lvalue, StarExpr):
        yield from _bound_names(lvalue.expr)


def _widenable(statement: AssignmentStmt) -> bool:
    """A plain ``name = value``, without annotation, whose value is not a partial type."""
    if len(statement.lvalues) != 1 or not isinstance(statement.lvalues[0], NameExpr):
        return False
    if statement.unanalyzed_type is not None or statement.type is not None:
        return False
    value = statement.rvalue
    if isinstance(value, NameExpr) and value.name == "None":
        return False
    if isinstance(value, (ListExpr, DictExpr)) and not value.items:
        return False
    return not (
        isinstance(value, CallExpr)
        and not value.args
        and isinstance(value.callee, NameExpr)
        and value.callee.name in _EMPTY_CALLS
    )


def _threestatements(name: str, first: AssignmentStmt) -> list[Statement]:
    temp = f"_flowgen_value_{name}_"
    keep = AssignmentStmt([NameExpr(temp)], first.rvalue)
    call = CallExpr(NameExpr(names.ALIAS_REBINDABLE), [NameExpr(temp)], [ARG_POS], [None])
    declare = AssignmentStmt([NameExpr(name)], call)
    narrow = AssignmentStmt([NameExpr(name)], NameExpr(temp))
    for statement in (keep, declare, narrow):
        statement.set_line(first)
        for lvalue in statement.lvalues:
            lvalue.set_line(first.lvalues[0])
        if statement is not keep:
            statement.rvalue.set_line(first.rvalue)
    call.args[0].set_line(first.rvalue)
    return [keep, declare, narrow]
