"""Summaries of declarations-only modules built from CPython's parse, without LibCST.

``flowgen check`` parses every file with LibCST, and the parse is most of what a check
costs. A module of task definitions -- imports, a docstring, ``@task`` functions and
nothing else -- holds no workflow, ``@dynamic`` or launch plan to compile: all the
checker reads from it is its :class:`~flowgen.static.summary.ModuleSummary` (what its
names are, each task's decorator, parameters and annotations). :func:`summarize_declarations`
builds that summary from the ``ast`` tree the loader has already made, with the
LibCST expression nodes the rest of the checker works on built directly from the
``ast`` expressions; the loader then parses the module with LibCST only if something
asks for its syntax tree (a diagnostic to place in it, see
:class:`flowgen.static.loader.ParsedModule`).

The summary must be the one LibCST's parse would give, node for node (rendered in
messages, compared, evaluated). So this path is taken only when that is certain, and
otherwise ``None`` sends the module down the LibCST path:

- every top-level statement is a docstring, an import or a function whose decorators
  are all spelled ``task`` (as :mod:`flowgen.static.skeleton` blanks), one statement
  per line;
- each such function's decorators and ``def`` line are one line each, and each line
  is exactly what the expressions built from ``ast`` spell back (so no parentheses,
  comments, unusual spacing or number/string spelling can differ from the source);
- annotations, defaults and decorator arguments use only names, attributes,
  subscripts, ``|``, calls, plain numbers, one-token strings and ``None``/``True``/
  ``False``; the source is ASCII, without a coding cookie or carriage returns.

``tests/static/test_declarations.py`` holds the two paths equal on every eligible
module of the examples, the test corpus and the benchmark's tree.
"""

from __future__ import annotations

import ast
import os

import libcst as cst

from flowgen.static.cst_parse import unvalidated
from flowgen.static.skeleton import is_task_decorator
from flowgen.static.summary import (
    DecoratorInfo,
    FunctionInfo,
    ModuleSummary,
    ParamInfo,
    ParamKind,
    bind_import,
)

__all__ = ["summarize_declarations"]


class _NotPlain(Exception):
    """The module is not declarations-only, or not spelled so that ``ast`` gives LibCST's nodes."""


_NO_SPACE = cst.SimpleWhitespace("")
_SPACE = cst.SimpleWhitespace(" ")
_COMMA = cst.Comma(whitespace_before=_NO_SPACE, whitespace_after=_SPACE)
_KEYWORD_EQUAL = cst.AssignEqual(whitespace_before=_NO_SPACE, whitespace_after=_NO_SPACE)
_LAST = cst.MaybeSentinel.DEFAULT
_NAMED_CONSTANTS = {None: "None", True: "True", False: "False"}


def _string_token(value: str, source: str, node: ast.Constant) -> str:
    """The one-token spelling of a string constant, from its opening quote in the source."""
    quote = source[node.col_offset] if node.col_offset < len(source) else ""
    if quote not in ("'", '"') or quote in value or "\\" in value or not value.isprintable():
        raise _NotPlain
    return quote + value + quote


