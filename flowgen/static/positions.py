"""Source positions of CST nodes, computed lazily, one top-level statement at a time.

LibCST's ``PositionProvider`` regenerates the whole module to learn where each
node is, which costs more than parsing it. The checker needs positions only
inside the statements it reports on or compiles (workflow and dynamic bodies),
so this index regenerates just those statements, with the same codegen state
the provider uses, and shifts the result to the statement's real line. The
real line of every top-level statement comes from CPython's own parser
(``ast``), which is an order of magnitude cheaper than LibCST's; if the two
parsers ever disagree about a module, the index falls back to the provider.

Spans follow LibCST: 1-based lines, 0-based columns, exclusive end.
"""

from __future__ import annotations

import ast
import dataclasses
from dataclasses import dataclass

import libcst as cst
from libcst._position import CodeRange
from libcst.metadata import MetadataWrapper, PositionProvider
from libcst.metadata.position_provider import PositionProvidingCodegenState

__all__ = ["PositionIndex", "Span", "top_level_lines", "top_level_lines_slow"]


@dataclass(frozen=True)
class Span:
    line: int
    column: int
    end_line: int
    end_column: int


class _Sink:
    """Stands in for the metadata provider the codegen state writes into."""

    def __init__(self) -> None:
        self._computed: dict[cst.CSTNode, CodeRange] = {}


def _anchor_node(stmt: cst.CSTNode) -> cst.CSTNode:
    if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
        return stmt.name
    if isinstance(stmt, cst.SimpleStatementLine) and stmt.body:
        return stmt.body[0]
    return stmt


class TopLevel(list[tuple[int, int]]):
    """(anchor line, first line incl. decorators) per top-level statement, with CPython's
    statements for each (``groups``), which :class:`PositionIndex` uses for call sites."""

    groups: list[list[ast.stmt]]


def top_level_lines(tree: ast.Module, module: cst.Module) -> TopLevel | None:
    """For each statement of ``module.body``: (anchor line, first line incl. decorators).

    ``tree`` is CPython's parse of the same source. ``None`` when its statements do
    not line up with LibCST's (then callers use :func:`top_level_lines_slow`).
    """
    stmts = tree.body
    out = TopLevel()
    out.groups = []
    i = 0
    for stmt in module.body:
        if isinstance(stmt, cst.SimpleStatementLine):
            count = len(stmt.body)
            if count == 0 or i + count > len(stmts):
                return None
            line = stmts[i].lineno
            out.append((line, line))
            out.groups.append(stmts[i:i + count])
            i += count
            continue
        if i >= len(stmts):
            return None
        node = stmts[i]
        first = node.lineno
        decorators = getattr(node, "decorator_list", None)
        if decorators:
            first = decorators[0].lineno
        out.append((node.lineno, first))
        out.groups.append([node])
        i += 1
    if i != len(stmts):
        return None
    return out


# Fields whose declaration order differs from source order; all other nodes list their
# children in source order, which is all a pre-order walk needs to meet calls by start position.
_SOURCE_ORDER = {
    cst.IfExp: ("body", "test", "orelse"),
    cst.FunctionDef: ("decorators", "params", "returns", "body"),
    cst.ClassDef: ("decorators", "bases", "keywords", "body"),
}
# Fields that hold only tokens, whitespace or flags (never an expression, so never a call):
# the walk skips them, which halves the nodes it meets.
_TOKEN_FIELDS = frozenset({
    "lpar", "rpar", "comma", "semicolon", "colon", "first_colon", "second_colon", "equal", "operator", "dot",
    "lbrace", "rbrace", "lbracket", "rbracket", "leading_lines", "lines_after_decorators", "header", "footer",
    "newline", "trailing_whitespace", "relative", "separator", "posonly_ind", "empty_lines", "first_line",
    "last_line", "leading_whitespace", "comment", "asynchronous", "star", "indent", "trailing_comma",
    "conversion", "start", "end", "default_indent", "default_newline", "encoding", "has_trailing_newline",
})
# Per class: the fields to walk, in source order (empty for leaves and for values that are not nodes).
_FIELDS: dict[type, tuple[str, ...]] = {}


