"""A Promise passed to a plain helper function of the project, checked against the helper's annotations.

The static compiler never follows a call into a plain Python function (it would have
to run it), so such a call leaves the static subset (FG401) and ``build`` defers the
workflow to run-time tracing. Before that, the arguments are held against the
helper's signature, as mypy does:

- a Promise given to a parameter annotated with a value type (``x: int``,
  ``rows: list[Row]``, a dataclass, ...) is FG107 naming the helper and the
  parameter: the helper is written for a value, and while the workflow is compiled
  a Promise has none (mypy reports the same call as an argument type error);
- a Promise given to a parameter annotated ``Promise[T]`` whose ``T`` the Promise
  cannot be wired to is FG201 naming the helper;
- a parameter without annotation, or annotated ``Any``, ``object``, a TypeVar, a
  Protocol or another class outside the type language says nothing: the call stays
  FG401.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from flowgen.ir.compat import is_assignable
from flowgen.ir.types import OpaqueType, TypeSpec, render_type
from flowgen.static.annotations import TypeResolver, UnsupportedType
from flowgen.static.checks import PROMISE_VALUE_NEEDED, TYPE_MISMATCH
from flowgen.static.summary import ParamInfo
from flowgen.static.symbols import ExternalRef, FunctionRef, Project
from flowgen.static.type_text import render_pair
from flowgen.static.values import ConditionValue, Misuse, PromiseValue

__all__ = ["helper_misuse"]

_PROMISE_MODULES = ("flowgen", "flytekit")


def _bound(params: tuple[ParamInfo, ...], args: tuple[Any, ...], kwargs: dict[str, Any],
           arg_nodes: dict[Any, cst.CSTNode], node: cst.Call) -> list[tuple[ParamInfo, Any, cst.CSTNode]]:
    """(parameter, value, argument node) for each argument that binds by Python's rules; the rest is skipped."""
    positional = [p for p in params if p.kind == "positional"]
    by_name = {p.name: p for p in params if p.kind in ("positional", "keyword")}
    out = [(p, a, arg_nodes.get(i, node)) for i, (p, a) in enumerate(zip(positional, args))]
    out += [(by_name[k], v, arg_nodes.get(k, node)) for k, v in kwargs.items() if k in by_name]
    return out


def _is_promise_annotation(project: Project, module: str, expr: cst.BaseExpression) -> bool:
    ref = project.resolve_expr(module, expr)
    if not isinstance(ref, ExternalRef):
        return False
    head, _, last = ref.qualname.rpartition(".")
    return last == "Promise" and head.partition(".")[0] in _PROMISE_MODULES


def _declared(types: TypeResolver, module: str, annotation: cst.BaseExpression) -> tuple[str, TypeSpec | None] | None:
    """("promise", T or None) for ``Promise[T]``/``Promise``, ("value", T) for a value type, None when unknown."""
    if isinstance(annotation, cst.SimpleString) and isinstance(annotation.evaluated_value, str):
        try:
            annotation = cst.parse_expression(annotation.evaluated_value.strip())
        except cst.ParserSyntaxError:
            return None
    if isinstance(annotation, cst.Subscript) and _is_promise_annotation(types.project, module, annotation.value):
        element = annotation.slice[0].slice if len(annotation.slice) == 1 else None
        if not isinstance(element, cst.Index):
            return "promise", None
        try:
            return "promise", types.spec(element.value, module)
        except (UnsupportedType, RecursionError):
            return "promise", None
    if isinstance(annotation, (cst.Name, cst.Attribute)) and _is_promise_annotation(types.project, module, annotation):
        return "promise", None
    try:
        spec = types.spec(annotation, module)
    except (UnsupportedType, RecursionError):
        return None
    if isinstance(spec, OpaqueType):  # Any, or a class outside the type language: it may take a Promise
        return None
    return "value", spec


def helper_misuse(types: TypeResolver, func: FunctionRef, args: tuple[Any, ...], kwargs: dict[str, Any],
                  node: cst.Call, arg_nodes: dict[Any, cst.CSTNode]) -> Misuse | None:
    """The first Promise argument the helper's annotations refuse, as a located finding (None if none)."""
    name = func.info.name
    for param, value, arg_node in _bound(func.info.params, args, kwargs, arg_nodes, node):
        if not isinstance(value, (PromiseValue, ConditionValue)) or param.annotation is None:
            continue
        declared = _declared(types, func.module, param.annotation)
        if declared is None:
            continue
        kind, spec = declared
        what = value.describe() if isinstance(value, PromiseValue) else "a comparison of Promises"
        if kind == "value" and spec is not None:
            return Misuse(PROMISE_VALUE_NEEDED,
                          f"helper {name}() takes {param.name}: {render_type(spec)}, a value, but is given a "
                          f"Promise: {what}; a Promise has no value while the workflow is compiled",
                          f"pass it to a task instead, annotate {param.name} as Promise[...] if {name}() only "
                          "wires it into tasks, or make this a @dynamic", arg_node)
        if kind == "promise" and spec is not None and isinstance(value, PromiseValue) \
                and not is_assignable(value.type, spec):
            expected, actual = render_pair(spec, value.type)
            return Misuse(TYPE_MISMATCH,
                          f"helper {name}() takes {param.name}: Promise[{expected}], but {value.origin} is {actual}",
                          None, arg_node)
    return None
