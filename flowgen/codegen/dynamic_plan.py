"""Plans of ``@dynamic`` bodies: the body's own code, each task call replaced by a recorder.

A @dynamic decides its sub-DAG at run time, so the interpreter traces its body on every
call: ``Task.__call__``, argument binding, a Promise per call, a call-site walk, literal
checks. When the generator can *prove* what a body does, it emits a **plan** instead
(issue 16, item 3): the body's statements, with every call of a known ``@task`` replaced by a
call of that call site's recorder, its arguments put in the task's parameter order. The
call site (file:line:col) is a constant known here; the run-time half is
:mod:`flowgen.runtime.generated.plans`, which records, checks and runs the calls.

=====================  ==================================================================
rule                   what a plannable body is (anything else: no plan; the @dynamic runs
                       as before, on the tracing front end's record path)
=====================  ==================================================================
where                  a module-level ``def`` of the source file with exactly one decorator,
                       ``@dynamic`` or ``@dynamic(...)``, plain parameters (no ``*args``,
                       ``**kwargs``, positional-only) named as its interface's inputs; one
                       (single) output
inputs                 plain data only (str/int/float/bool, lists and dicts of plain data):
                       no user class whose methods could run while the body computes
statements             assignments to names (or tuples of names), ``+=``-style updates
                       (only when every input is an immutable scalar, so nothing outside
                       the body can be changed), ``for``/``while``/``if``/``break``/
                       ``continue``/``pass``, ``return``, ``raise``, ``assert``, a bare
                       call; no ``def``, ``class``, ``lambda``, ``import``, ``global``,
                       ``with``, ``try``, ``del``, comprehension, attribute or item store
expressions            names, constants, operators, comparisons, ``x if c else y``,
                       subscripts and slices, list/tuple/dict/set displays, f-strings;
                       calls of a builtin of :data:`PURE_BUILTINS` or of a ``@task`` of
                       the same file, with plain positional or keyword arguments that
                       cover every parameter (none left to its default)
names                  every name read is a parameter, a local, a task (called) or a pure
                       builtin (called); no local shadows a task or builtin it uses
=====================  ==================================================================

Why this is enough (the run-time half checks the rest before any node runs): such a body
only computes over its own input values, builtin values and the refs its recorders
return, so running it has no effect outside itself. Whatever the run-time half cannot
prove equal to the interpreter's trace (a value that is not a plain constant, a ref used
as a value, any exception in the body, a task or builtin rebound in the user's module)
makes it discard the records and run the @dynamic on the interpreter's path; running a
pure body twice is unobservable.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

from flowgen.codegen.names import NameTable
from flowgen.ir.model import Interface
from flowgen.ir.types import DictType, ListType, PrimitiveType, TypeSpec

__all__ = ["PURE_BUILTINS", "DynamicPlanCode", "NotPlannable", "PlanSite", "plan_dynamic"]

# Builtins a plan may call: pure on builtin values; on a ref each reaches a dunder (which raises).
PURE_BUILTINS = frozenset({
    "abs", "bool", "dict", "divmod", "enumerate", "float", "int", "len", "list", "max", "min", "range",
    "reversed", "round", "set", "sorted", "str", "sum", "tuple", "zip",
})

_STATEMENTS = (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.For, ast.While, ast.If, ast.Break, ast.Continue,
               ast.Pass, ast.Return, ast.Raise, ast.Assert, ast.Expr)
_EXPRESSIONS = (ast.Name, ast.Constant, ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.IfExp, ast.Subscript,
                ast.Slice, ast.List, ast.Tuple, ast.Dict, ast.Set, ast.JoinedStr, ast.FormattedValue, ast.Call,
                ast.Starred)
_CONTEXTS = (ast.expr_context, ast.operator, ast.unaryop, ast.boolop, ast.cmpop)
_SCALARS = frozenset({"str", "int", "float", "bool"})


@dataclass(frozen=True)
class PlanSite:
    """One task call of a plan: the task's name in the user's module, its parameters in the order
    the recorder takes them, and the call's position in the source (1-based line, 0-based column)."""

    task: str
    params: tuple[str, ...]
    line: int
    column: int


