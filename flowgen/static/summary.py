"""What one module declares at top level, as plain picklable data.

A summary is what other modules need to know about a module: its imports, its
functions (with decorators, parameters and annotations), its classes (bases,
fields, members) and its simple constants. Expressions are kept as LibCST nodes
(small, immutable, picklable) and interpreted later against the whole project
by :mod:`flowgen.static.symbols`, so summarising one file never needs another.

Later bindings of a name replace earlier ones, as they do when Python runs the
module top to bottom.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import libcst as cst

__all__ = [
    "ClassInfo",
    "ConstantInfo",
    "DecoratorInfo",
    "FieldInfo",
    "FunctionInfo",
    "ImportInfo",
    "ModuleSummary",
    "ParamInfo",
    "Symbol",
    "bind_import",
    "dotted_name",
    "summarize",
]


@dataclass(frozen=True)
class ImportInfo:
    """``import a.b as c`` -> ("a.b", None); ``from a import b`` -> ("a", "b"); ``import a.b`` -> ("a", None)."""

    module: str
    name: str | None


@dataclass(frozen=True)
class DecoratorInfo:
    target: cst.BaseExpression  # the callee: ``task`` or ``fg.task``
    called: bool
    args: tuple[cst.Arg, ...] = ()


ParamKind = Literal["positional", "keyword", "varargs", "varkw"]


@dataclass(frozen=True)
class ParamInfo:
    name: str
    kind: ParamKind
    annotation: cst.BaseExpression | None
    default: cst.BaseExpression | None


@dataclass(frozen=True)
class FunctionInfo:
    name: str
    index: int  # position in the module body
    line: int  # first decorator (or ``def``) line, as CPython's co_firstlineno
    decorators: tuple[DecoratorInfo, ...]
    params: tuple[ParamInfo, ...]
    returns: cst.BaseExpression | None
    wraps_param: str | None = None  # a decorator made with functools.wraps(<param>)

    kind: Literal["function"] = "function"


@dataclass(frozen=True)
class FieldInfo:
    name: str
    annotation: cst.BaseExpression
    default: cst.BaseExpression | None


@dataclass(frozen=True)
class ClassInfo:
    name: str
    index: int
    bases: tuple[cst.BaseExpression, ...]
    decorators: tuple[DecoratorInfo, ...]
    fields: tuple[FieldInfo, ...]
    members: tuple[tuple[str, cst.BaseExpression], ...]  # plain ``NAME = value`` in the body
    methods: frozenset[str] = frozenset()

    kind: Literal["class"] = "class"


@dataclass(frozen=True)
class ConstantInfo:
    value: cst.BaseExpression | None  # None: bound in a way a constant cannot follow
    index: int

    kind: Literal["constant"] = "constant"


Symbol = ImportInfo | FunctionInfo | ClassInfo | ConstantInfo


@dataclass
class ModuleSummary:
    name: str
    path: str
    is_package: bool
    names: dict[str, Symbol] = field(default_factory=dict)
    star_imports: list[str] = field(default_factory=list)

    @property
    def package(self) -> str:
        return self.name if self.is_package else self.name.rpartition(".")[0]


def dotted_name(expr: cst.BaseExpression) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    parts: list[str] = []
    while isinstance(expr, cst.Attribute):
        parts.append(expr.attr.value)
        expr = expr.value
    if isinstance(expr, cst.Name):
        parts.append(expr.value)
        return ".".join(reversed(parts))
    return None


def _attribute_chain(expr: cst.BaseExpression) -> str:
    if isinstance(expr, cst.Name):
        return expr.value
    if isinstance(expr, cst.Attribute):
        return _attribute_chain(expr.value) + "." + expr.attr.value
    raise ValueError("not a dotted name")


def resolve_relative(package: str, level: int, module: str | None) -> str:
    parts = package.split(".") if package else []
    if level > 1:
        parts = parts[: len(parts) - (level - 1)] if level - 1 <= len(parts) else []
    base = ".".join(parts)
    if module:
        return f"{base}.{module}" if base else module
    return base


def _decorator(d: cst.Decorator) -> DecoratorInfo:
    expr = d.decorator
    if isinstance(expr, cst.Call):
        return DecoratorInfo(target=expr.func, called=True, args=tuple(expr.args))
    return DecoratorInfo(target=expr, called=False)


def _params(params: cst.Parameters) -> tuple[ParamInfo, ...]:
    out: list[ParamInfo] = []
    for p in (*params.posonly_params, *params.params):
        out.append(ParamInfo(p.name.value, "positional", _annotation(p.annotation), p.default))
    if isinstance(params.star_arg, cst.Param):
        out.append(ParamInfo(params.star_arg.name.value, "varargs", _annotation(params.star_arg.annotation), None))
    for p in params.kwonly_params:
        out.append(ParamInfo(p.name.value, "keyword", _annotation(p.annotation), p.default))
    if params.star_kwarg is not None:
        out.append(ParamInfo(params.star_kwarg.name.value, "varkw", _annotation(params.star_kwarg.annotation), None))
    return tuple(out)


def _annotation(annotation: cst.Annotation | None) -> cst.BaseExpression | None:
    return annotation.annotation if annotation is not None else None


def _wraps_param(fn: cst.FunctionDef) -> str | None:
    """``def deco(fn): @functools.wraps(fn) def inner(...): ...; return inner`` -> "fn"."""
    body = fn.body.body if isinstance(fn.body, cst.IndentedBlock) else ()
    inner: dict[str, str] = {}
    for stmt in body:
        if isinstance(stmt, cst.FunctionDef):
            for d in stmt.decorators:
                expr = d.decorator
                if isinstance(expr, cst.Call) and (dotted_name(expr.func) or "").endswith("wraps") and expr.args:
                    arg = expr.args[0].value
                    if isinstance(arg, cst.Name):
                        inner[stmt.name.value] = arg.value
        elif isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if (isinstance(small, cst.Return) and isinstance(small.value, cst.Name)
                        and small.value.value in inner):
                    return inner[small.value.value]
    return None


def _class(node: cst.ClassDef, index: int) -> ClassInfo:
    fields: list[FieldInfo] = []
    members: list[tuple[str, cst.BaseExpression]] = []
    methods: set[str] = set()
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
    for stmt in body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                    fields.append(FieldInfo(small.target.value, small.annotation.annotation, small.value))
                elif isinstance(small, cst.Assign):
                    for target in small.targets:
                        if isinstance(target.target, cst.Name):
                            members.append((target.target.value, small.value))
        elif isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            methods.add(stmt.name.value)
    if isinstance(node.body, cst.SimpleStatementSuite):
        for small in node.body.body:
            if isinstance(small, cst.Assign):
                for target in small.targets:
                    if isinstance(target.target, cst.Name):
                        members.append((target.target.value, small.value))
    return ClassInfo(
        name=node.name.value,
        index=index,
        bases=tuple(a.value for a in node.bases if a.keyword is None),
        decorators=tuple(_decorator(d) for d in node.decorators),
        fields=tuple(fields),
        members=tuple(members),
        methods=frozenset(methods),
    )


def bind_import(summary: ModuleSummary, stmt: ast.Import | ast.ImportFrom) -> None:
    """The bindings of a top-level import, from CPython's tree (as the LibCST path below binds them)."""
    names = summary.names
    if isinstance(stmt, ast.Import):
        for alias in stmt.names:
            if alias.asname is not None:
                names[alias.asname] = ImportInfo(alias.name, None)
            else:
                top = alias.name.split(".")[0]
                names[top] = ImportInfo(top, None)
        return
    level = stmt.level or 0
    source = resolve_relative(summary.package, level, stmt.module) if level else (stmt.module or "")
    for alias in stmt.names:
        if alias.name == "*":
            summary.star_imports.append(source)
            return
        names[alias.asname or alias.name] = ImportInfo(source, alias.name)