def _child_fields(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        if not issubclass(cls, cst.CSTNode):
            names = ()
        else:
            names = _SOURCE_ORDER.get(cls) or tuple(
                f.name for f in dataclasses.fields(cls)  # type: ignore[arg-type]
                if f.name not in _TOKEN_FIELDS and not f.name.startswith("whitespace"))
        _FIELDS[cls] = names
    return names


def calls_in_source_order(root: cst.CSTNode) -> list[cst.Call]:
    """Every Call under ``root``, outer before inner, in order of where they start.

    A plain walk over dataclass fields, by exact type (no ABC checks) and skipping
    token and whitespace fields: LibCST's visitors rebuild nodes as they go, which
    costs as much as parsing.
    """
    calls: list[cst.Call] = []
    stack: list[object] = [root]
    pop, push, extend = stack.pop, stack.append, stack.extend
    fields = _FIELDS
    call = cst.Call
    while stack:
        item = pop()
        cls = type(item)
        if cls is list or cls is tuple:
            extend(reversed(item))  # type: ignore[call-overload]
            continue
        names = fields.get(cls)
        if names is None:
            names = _child_fields(cls)
        if cls is call:
            calls.append(item)  # type: ignore[arg-type]
        for name in reversed(names):
            push(getattr(item, name))
    return calls


def ast_calls(stmts: list[ast.stmt]) -> list[ast.Call]:
    """Every ``ast.Call`` under ``stmts`` (any order; an iterative walk, so no recursion limit)."""
    found: list[ast.Call] = []
    stack: list[ast.AST] = list(stmts)
    pop, push = stack.pop, stack.append
    ast_node, call = ast.AST, ast.Call
    while stack:
        node = pop()
        if type(node) is call:
            found.append(node)  # type: ignore[arg-type]
        for name in node._fields:
            value = getattr(node, name, None)
            if type(value) is list:
                for v in value:
                    if isinstance(v, ast_node):
                        push(v)
            elif isinstance(value, ast_node):
                push(value)
    return found


class PositionIndex:
    """Positions of nodes in one parsed module, computed per top-level statement on demand."""

    def __init__(self, module: cst.Module, lines: list[tuple[int, int]] | None) -> None:
        self._module = module
        self._lines = lines
        self._stmt_index = {id(s): i for i, s in enumerate(module.body)}
        self._ranges: dict[cst.CSTNode, CodeRange] = {}
        self._deltas: dict[cst.CSTNode, int] = {}
        self._done: set[int] = set()
        self._full = False
        self._calls: dict[cst.Call, tuple[int, int]] = {}
        self._calls_done: set[int] = set()

    def _compute_full(self) -> None:
        if self._full:
            return
        wrapper = MetadataWrapper(self._module, unsafe_skip_copy=True)
        ranges = wrapper.resolve(PositionProvider)
        self._ranges = dict(ranges)
        self._deltas = {}
        self._full = True

    def _compute_statement(self, index: int) -> None:
        if self._full or index in self._done:
            return
        if self._lines is None:
            self._compute_full()
            return
        stmt = self._module.body[index]
        sink = _Sink()
        state = PositionProvidingCodegenState(
            default_indent=self._module.default_indent,
            default_newline=self._module.default_newline,
            provider=sink,  # type: ignore[arg-type]
        )
        stmt._codegen(state)
        anchor = sink._computed.get(_anchor_node(stmt))
        if anchor is None:
            self._compute_full()
            return
        delta = self._lines[index][0] - anchor.start.line
        for node, rng in sink._computed.items():
            self._ranges[node] = rng
            self._deltas[node] = delta
        self._done.add(index)

    def call_start(self, call: cst.Call, stmt: cst.CSTNode | None) -> tuple[int, int] | None:
        """Where a call expression starts, as CPython records it (what the tracer's call sites hold).

        The calls of a top-level statement are matched in source order with CPython's
        own ``ast.Call`` nodes, whose positions are the ones code objects carry; much
        cheaper than regenerating the statement. None when the two parsers disagree.
        """
        if call in self._calls:
            return self._calls[call]
        index = self.statement_index(stmt) if stmt is not None else None
        groups = getattr(self._lines, "groups", None)
        if index is None or groups is None or index in self._calls_done:
            return None
        self._calls_done.add(index)
        calls = calls_in_source_order(self._module.body[index])
        found = ast_calls(groups[index])
        found.sort(key=lambda n: (n.lineno, n.col_offset, -(n.end_lineno or 0), -(n.end_col_offset or 0)))
        if len(found) != len(calls):
            return None
        for node, call_ast in zip(calls, found):
            self._calls[node] = (call_ast.lineno, call_ast.col_offset)
        return self._calls.get(call)

    def statement_index(self, stmt: cst.CSTNode) -> int | None:
        return self._stmt_index.get(id(stmt))

    def span(self, node: cst.CSTNode, stmt: cst.CSTNode | None) -> Span | None:
        """The span of ``node``, which lies inside the top-level statement ``stmt``."""
        if node not in self._ranges:
            index = self.statement_index(stmt) if stmt is not None else None
            try:
                if index is None:
                    self._compute_full()
                else:
                    self._compute_statement(index)
            except (RecursionError, KeyError):  # nested too deeply for LibCST's codegen
                self._done.add(index if index is not None else -1)
                return None
        rng = self._ranges.get(node)
        if rng is None:
            return None
        delta = self._deltas.get(node, 0)
        return Span(rng.start.line + delta, rng.start.column, rng.end.line + delta, rng.end.column)



def top_level_lines_slow(module: cst.Module) -> list[tuple[int, int]]:
    """What :func:`top_level_lines` returns, from LibCST's own provider (for sources ``ast`` rejects)."""
    ranges = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    out = []
    for stmt in module.body:
        anchor = ranges[_anchor_node(stmt)].start.line
        decorators = getattr(stmt, "decorators", ())
        first = ranges[decorators[0]].start.line if decorators else anchor
        out.append((anchor, first))
    return out