@dataclass(frozen=True)
class DynamicPlanCode:
    """A plannable body, transformed: the plan function's parameters and statements (the
    recorders come in as one tuple, unpacked into ``recorders`` at the top), its call sites, and
    the builtins it calls (the run time checks that the user's module does not rebind them)."""

    recorders_param: str
    params: tuple[str, ...]
    locals: tuple[str, ...]
    recorders: tuple[str, ...]
    statements: tuple[ast.stmt, ...]
    sites: tuple[PlanSite, ...]
    builtins: tuple[str, ...]


class NotPlannable(Exception):
    """Why a body has no plan (kept for the tests and for debugging; building goes on without one)."""


def _plain_data(spec: TypeSpec) -> bool:
    if isinstance(spec, PrimitiveType):
        return spec.name in _SCALARS
    if isinstance(spec, ListType):
        return _plain_data(spec.item)
    if isinstance(spec, DictType):
        return _plain_data(spec.key) and _plain_data(spec.value)
    return False


def _decorated_by(node: ast.FunctionDef, name: str) -> bool:
    if len(node.decorator_list) != 1:
        return False
    deco = node.decorator_list[0]
    if isinstance(deco, ast.Call) and not deco.args:
        deco = deco.func
    return (isinstance(deco, ast.Name) and deco.id == name) or (isinstance(deco, ast.Attribute) and deco.attr == name)


def _simple_params(node: ast.FunctionDef) -> tuple[str, ...] | None:
    args = node.args
    if args.posonlyargs or args.vararg or args.kwarg:
        return None
    return tuple(a.arg for a in (*args.args, *args.kwonlyargs))


def _tasks(tree: ast.Module) -> dict[str, tuple[tuple[str, ...], frozenset[str]]]:
    """Module-level ``@task`` functions: name -> (parameters in order, those with a default)."""
    found: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and _decorated_by(node, "task"):
            params = _simple_params(node)
            if params is None:
                continue
            args = node.args
            positional = args.args
            defaulted = {a.arg for a in positional[len(positional) - len(args.defaults):]}
            defaulted |= {a.arg for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None}
            found[node.name] = (params, frozenset(defaulted))
    return found


