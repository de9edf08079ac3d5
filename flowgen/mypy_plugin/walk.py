"""Walking a module's statements for decorated functions (module level, classes, nested)."""

from __future__ import annotations

from collections.abc import Iterator

from mypy.nodes import Block, ClassDef, Decorator, FuncDef, IfStmt, Statement


def decorators(statements: list[Statement]) -> Iterator[Decorator]:
    for statement in statements:
        if isinstance(statement, Decorator):
            yield statement
            yield from decorators(statement.func.body.body)
        elif isinstance(statement, FuncDef):
            yield from decorators(statement.body.body)
        elif isinstance(statement, ClassDef):
            yield from decorators(statement.defs.body)
        elif isinstance(statement, IfStmt):
            for block in statement.body:
                yield from decorators(block.body)
            if statement.else_body is not None:
                yield from decorators(statement.else_body.body)
        elif isinstance(statement, Block):
            yield from decorators(statement.body)
