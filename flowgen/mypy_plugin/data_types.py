"""Files, folders and tables as mypy types: formats and columns mypy can compare.

The stubs make ``FlyteFile``, ``FlyteDirectory`` (over a format) and
``StructuredDataset`` (over its columns) generic, with ``Any`` as the default, so a
bare ``FlyteFile`` fits every format. This module's type-analyze hooks give the
parameters the meaning :mod:`flowgen.ir.annotations` gives the live classes:

=================================================  ===============================================
annotation                                         mypy type
=================================================  ===============================================
``FlyteFile["csv"]``, ``FlyteFile[".csv"]``        ``FlyteFile[Literal['csv']]``
``FlyteFile[TypeVar("csv")]``                      the same (the call is read from the source line)
``FlyteFile[csv]`` with ``csv = TypeVar("csv")``   the same
``CSV = FlyteFile[typing.TypeVar("csv")]``         an alias of the same (rewritten at parse time)
``FlyteFile``                                      ``FlyteFile[Any]``
``Annotated[StructuredDataset, kwtypes(a=int)]``   ``StructuredDataset[TypedDict({'a': int})]``
``Annotated[StructuredDataset, {"a": int}]``       the same
=================================================  ===============================================

The stubs' type parameters are covariant, so mypy's own subtype check then is
flowgen's wiring rule (:mod:`flowgen.ir.compat`): ``Literal['csv']`` does not fit
``Literal['parquet']``, ``Any`` fits both ways, and a TypedDict fits another when it
has every one of its keys with the same type (a table feeds a subset of its columns).

What mypy cannot see is listed in the README ("Files, directories and tables"):
columns of a plain ``pandas.DataFrame`` / ``pyarrow.Table`` (those classes are not
generic), and formats or columns built at run time.
"""

from __future__ import annotations

import ast
import os
import re
from functools import lru_cache

from mypy.exprtotype import TypeTranslationError, expr_to_unanalyzed_type
from mypy.fastparse import parse_type_string
from mypy.nodes import (
    AssignmentStmt,
    CallExpr,
    ClassDef,
    Decorator,
    DictExpr,
    Expression,
    FuncDef,
    IfStmt,
    Import,
    IndexExpr,
    MemberExpr,
    MypyFile,
    NameExpr,
    OverloadedFuncDef,
    Statement,
    StrExpr,
    TupleExpr,
    TypeVarExpr,
)
from mypy.options import Options
from mypy.plugin import AnalyzeTypeContext
from mypy.types import (
    AnyType,
    CallableType,
    Instance,
    LiteralType,
    RawExpressionType,
    Type,
    TypedDictType,
    TypeOfAny,
    UnboundType,
    UnionType,
    get_proper_type,
)

__all__ = ["ANNOTATED", "DIRECTORY", "FILE", "TABLE", "analyze_annotated", "analyze_formatted",
           "analyze_table", "rewrite_module"]

FILE = "flowgen.data.files.FlyteFile"
DIRECTORY = "flowgen.data.files.FlyteDirectory"
TABLE = "flowgen.data.tables.StructuredDataset"
ANNOTATED = ("typing.Annotated", "typing_extensions.Annotated")
_KWTYPES = "kwtypes"
_TYPEVAR_CALL = re.compile(r"""(?:[\w.]+\.)?TypeVar\(\s*(?P<q>['"])(?P<name>[^'"]*)(?P=q)""")
_FORMAT_HINT = 'a format is a string or a TypeVar: FlyteFile["csv"], FlyteFile[TypeVar("csv")]'


def _clean(name: str) -> str:  # as flowgen.data.files._format_name: "~csv", ".csv" -> "csv"
    return name.strip().lstrip("~").lstrip(".")


def _any() -> AnyType:
    return AnyType(TypeOfAny.special_form)


# -- formats -------------------------------------------------------------------------------------
def analyze_formatted(ctx: AnalyzeTypeContext, fullname: str) -> Type:
    """``FlyteFile`` / ``FlyteDirectory``, bare or with a format."""
    args = ctx.type.args
    if not args:
        return ctx.api.named_type(fullname, [_any()])
    name = fullname.rpartition(".")[2]
    fmt = _format(ctx, args[0]) if len(args) == 1 else None
    if fmt is None:
        ctx.api.fail(f"{name}[...] takes one format; {_FORMAT_HINT}", ctx.context)
        return ctx.api.named_type(fullname, [AnyType(TypeOfAny.from_error)])
    if not fmt:
        return ctx.api.named_type(fullname, [_any()])
    return ctx.api.named_type(fullname, [LiteralType(fmt, ctx.api.named_type("builtins.str", []))])