class _Planner(ast.NodeTransformer):
    """Checks one body against the subset (module docstring) and rewrites its task calls."""

    def __init__(self, tasks: dict[str, tuple[tuple[str, ...], frozenset[str]]], params: tuple[str, ...],
                 scalar_inputs: bool) -> None:
        self.tasks = tasks
        self.params = set(params)
        self.scalar_inputs = scalar_inputs
        self.stored: set[str] = set()
        self.loaded: set[str] = set()
        self.called: set[str] = set()
        self.sites: list[tuple[PlanSite, ast.Call]] = []

    def generic_visit(self, node: ast.AST) -> ast.AST:
        if isinstance(node, ast.stmt) and not isinstance(node, _STATEMENTS):
            raise NotPlannable(f"line {node.lineno}: a {type(node).__name__} statement")
        if isinstance(node, ast.expr) and not isinstance(node, _EXPRESSIONS):
            raise NotPlannable(f"line {node.lineno}: a {type(node).__name__} expression")
        if not isinstance(node, (ast.stmt, ast.expr, ast.keyword, *_CONTEXTS)):
            raise NotPlannable(f"a {type(node).__name__}")
        return super().generic_visit(node)

    def _target(self, target: ast.expr) -> None:
        if isinstance(target, ast.Name):
            self.stored.add(target.id)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for elt in target.elts:
                self._target(elt.value if isinstance(elt, ast.Starred) else elt)
        else:
            raise NotPlannable(f"line {target.lineno}: assignment to a {type(target).__name__}")

    def visit_Assign(self, node: ast.Assign) -> ast.AST:
        for target in node.targets:
            self._target(target)
        node.value = self.visit(node.value)
        return node

    def visit_AnnAssign(self, node: ast.AnnAssign) -> ast.AST:
        if node.value is None or not isinstance(node.target, ast.Name):
            raise NotPlannable(f"line {node.lineno}: an annotation without a value")
        self._target(node.target)
        return ast.copy_location(ast.Assign(targets=[node.target], value=self.visit(node.value)), node)

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST:
        if not self.scalar_inputs:  # `x += y` on a list input would change the caller's value
            raise NotPlannable(f"line {node.lineno}: an in-place update in a body with container inputs")
        if not isinstance(node.target, ast.Name):
            raise NotPlannable(f"line {node.lineno}: an in-place update of a {type(node.target).__name__}")
        self._target(node.target)
        self.loaded.add(node.target.id)
        node.value = self.visit(node.value)
        return node

    def visit_For(self, node: ast.For) -> ast.AST:
        self._target(node.target)
        node.iter = self.visit(node.iter)
        node.body = [self.visit(s) for s in node.body]
        node.orelse = [self.visit(s) for s in node.orelse]
        return node

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if isinstance(node.ctx, ast.Load):
            self.loaded.add(node.id)
        return node

    def _calls_a_task(self, expr: ast.expr) -> bool:
        return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in self.tasks
                   for n in ast.walk(expr))

    def visit_Call(self, node: ast.Call) -> ast.AST:
        func = node.func
        if not isinstance(func, ast.Name):
            raise NotPlannable(f"line {node.lineno}: a call of a {type(func).__name__}")
        self.called.add(func.id)
        if func.id in PURE_BUILTINS and func.id not in self.tasks:
            if node.keywords and func.id not in ("sorted", "max", "min", "sum", "round", "int", "dict", "enumerate"):
                raise NotPlannable(f"line {node.lineno}: {func.id}() with keywords")
            node.args = [self.visit(a) for a in node.args]
            node.keywords = [ast.keyword(arg=k.arg, value=self.visit(k.value)) for k in node.keywords]
            if any(k.arg is None for k in node.keywords):
                raise NotPlannable(f"line {node.lineno}: ** in a call")
            return node
        task = self.tasks.get(func.id)
        if task is None:
            raise NotPlannable(f"line {node.lineno}: a call of {func.id!r}, not a @task of this file or a pure builtin")
        params, defaulted = task
        if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
            raise NotPlannable(f"line {node.lineno}: * or ** in a call of task {func.id!r}")
        given: dict[str, ast.expr] = {}
        if len(node.args) > len(params):
            raise NotPlannable(f"line {node.lineno}: too many arguments for task {func.id!r}")
        for name, arg in zip(params, node.args):
            given[name] = arg
        for k in node.keywords:
            if k.arg not in params or k.arg in given:
                raise NotPlannable(f"line {node.lineno}: keyword {k.arg!r} of task {func.id!r}")
            given[k.arg] = k.value  # type: ignore[index]
        if set(given) != set(params):
            left = ", ".join(p for p in params if p not in given)
            why = "left to its default" if set(params) - set(given) <= defaulted else "missing"
            raise NotPlannable(f"line {node.lineno}: input(s) {left} of task {func.id!r} {why}")
        # The recorder takes the arguments in parameter order; the body evaluates them in source
        # order. Only the order of the task calls inside them is observable (their node ids).
        source = [*params[: len(node.args)], *(k.arg for k in node.keywords if k.arg is not None)]
        calling = [p for p in source if self._calls_a_task(given[p])]
        if calling != [p for p in params if p in calling]:
            raise NotPlannable(f"line {node.lineno}: task calls in the arguments of {func.id!r} out of parameter order")
        site = PlanSite(func.id, params, node.lineno, node.col_offset)
        rewritten = ast.Call(func=ast.Name(id="", ctx=ast.Load()), args=[self.visit(given[p]) for p in params],
                             keywords=[])
        self.sites.append((site, rewritten))
        return ast.copy_location(rewritten, node)