class _Summarizer:
    def __init__(self, summary: ModuleSummary, lines: list[tuple[int, int]] | None,
                 imports: Mapping[int, ast.Import | ast.ImportFrom]) -> None:
        self.summary = summary
        self.lines = lines
        self.imports = imports

    def bind(self, name: str, symbol: Symbol) -> None:
        self.summary.names[name] = symbol

    def invalidate(self, name: str, index: int) -> None:
        self.summary.names[name] = ConstantInfo(None, index)

    def statements(self, body: Sequence[cst.BaseStatement], index: int | None, nested: bool) -> None:
        for i, stmt in enumerate(body):
            self.statement(stmt, i if index is None else index, nested)

    def statement(self, stmt: cst.BaseStatement, index: int, nested: bool) -> None:
        if not nested and index in self.imports:  # parsed as ``...``: see skeleton.checked_source
            bind_import(self.summary, self.imports[index])
        elif isinstance(stmt, cst.FunctionDef):
            line = self.lines[index][1] if self.lines is not None and not nested else 0
            self.bind(
                stmt.name.value,
                FunctionInfo(
                    name=stmt.name.value,
                    index=index,
                    line=line,
                    decorators=tuple(_decorator(d) for d in stmt.decorators),
                    params=_params(stmt.params),
                    returns=_annotation(stmt.returns),
                    wraps_param=_wraps_param(stmt),
                ),
            )
        elif isinstance(stmt, cst.ClassDef):
            self.bind(stmt.name.value, _class(stmt, index))
        elif isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                self.small(small, index, nested)
        elif isinstance(stmt, cst.If):
            # ``if TYPE_CHECKING:`` / version checks: follow the first branch for imports and defs.
            self.statements(list(_block(stmt.body)), index, True)
        elif isinstance(stmt, cst.Try):
            self.statements(list(_block(stmt.body)), index, True)
        elif isinstance(stmt, (cst.For, cst.While, cst.With)):
            for name in _assigned_names(stmt):
                self.invalidate(name, index)

    def small(self, small: cst.BaseSmallStatement, index: int, nested: bool) -> None:
        if isinstance(small, cst.Import):
            for alias in small.names:
                full = _attribute_chain(alias.name)
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    self.bind(alias.asname.name.value, ImportInfo(full, None))
                else:
                    top = full.split(".")[0]
                    self.bind(top, ImportInfo(top, None))
        elif isinstance(small, cst.ImportFrom):
            module = _attribute_chain(small.module) if small.module is not None else None
            level = len(small.relative)
            source = resolve_relative(self.summary.package, level, module) if level else (module or "")
            if isinstance(small.names, cst.ImportStar):
                self.summary.star_imports.append(source)
                return
            for alias in small.names:
                name = alias.name.value if isinstance(alias.name, cst.Name) else _attribute_chain(alias.name)
                local = name
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    local = alias.asname.name.value
                self.bind(local, ImportInfo(source, name))
        elif isinstance(small, cst.Assign):
            simple = len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name)
            for target in small.targets:
                if simple and isinstance(target.target, cst.Name):
                    self.bind(target.target.value, ConstantInfo(small.value, index))
                else:
                    for name in _target_names(target.target):
                        self.invalidate(name, index)
        elif isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
            if small.value is not None:
                self.bind(small.target.value, ConstantInfo(small.value, index))
        elif isinstance(small, cst.AugAssign) and isinstance(small.target, cst.Name):
            self.invalidate(small.target.value, index)


