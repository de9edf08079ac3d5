"""A small walker over a function body's own statements and expressions.

mypy's visitor classes are compiled traits that plugins cannot subclass, so this
walks the node kinds a workflow body is made of with ``isinstance``; nested
``def``s, classes and lambdas are not entered (they are not the body).
"""

from __future__ import annotations

from collections.abc import Iterator

from mypy.nodes import (
    AssertStmt,
    AssignmentExpr,
    AssignmentStmt,
    AwaitExpr,
    Block,
    CallExpr,
    CastExpr,
    ComparisonExpr,
    ConditionalExpr,
    DelStmt,
    DictExpr,
    DictionaryComprehension,
    Expression,
    ExpressionStmt,
    ForStmt,
    GeneratorExpr,
    IfStmt,
    IndexExpr,
    ListComprehension,
    ListExpr,
    MemberExpr,
    Node,
    OperatorAssignmentStmt,
    OpExpr,
    ReturnStmt,
    SetComprehension,
    SetExpr,
    SliceExpr,
    StarExpr,
    TryStmt,
    TupleExpr,
    UnaryExpr,
    WhileStmt,
    WithStmt,
)


def children(node: Node) -> Iterator[Node]:
    """Direct sub-statements and sub-expressions of ``node`` that belong to the same body."""
    if isinstance(node, Block):
        yield from node.body
    elif isinstance(node, ExpressionStmt):
        yield node.expr
    elif isinstance(node, AssignmentStmt):
        yield from node.lvalues
        yield node.rvalue
    elif isinstance(node, OperatorAssignmentStmt):
        yield node.lvalue
        yield node.rvalue
    elif isinstance(node, ReturnStmt):
        if node.expr is not None:
            yield node.expr
    elif isinstance(node, IfStmt):
        yield from node.expr
        yield from node.body
        if node.else_body is not None:
            yield node.else_body
    elif isinstance(node, WhileStmt):
        yield node.expr
        yield node.body
        if node.else_body is not None:
            yield node.else_body
    elif isinstance(node, ForStmt):
        yield node.index
        yield node.expr
        yield node.body
        if node.else_body is not None:
            yield node.else_body
    elif isinstance(node, WithStmt):
        yield from node.expr
        yield from (t for t in node.target if t is not None)
        yield node.body
    elif isinstance(node, TryStmt):
        yield node.body
        yield from node.handlers
        if node.else_body is not None:
            yield node.else_body
        if node.finally_body is not None:
            yield node.finally_body
    elif isinstance(node, (AssertStmt, DelStmt)):
        yield node.expr
    elif isinstance(node, CallExpr):
        yield node.callee
        yield from node.args
    elif isinstance(node, (OpExpr, ComparisonExpr)):
        yield from (node.left, node.right) if isinstance(node, OpExpr) else node.operands
    elif isinstance(node, (UnaryExpr, StarExpr, AwaitExpr, CastExpr)):
        yield node.expr
    elif isinstance(node, ConditionalExpr):
        yield from (node.cond, node.if_expr, node.else_expr)
    elif isinstance(node, (ListExpr, TupleExpr, SetExpr)):
        yield from node.items
    elif isinstance(node, DictExpr):
        for key, value in node.items:
            if key is not None:
                yield key
            yield value
    elif isinstance(node, MemberExpr):
        yield node.expr
    elif isinstance(node, IndexExpr):
        yield node.base
        yield node.index
    elif isinstance(node, SliceExpr):
        yield from (p for p in (node.begin_index, node.end_index, node.stride) if p is not None)
    elif isinstance(node, AssignmentExpr):
        yield node.value
    elif isinstance(node, (ListComprehension, SetComprehension)):
        yield node.generator
    elif isinstance(node, GeneratorExpr):
        yield from node.sequences
        for conditions in node.condlists:
            yield from conditions
        yield node.left_expr
    elif isinstance(node, DictionaryComprehension):
        yield from node.sequences
        for conditions in node.condlists:
            yield from conditions
        if node.key is not None:
            yield node.key
        yield node.value


def walk(node: Node) -> Iterator[Node]:
    """``node`` and everything under it in the same body, depth first."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(list(children(current))))


def boolean_contexts(node: Node) -> Iterator[Expression]:
    """Expressions whose truth value Python takes when ``node`` runs."""
    if isinstance(node, IfStmt):
        yield from node.expr
    elif isinstance(node, (WhileStmt, AssertStmt)):
        yield node.expr
    elif isinstance(node, ConditionalExpr):
        yield node.cond
    elif isinstance(node, UnaryExpr) and node.op == "not":
        yield node.expr
    elif isinstance(node, OpExpr) and node.op in ("and", "or"):
        yield node.left
    elif isinstance(node, (GeneratorExpr, DictionaryComprehension)):
        for conditions in node.condlists:
            yield from conditions