class _Expressions:
    """``ast`` expressions to LibCST nodes and the text they spell, for one source line at a time."""

    def __init__(self) -> None:
        self.line = ""

    def build(self, node: ast.expr) -> tuple[cst.BaseExpression, str]:
        kind = type(node)
        if kind is ast.Name:
            name = node.id  # type: ignore[attr-defined]
            return cst.Name(name), name
        if kind is ast.Attribute:
            value, text = self.build(node.value)  # type: ignore[attr-defined]
            attr = node.attr  # type: ignore[attr-defined]
            return cst.Attribute(value=value, attr=cst.Name(attr)), f"{text}.{attr}"
        if kind is ast.Subscript:
            return self._subscript(node)  # type: ignore[arg-type]
        if kind is ast.Constant:
            return self._constant(node)  # type: ignore[arg-type]
        if kind is ast.BinOp and type(node.op) is ast.BitOr:  # type: ignore[attr-defined]
            left, left_text = self.build(node.left)  # type: ignore[attr-defined]
            right, right_text = self.build(node.right)  # type: ignore[attr-defined]
            operator = cst.BitOr(whitespace_before=_SPACE, whitespace_after=_SPACE)
            return cst.BinaryOperation(left=left, operator=operator, right=right), f"{left_text} | {right_text}"
        if kind is ast.UnaryOp and type(node.op) is ast.USub:  # type: ignore[attr-defined]
            operand = node.operand  # type: ignore[attr-defined]
            if type(operand) is ast.Constant and type(operand.value) in (int, float):
                value, text = self._constant(operand)
                return cst.UnaryOperation(operator=cst.Minus(whitespace_after=_NO_SPACE), expression=value), "-" + text
        if kind is ast.Call:
            return self._call(node)  # type: ignore[arg-type]
        raise _NotPlain

    def _constant(self, node: ast.Constant) -> tuple[cst.BaseExpression, str]:
        value = node.value
        if value is None or isinstance(value, bool):
            text = _NAMED_CONSTANTS[value]
            return cst.Name(text), text
        if isinstance(value, int):
            text = str(value)
            return cst.Integer(text), text
        if isinstance(value, float):
            text = repr(value)
            if "e" in text or "n" in text:  # 1e+20, inf, nan: spelled otherwise in the source
                raise _NotPlain
            return cst.Float(text), text
        if isinstance(value, str):
            text = _string_token(value, self.line, node)
            return cst.SimpleString(text), text
        raise _NotPlain

    def _subscript(self, node: ast.Subscript) -> tuple[cst.BaseExpression, str]:
        value, text = self.build(node.value)
        index = node.slice
        items = index.elts if type(index) is ast.Tuple else [index]  # type: ignore[attr-defined]
        if not items:
            raise _NotPlain
        elements = []
        texts = []
        for i, item in enumerate(items):
            if type(item) is ast.Slice or type(item) is ast.Starred:
                raise _NotPlain
            built, item_text = self.build(item)
            comma = _COMMA if i < len(items) - 1 else _LAST
            elements.append(cst.SubscriptElement(slice=cst.Index(value=built), comma=comma))
            texts.append(item_text)
        return cst.Subscript(value=value, slice=elements), f"{text}[{', '.join(texts)}]"

    def _call(self, node: ast.Call) -> tuple[cst.BaseExpression, str]:
        func, text = self.build(node.func)
        parts: list[tuple[str | None, ast.expr]] = [(None, a) for a in node.args]
        for keyword in node.keywords:
            if keyword.arg is None:  # **kwargs
                raise _NotPlain
            parts.append((keyword.arg, keyword.value))
        args = []
        texts = []
        for i, (keyword_name, value_node) in enumerate(parts):
            if type(value_node) is ast.Starred:
                raise _NotPlain
            value, value_text = self.build(value_node)
            comma = _COMMA if i < len(parts) - 1 else _LAST
            if keyword_name is None:
                args.append(cst.Arg(value=value, comma=comma))
                texts.append(value_text)
            else:
                args.append(cst.Arg(value=value, keyword=cst.Name(keyword_name), equal=_KEYWORD_EQUAL, comma=comma))
                texts.append(f"{keyword_name}={value_text}")
        return cst.Call(func=func, args=args), f"{text}({', '.join(texts)})"


def _param(expressions: _Expressions, arg: ast.arg, kind: ParamKind, default: ast.expr | None,
           texts: list[str]) -> ParamInfo:
    annotation = text = None
    if arg.annotation is not None:
        annotation, text = expressions.build(arg.annotation)
    spelled = arg.arg if text is None else f"{arg.arg}: {text}"
    value = None
    if default is not None:
        value, default_text = expressions.build(default)
        spelled += f" = {default_text}" if text is not None else f"={default_text}"
    texts.append(spelled)
    return ParamInfo(arg.arg, kind, annotation, value)