def _block(body: cst.BaseSuite) -> tuple[cst.BaseStatement, ...]:
    if isinstance(body, cst.IndentedBlock):
        return tuple(body.body)
    return (cst.SimpleStatementLine(body=body.body),) if isinstance(body, cst.SimpleStatementSuite) else ()


def _target_names(target: cst.BaseExpression) -> list[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [n for e in target.elements for n in _target_names(e.value)]
    if isinstance(target, cst.StarredElement):
        return _target_names(target.value)
    return []


def _assigned_names(stmt: cst.CSTNode) -> list[str]:
    names: list[str] = []

    class Visitor(cst.CSTVisitor):
        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            names.extend(_target_names(node.target))

        def visit_For(self, node: cst.For) -> None:
            names.extend(_target_names(node.target))

    stmt.visit(Visitor())
    return names


def summarize(module: cst.Module, name: str, path: str, lines: list[tuple[int, int]] | None,
              imports: Mapping[int, ast.Import | ast.ImportFrom] | None = None) -> ModuleSummary:
    """The summary of a parsed module (``lines`` from :func:`positions.top_level_lines`).

    ``imports`` are top-level import statements (by index in ``module.body``) that LibCST
    was given as ``...`` and CPython parsed whole (:func:`flowgen.static.skeleton.checked_source`).
    """
    import os

    summary = ModuleSummary(name=name, path=path, is_package=os.path.basename(path) == "__init__.py")
    _Summarizer(summary, lines, imports or {}).statements(module.body, None, False)
    return summary