def _format(ctx: AnalyzeTypeContext, arg: Type) -> str | None:
    if isinstance(arg, UnboundType):
        if arg.original_str_expr is not None:  # FlyteFile["csv"]
            return _clean(arg.original_str_expr)
        if arg.name == "None" and not arg.args:
            return ""
        if arg.name.rpartition(".")[2] == "Literal" and len(arg.args) == 1:  # an alias, respelled
            return _format(ctx, arg.args[0])
        lookup = getattr(ctx.api, "lookup_qualified", None)
        sym = lookup(arg.name, ctx.context, suppress_errors=True) if lookup is not None else None
        if sym is not None and isinstance(sym.node, TypeVarExpr):  # csv = TypeVar("csv"); FlyteFile[csv]
            return _clean(sym.node.name)
        return None
    if isinstance(arg, RawExpressionType):
        if isinstance(arg.literal_value, str):  # a string that is no type expression: ".csv"
            return _clean(arg.literal_value)
        if arg.literal_value is None:  # a call: FlyteFile[TypeVar("csv")]
            text = _source_from(ctx, arg.line, arg.column)
            match = _TYPEVAR_CALL.match(text) if text is not None else None
            if match is not None:
                return _clean(match["name"])
    return None


# -- columns -------------------------------------------------------------------------------------
def analyze_table(ctx: AnalyzeTypeContext) -> Type:
    """A bare ``StructuredDataset``: its columns are unknown (``Any``)."""
    if ctx.type.args:
        ctx.api.fail('StructuredDataset takes its columns as Annotated[StructuredDataset, kwtypes(a=int)]',
                     ctx.context)
    return ctx.api.named_type(TABLE, [_any()])


def analyze_annotated(ctx: AnalyzeTypeContext) -> Type:
    """``Annotated[T, ...]`` as mypy analyses it, with a table's declared columns kept."""
    args = ctx.type.args
    analyser = ctx.api
    if len(args) < 2:
        analyser.fail("Annotated[...] must have exactly one type argument and at least one annotation",
                      ctx.context)
        return AnyType(TypeOfAny.from_error)
    anal_type = getattr(analyser, "anal_type", None)
    if anal_type is not None:
        base = anal_type(args[0], allow_typed_dict_special_forms=getattr(
            analyser, "allow_typed_dict_special_forms", False))
    else:  # pragma: no cover - another mypy
        base = analyser.analyze_type(args[0])
    proper = get_proper_type(base)
    if not (isinstance(proper, Instance) and proper.type.fullname == TABLE):
        return base
    for meta in args[1:]:
        columns = _columns(ctx, meta)
        if columns:
            items = {}
            for column, annotation in columns:
                parsed = parse_type_string(annotation, "builtins.str", meta.line, meta.column)
                items[column] = analyser.analyze_type(parsed)
            fallback = analyser.named_type("typing._TypedDict", [])
            typed = TypedDictType(items, set(items), set(), fallback)
            proper = Instance(proper.type, [typed], line=proper.line, column=proper.column)
    return proper


def _columns(ctx: AnalyzeTypeContext, meta: Type) -> list[tuple[str, str]] | None:
    """``[(name, annotation source)]`` of ``kwtypes(...)`` or ``{"name": type}`` metadata."""
    # kwtypes(...) reaches here as an invalid type, {"a": int} as an unanalyzed TypedDict: both are
    # read again from the source, where they start
    if not (isinstance(meta, TypedDictType) or (isinstance(meta, RawExpressionType) and meta.literal_value is None)):
        return None
    path = _current_path(ctx)
    if path is None:
        return None
    node = _expressions(path, _mtime(path)).get((meta.line, meta.column))
    if isinstance(node, ast.Call):
        func = node.func
        callee = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if callee != _KWTYPES:
            return None
        return [(k.arg, ast.unparse(k.value)) for k in node.keywords if k.arg is not None] or None
    if isinstance(node, ast.Dict):
        out = []
        for key, value in zip(node.keys, node.values):
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                return None
            out.append((key.value, ast.unparse(value)))
        return out or None
    return None


# -- source access -------------------------------------------------------------------------------
def _current_path(ctx: AnalyzeTypeContext) -> str | None:
    semanal = getattr(ctx.api, "api", None)
    tree = getattr(semanal, "cur_mod_node", None)
    path = getattr(tree, "path", None)
    return path if isinstance(path, str) and os.path.isfile(path) else None