def _function(node: ast.FunctionDef, index: int, lines: list[str], expressions: _Expressions) -> FunctionInfo:
    first = node.decorator_list[0].lineno
    body = node.body[0]
    if node.lineno != first + len(node.decorator_list) or body.lineno <= node.lineno:
        raise _NotPlain
    if lines[body.lineno - 1][:body.col_offset].strip(" \t\f"):
        raise _NotPlain  # a body the skeleton leaves whole (LibCST's summary would read it)
    decorators = []
    for offset, decorator in enumerate(node.decorator_list):
        expressions.line = line = lines[first - 1 + offset]
        expr, text = expressions.build(decorator)
        if line != "@" + text:
            raise _NotPlain
        if isinstance(expr, cst.Call):
            decorators.append(DecoratorInfo(target=expr.func, called=True, args=tuple(expr.args)))
        else:
            decorators.append(DecoratorInfo(target=expr, called=False))
    expressions.line = line = lines[node.lineno - 1]
    a = node.args
    texts: list[str] = []
    params: list[ParamInfo] = []
    positional = [*a.posonlyargs, *a.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(a.defaults)) + list(a.defaults)
    for i, (arg, default) in enumerate(zip(positional, defaults)):
        params.append(_param(expressions, arg, "positional", default, texts))
        if a.posonlyargs and i == len(a.posonlyargs) - 1:
            texts.append("/")
    if a.vararg is not None:
        params.append(_param(expressions, a.vararg, "varargs", None, texts))
        texts[-1] = "*" + texts[-1]
    elif a.kwonlyargs:
        texts.append("*")
    for arg, kw_default in zip(a.kwonlyargs, a.kw_defaults):
        params.append(_param(expressions, arg, "keyword", kw_default, texts))
    if a.kwarg is not None:
        params.append(_param(expressions, a.kwarg, "varkw", None, texts))
        texts[-1] = "**" + texts[-1]
    returns = returns_text = None
    if node.returns is not None:
        returns, returns_text = expressions.build(node.returns)
    spelled = f"def {node.name}({', '.join(texts)})" + (f" -> {returns_text}" if returns_text else "") + ":"
    if line != spelled:
        raise _NotPlain
    return FunctionInfo(name=node.name, index=index, line=first, decorators=tuple(decorators),
                        params=tuple(params), returns=returns)


def _declaration(stmt: ast.stmt) -> bool:
    """A docstring, an import or a function whose decorators are all spelled ``task``."""
    kind = type(stmt)
    if kind is ast.Import or kind is ast.ImportFrom:
        return True
    if kind is ast.Expr:
        return type(stmt.value) is ast.Constant  # type: ignore[attr-defined]
    return kind is ast.FunctionDef and bool(stmt.decorator_list) and all(  # type: ignore[attr-defined]
        map(is_task_decorator, stmt.decorator_list))  # type: ignore[attr-defined]


def summarize_declarations(tree: ast.Module, source: str, name: str, path: str) -> ModuleSummary | None:
    """The summary LibCST's parse of ``source`` would give, or None when that is not certain (see above).

    ``tree`` is CPython's parse of ``source``; bodies of the ``@task`` functions are not read.
    """
    if not all(map(_declaration, tree.body)):
        return None
    if not source.isascii() or "\r" in source or "coding" in source[:400]:
        return None
    summary = ModuleSummary(name=name, path=path, is_package=os.path.basename(path) == "__init__.py")
    try:
        with unvalidated():
            _summarize(tree.body, summary, source.split("\n"))
    except _NotPlain:
        return None
    return summary


def _summarize(body: list[ast.stmt], summary: ModuleSummary, lines: list[str]) -> None:
    expressions = _Expressions()
    names = summary.names
    previous_end = 0
    for index, stmt in enumerate(body):
        if stmt.lineno <= previous_end:  # two statements on one line: LibCST counts them as one
            raise _NotPlain
        previous_end = stmt.end_lineno or stmt.lineno
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            bind_import(summary, stmt)
        elif isinstance(stmt, ast.FunctionDef):
            names[stmt.name] = _function(stmt, index, lines, expressions)
        # else a docstring (or another constant): binds nothing