def plan_dynamic(tree: ast.Module, function: str, interface: Interface) -> DynamicPlanCode:
    """The plan of the module-level @dynamic ``function`` of ``tree`` (NotPlannable says why not)."""
    found = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == function]
    if len(found) != 1 or not _decorated_by(found[0], "dynamic"):
        raise NotPlannable(f"{function} is not one module-level function with the one decorator @dynamic")
    node = found[0]
    params = _simple_params(node)
    if params is None or set(params) != {p.name for p in interface.inputs} or len(params) != len(interface.inputs):
        raise NotPlannable(f"{function}: parameters other than its interface's plain inputs")
    if interface.output_form != "single":
        raise NotPlannable(f"{function}: not one output")
    if not all(_plain_data(p.type) for p in interface.inputs):
        raise NotPlannable(f"{function}: an input that is not plain data")
    scalar_inputs = all(isinstance(p.type, PrimitiveType) for p in interface.inputs)
    body = list(node.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    if not body:
        raise NotPlannable(f"{function}: an empty body")
    planner = _Planner(_tasks(tree), params, scalar_inputs)
    statements = [planner.visit(s) for s in body]
    if not planner.sites:
        raise NotPlannable(f"{function}: no task call")
    shadowed = (planner.stored | planner.params) & planner.called
    if shadowed:
        raise NotPlannable(f"{function}: local(s) {', '.join(sorted(shadowed))} shadow a task or builtin it calls")
    unknown = planner.loaded - planner.stored - planner.params  # a task or builtin read as a value, a global
    if unknown:
        raise NotPlannable(f"{function}: reads {', '.join(sorted(unknown))}, neither a local, an input, "
                           "a @task of this file nor a pure builtin")
    names = NameTable()
    for name in planner.stored | planner.params | planner.loaded | planner.called:
        names.reserve(name)
    for name in ("_typing", "_builtins"):
        if names.taken(name):
            raise NotPlannable(f"{function}: a local named {name}")
        names.reserve(name)
    param = names.new("_recorders")
    recorders: list[str] = []
    for site, call in planner.sites:
        recorder = names.new(f"_{site.task}_at_{site.line}")
        call.func = ast.Name(id=recorder, ctx=ast.Load())
        recorders.append(recorder)
    return DynamicPlanCode(
        recorders_param=param,
        params=params,
        locals=tuple(sorted(planner.stored - planner.params)),
        recorders=tuple(recorders),
        statements=tuple(statements),
        sites=tuple(site for site, _ in planner.sites),
        builtins=tuple(sorted(planner.called & PURE_BUILTINS - set(planner.tasks))),
    )


def plan_function(code: DynamicPlanCode, name: str, any_type: Callable[[], ast.expr], tuple_type: ast.expr,
                  doc: str) -> ast.FunctionDef:
    """``def name(_recorders, <inputs>) -> Any``: the plan's locals declared ``Any`` (a body may
    rebind a name from a list to a task's result), the recorders unpacked, then the body."""
    recorders_type = ast.Subscript(value=tuple_type, slice=ast.Tuple(elts=[any_type(), ast.Constant(value=...)],
                                                                     ctx=ast.Load()), ctx=ast.Load())
    args = [ast.arg(arg=code.recorders_param, annotation=recorders_type),
            *(ast.arg(arg=p, annotation=any_type()) for p in code.params)]
    declared: list[ast.stmt] = [ast.AnnAssign(target=ast.Name(id=n, ctx=ast.Store()), annotation=any_type(),
                                              value=None, simple=1) for n in code.locals]
    unpack = ast.Assign(targets=[ast.Tuple(elts=[ast.Name(id=r, ctx=ast.Store()) for r in code.recorders],
                                           ctx=ast.Store())],
                        value=ast.Name(id=code.recorders_param, ctx=ast.Load()), lineno=0)
    return ast.FunctionDef(
        name=name,
        args=ast.arguments(posonlyargs=[], args=args, vararg=None, kwonlyargs=[], kw_defaults=[], kwarg=None,
                           defaults=[]),
        body=[ast.Expr(value=ast.Constant(value=doc)), *declared, unpack, *code.statements],
        decorator_list=[], returns=any_type(), type_comment=None, lineno=0,
    )