def _mtime(path: str) -> float:
    try:
        return os.path.getmtime(path)
    except OSError:
        return 0.0


@lru_cache(maxsize=64)
def _lines(path: str, mtime: float) -> tuple[str, ...]:
    try:
        with open(path, encoding="utf-8") as fh:
            return tuple(fh.read().splitlines())
    except (OSError, UnicodeDecodeError):
        return ()


@lru_cache(maxsize=64)
def _expressions(path: str, mtime: float) -> dict[tuple[int, int], ast.expr]:
    """Calls and dict displays of a module by (line, column), as mypy locates them."""
    try:
        tree = ast.parse("\n".join(_lines(path, mtime)))
    except SyntaxError:
        return {}
    return {(n.lineno, n.col_offset): n for n in ast.walk(tree) if isinstance(n, (ast.Call, ast.Dict))}


def _source_from(ctx: AnalyzeTypeContext, line: int, column: int) -> str | None:
    path = _current_path(ctx)
    if path is None or line < 1 or column < 0:
        return None
    lines = _lines(path, _mtime(path))
    return lines[line - 1][column:] if line <= len(lines) else None


# -- parse time ----------------------------------------------------------------------------------
# mypy looks up every name inside a type's brackets before any hook sees it ("csv" in
# FlyteFile["csv"] would be an undefined name), and a call (TypeVar("csv")) is no type at all. So
# once per freshly parsed module the formats are respelled where mypy will not look them up: in
# signatures and annotations as a raw string type argument, in aliases (analysed as expressions
# too) as ``Literal["csv"]`` through a private ``import typing``.
_TYPING_ALIAS = "_flowgen_typing_"
_DATA_NAMES = ("FlyteFile", "FlyteDirectory")


def rewrite_module(file: MypyFile, options: Options) -> None:
    """Respell the formats of ``FlyteFile[...]`` / ``FlyteDirectory[...]`` in ``file`` (see above),
    and inline the module's own table aliases (``People = Annotated[StructuredDataset, kwtypes(...)]``:
    mypy drops ``Annotated`` metadata from an alias) where annotations use them."""
    if any(isinstance(d, Import) and (("typing", _TYPING_ALIAS) in d.ids) for d in file.defs):
        return  # already rewritten (a reused tree)
    typevars = _module_typevars(file)
    lines = _lines(file.path, _mtime(file.path)) if os.path.isfile(file.path) else ()
    aliased = False
    for stmt in file.defs:
        if isinstance(stmt, AssignmentStmt) and stmt.type is None and isinstance(stmt.rvalue, IndexExpr):
            aliased = _rewrite_alias(stmt.rvalue, typevars) or aliased
    rewriter = _SignatureRewriter(typevars, lines)
    rewriter.tables = _table_aliases(file, options)
    rewriter.visit_mypy_file(file)
    if aliased:
        imp = Import([("typing", _TYPING_ALIAS)])
        imp.is_top_level = True
        imp.set_line(1)
        file.defs.insert(0, imp)
        file.imports.append(imp)


def _module_typevars(file: MypyFile) -> dict[str, str]:
    """``csv = TypeVar("csv")`` at the top level: {"csv": "csv"}."""
    found = {}
    for stmt in file.defs:
        if isinstance(stmt, AssignmentStmt) and len(stmt.lvalues) == 1 and isinstance(stmt.lvalues[0], NameExpr):
            name = _typevar_name(stmt.rvalue)
            if name is not None:
                found[stmt.lvalues[0].name] = name
    return found


def _table_aliases(file: MypyFile, options: Options) -> dict[str, UnboundType]:
    """``People = Annotated[T, kwtypes(...)]`` (or a dict of columns) at the top level, as the
    unanalyzed type an annotation ``Annotated[T, kwtypes(...)]`` would be."""
    found = {}
    for stmt in file.defs:
        if not (isinstance(stmt, AssignmentStmt) and len(stmt.lvalues) == 1 and isinstance(stmt.lvalues[0], NameExpr)
                and isinstance(stmt.rvalue, IndexExpr) and _ref_name(stmt.rvalue.base) == "Annotated" and isinstance(stmt.rvalue.index, TupleExpr)):
            continue
        base, *metadata = stmt.rvalue.index.items
        if not any(isinstance(m, (CallExpr, DictExpr)) for m in metadata):
            continue
        try:
            base_type = expr_to_unanalyzed_type(base, options)
        except TypeTranslationError:
            continue
        raw = [RawExpressionType(None, "typing.Any", line=m.line, column=m.column) for m in metadata]
        annotated = expr_to_unanalyzed_type(stmt.rvalue.base, options)
        if isinstance(annotated, UnboundType):
            found[stmt.lvalues[0].name] = UnboundType(annotated.name, [base_type, *raw], line=stmt.line, column=stmt.column)
    return found


