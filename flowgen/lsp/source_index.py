"""A buffer's syntax with positions: what is under the cursor.

Built from the LibCST tree the last check parsed (no second parse), with LibCST's
position metadata; positions are flowgen's (1-based lines, 0-based character columns).
Only what hover and go-to-definition need: every name, call and function definition
with its span, and each function's assignments in source order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

Span = tuple[int, int, int, int]  # line, column, end_line, end_column


def _contains(span: Span, line: int, column: int) -> bool:
    start_line, start_col, end_line, end_col = span
    return (start_line, start_col) <= (line, column) <= (end_line, end_col)


@dataclass
class Binding:
    """``name = value`` (``index`` is the name's place in a tuple target, else None)."""

    line: int
    value: cst.BaseExpression
    index: int | None
    value_span: Span


@dataclass
class Function:
    node: cst.FunctionDef
    span: Span
    top_level: bool
    bindings: dict[str, list[Binding]] = field(default_factory=dict)


@dataclass
class SourceIndex:
    names: list[tuple[Span, cst.Name]] = field(default_factory=list)
    calls: list[tuple[Span, cst.Call]] = field(default_factory=list)
    functions: list[Function] = field(default_factory=list)

    def name_at(self, line: int, column: int) -> tuple[Span, cst.Name] | None:
        for span, name in self.names:
            if _contains(span, line, column):
                return span, name
        return None

    def call_at(self, line: int, column: int) -> tuple[Span, cst.Call] | None:
        """The innermost call whose callee is under the cursor."""
        found = None
        for span, call in self.calls:
            if _contains(span, line, column):
                found = (span, call)
        return found

    def function_at(self, line: int, column: int) -> Function | None:
        inner = None
        for function in self.functions:
            if _contains(function.span, line, column):
                inner = function
        return inner


def index_module(module: cst.Module) -> SourceIndex:
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    visitor = _Indexer()
    wrapper.visit(visitor)
    return visitor.index


class _Indexer(cst.CSTVisitor):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self) -> None:
        super().__init__()
        self.index = SourceIndex()
        self._stack: list[Function] = []

    def _span(self, node: cst.CSTNode) -> Span:
        rng = self.get_metadata(PositionProvider, node)
        return rng.start.line, rng.start.column, rng.end.line, rng.end.column

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        function = Function(node, self._span(node), top_level=not self._stack)
        self.index.functions.append(function)
        self._stack.append(function)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._stack.pop()

    def visit_Name(self, node: cst.Name) -> None:
        self.index.names.append((self._span(node), node))

    def visit_Call(self, node: cst.Call) -> None:
        self.index.calls.append((self._span(node.func), node))

    def visit_Assign(self, node: cst.Assign) -> None:
        if not self._stack:
            return
        line = self._span(node)[0]
        for target in node.targets:
            self._bind(target.target, node.value, line)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if self._stack and node.value is not None:
            self._bind(node.target, node.value, self._span(node)[0])

    def _bind(self, target: cst.BaseExpression, value: cst.BaseExpression, line: int) -> None:
        bindings = self._stack[-1].bindings
        span = self._span(value)
        if isinstance(target, cst.Name):
            bindings.setdefault(target.value, []).append(Binding(line, value, None, span))
        elif isinstance(target, (cst.Tuple, cst.List)):
            for i, element in enumerate(target.elements):
                if isinstance(element, cst.Element) and isinstance(element.value, cst.Name):
                    bindings.setdefault(element.value.value, []).append(Binding(line, value, i, span))