def _is_data_name(name: str) -> bool:
    return name.rpartition(".")[2] in _DATA_NAMES


def _rewrite_alias(expr: IndexExpr, typevars: dict[str, str]) -> bool:
    if _ref_name(expr.base) not in _DATA_NAMES:
        return False
    index = expr.index
    fmt = _typevar_name(index)
    if fmt is None and isinstance(index, StrExpr):
        fmt = index.value
    if fmt is None and isinstance(index, NameExpr):
        fmt = typevars.get(index.name)
    if fmt is None:
        return False
    literal = IndexExpr(MemberExpr(NameExpr(_TYPING_ALIAS), "Literal"), StrExpr(_clean(fmt)))
    for node in (literal, literal.base, literal.index, literal.base.expr):  # type: ignore[attr-defined]
        node.set_line(index)
    expr.index = literal
    return True


def _typevar_name(expr: Expression) -> str | None:
    if (isinstance(expr, CallExpr) and _ref_name(expr.callee) == "TypeVar"
            and expr.args and isinstance(expr.args[0], StrExpr)):
        return expr.args[0].value
    return None


def _ref_name(expr: Expression) -> str | None:
    """The last name of ``Name`` / ``a.b.Name`` (before semantic analysis)."""
    return expr.name if isinstance(expr, (NameExpr, MemberExpr)) else None


class _SignatureRewriter:
    """Walks functions (decorated, overloaded, nested, in classes and ``if`` blocks) and annotated
    assignments; mypy's own traverser is compiled and cannot be subclassed here."""

    def __init__(self, typevars: dict[str, str], lines: tuple[str, ...]) -> None:
        self.typevars = typevars
        self.lines = lines
        self.tables: dict[str, UnboundType] = {}

    def visit_mypy_file(self, file: MypyFile) -> None:
        self.statements(file.defs, 0)

    def statements(self, stmts: list[Statement], depth: int) -> None:
        if depth > 50:
            return
        for stmt in stmts:
            if isinstance(stmt, Decorator):
                stmt = stmt.func
            if isinstance(stmt, OverloadedFuncDef):
                self.statements(list(stmt.items), depth + 1)
            elif isinstance(stmt, FuncDef):
                if isinstance(stmt.type, CallableType):
                    stmt.type.arg_types = [self.respell(t) for t in stmt.type.arg_types]
                    stmt.type.ret_type = self.respell(stmt.type.ret_type)
                self.statements(stmt.body.body, depth + 1)
            elif isinstance(stmt, ClassDef):
                self.statements(stmt.defs.body, depth + 1)
            elif isinstance(stmt, IfStmt):
                for block in (*stmt.body, stmt.else_body):
                    if block is not None:
                        self.statements(block.body, depth + 1)
            elif isinstance(stmt, AssignmentStmt) and stmt.type is not None:
                stmt.type = self.respell(stmt.type)

    def respell(self, typ: Type) -> Type:
        if isinstance(typ, UnboundType) and not typ.args and typ.name in self.tables:
            inlined = self.tables[typ.name]
            return UnboundType(inlined.name, list(inlined.args), line=typ.line, column=typ.column)
        if isinstance(typ, UnboundType):
            if _is_data_name(typ.name) and len(typ.args) == 1:
                fmt = self.format_of(typ.args[0])
                if fmt is not None:
                    arg = typ.args[0]
                    typ.args = (RawExpressionType(_clean(fmt), "builtins.str", line=arg.line, column=arg.column),)
                return typ
            typ.args = tuple(self.respell(a) for a in typ.args)
        elif isinstance(typ, UnionType):
            typ.items = [self.respell(i) for i in typ.items]
        return typ

    def format_of(self, arg: Type) -> str | None:
        if isinstance(arg, UnboundType) and not arg.args:
            if arg.original_str_expr is not None:
                return arg.original_str_expr
            return self.typevars.get(arg.name)
        if isinstance(arg, RawExpressionType) and arg.literal_value is None and 1 <= arg.line <= len(self.lines):
            match = _TYPEVAR_CALL.match(self.lines[arg.line - 1][max(arg.column, 0):])
            if match is not None:
                return match["name"]
        return None
