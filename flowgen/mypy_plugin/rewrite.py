"""Parse-time rewrite: how a @workflow body comes to see ``Promise[T]`` inputs.

mypy checks a function body with the parameter and return types of its own
signature, and offers plugins no hook between analysing a signature and checking
the body. But what a @workflow body sees differs from what its callers see:

==================  ==============================  ==============================
in the signature    callers see (``Workflow[P, R]``)  the body sees
==================  ==============================  ==============================
``x: T``            ``x: T``                        ``Promise[T]`` (@workflow only)
``x: T = v``        a default ``v``                 the same, ``v`` checked against T
``-> R``            ``R``                           ``R``, ``Promise[R]``, or a tuple
                                                    of either per item (@workflow and
                                                    @dynamic: they return Promises)
==================  ==============================  ==============================

So, once per freshly parsed module (``get_additional_deps`` is the one hook that
sees the tree before semantic analysis), every function decorated with something
*named* ``workflow`` or ``dynamic`` (or an alias imported from flowgen) gets its
annotations wrapped in marker types ``_flowgen_workflow_input_[T, <decorator>]`` and
``_flowgen_body_result_[R, <decorator>]``, and the module gets a private import
binding those markers. Semantic analysis then calls the plugin's type-analyze hook
(markers.py) for each marker, which resolves ``<decorator>``: only flowgen's own
``workflow``/``dynamic`` produce Promise types, anything else gets ``T`` back
unchanged. The decorator hook (entities.py) unwraps the markers again, so callers
see the declared signature.

Variables of a body re-bound from a value to a task's result are declared as either
(rebind.py); misuses no mypy hook sees (``if p:``, ``p is None``, ``"%s" % p``, ``3 == p``)
get a probe call before their statement (probes.py).

A default ``v`` of a wrapped input becomes ``cast(<marker>, v)`` (mypy would check
``v`` against ``Promise[T]``); the decorator hook checks ``v`` against ``T`` instead.

Incremental mode: an unchanged module is not reanalysed at all (its cache entry holds
the analysed signatures, markers resolved), so modules that may define workflows (text
test: :func:`may_define_workflows`) reuse the cache like any other; their cache entry
carries :data:`VERSION` (``report_config_data``), so entries of an older rewrite are
not reused. But a module whose own source is unchanged and whose dependencies changed
is reparsed *without* ``get_additional_deps``, and must still be rewritten. The plugin
remembers every such candidate that has a cache entry (``report_config_data`` while
mypy validates the entry) and forgets it once ``get_additional_deps`` rewrote it; if a
remembered module is analysed anyway, the type-analyze hook (which mypy asks about
every type, and which sees the module being analysed) rewrites the tree at the first
type of that module and reports an incomplete reference: mypy then does not store the
signature it was analysing and analyses the module's top level again, now marked
(``FlowgenPlugin._rewrite_late``). Every other type is analysed the default way. The
daemon (dmypy) does the same when it reparses a module it loaded from the cache, and
keeps rewritten trees otherwise.

Limits: the rewrite needs the whole tree at parse time, which mypy's parallel mode
(``--num-workers``) does not give; there, workflow inputs are seen as plain ``T``.
"""

from __future__ import annotations

import re

from mypy.nodes import (
    ARG_STAR,
    ARG_STAR2,
    CallExpr,
    CastExpr,
    Decorator,
    Expression,
    FuncDef,
    Import,
    ImportFrom,
    MemberExpr,
    MypyFile,
    NameExpr,
)
from mypy.types import AnyType, CallableType, NoneType, Type, TypeOfAny, UnboundType

import flowgen.mypy_plugin.names as names
from flowgen.mypy_plugin.probes import add_probes
from flowgen.mypy_plugin.rebind import widen_rebound_names
from flowgen.mypy_plugin.walk import decorators

# Part of every cache entry of a module that may define workflows: change it whenever
# the rewrite changes, so that no cache entry made by an older rewrite is reused.
VERSION = "5"

_KINDS = ("workflow", "dynamic")
_DECORATOR_TEXT = re.compile(rb"@[ \t]*[\w.]*\b(workflow|dynamic)\b")


def may_define_workflows(path: str) -> bool:
    """A cheap look at a module's source: does a decorator mention workflow or dynamic?"""
    if not path.endswith(".py"):
        return False  # stubs define no workflow bodies
    try:
        with open(path, "rb") as source:
            return _DECORATOR_TEXT.search(source.read()) is not None
    except OSError:
        return False


def mentions(path: str, text: re.Pattern[bytes]) -> bool:
    """Does the source file at ``path`` contain ``text`` (a cheap look before a costly walk)?"""
    try:
        with open(path, "rb") as source:
            return text.search(source.read()) is not None
    except OSError:
        return False


def rewrite_module(tree: MypyFile) -> bool:
    """Wrap the annotations of candidate workflows and dynamics; True if any was found."""
    if any(isinstance(d, ImportFrom) and d.id == names.MARKER_MODULE and _is_marker_import(d) for d in tree.defs):
        return False  # already rewritten (a reused tree)
    aliases = _flowgen_aliases(tree)
    first_line = 0
    for decorator in decorators(tree.defs):
        spelled = _candidate(decorator, aliases)
        if spelled is None or not isinstance(decorator.func.type, CallableType):
            continue
        _wrap_signature(decorator.func, spelled)
        widen_rebound_names(decorator.func)
        add_probes(decorator.func)
        first_line = first_line or decorator.line
    if not first_line:
        return False
    marker_import = ImportFrom(
        names.MARKER_MODULE,
        0,
        [
            (names.MARKER_INPUT.rsplit(".", 1)[1], names.ALIAS_INPUT),
            (names.MARKER_RESULT.rsplit(".", 1)[1], names.ALIAS_RESULT),
            (names.MARKER_REBINDABLE.rsplit(".", 1)[1], names.ALIAS_REBINDABLE),
            (names.MARKER_PROBE.rsplit(".", 1)[1], names.ALIAS_PROBE),
        ],
    )
    marker_import.set_line(first_line)
    marker_import.is_top_level = True
    tree.defs.insert(0, marker_import)
    tree.imports.append(marker_import)
    return True


def _is_marker_import(node: ImportFrom) -> bool:
    return any(alias == names.ALIAS_INPUT for _, alias in node.names)


def _flowgen_aliases(tree: MypyFile) -> dict[str, str]:
    """Local spellings of flowgen's decorators: ``{"wf": "workflow", "fg.workflow": "workflow"}``."""
    aliases: dict[str, str] = {kind: kind for kind in _KINDS}
    for imp in tree.imports:
        if isinstance(imp, ImportFrom) and imp.relative == 0 and imp.id.split(".")[0] == "flowgen":
            for name, alias in imp.names:
                if name in _KINDS:
                    aliases[alias or name] = name
        elif isinstance(imp, Import):
            for module, alias in imp.ids:
                if module.split(".")[0] == "flowgen":
                    for kind in _KINDS:
                        aliases[f"{alias or module}.{kind}"] = kind
    return aliases




def _dotted(expr: Expression) -> str | None:
    if isinstance(expr, NameExpr):
        return expr.name
    if isinstance(expr, MemberExpr):
        base = _dotted(expr.expr)
        return f"{base}.{expr.name}" if base else None
    return None


def _candidate(decorator: Decorator, aliases: dict[str, str]) -> str | None:
    """The decorator expression's dotted spelling, if it may be flowgen's workflow/dynamic."""
    for expr in decorator.decorators:
        target = expr.callee if isinstance(expr, CallExpr) else expr
        spelled = _dotted(target)
        if spelled is None:
            continue
        if spelled in aliases or spelled.rsplit(".", 1)[-1] in _KINDS:
            return spelled
    return None


def _marker(alias: str, inner: Type, spelled: str) -> UnboundType:
    return UnboundType(alias, [inner, UnboundType(spelled)], line=inner.line, column=inner.column)


def _is_marker(typ: Type) -> bool:
    return isinstance(typ, UnboundType) and typ.name in (names.ALIAS_INPUT, names.ALIAS_RESULT)


def _is_none(typ: Type) -> bool:
    """``-> None`` as parsed (before semantic analysis it is an unbound name)."""
    return isinstance(typ, NoneType) or (isinstance(typ, UnboundType) and typ.name in ("None", "builtins.None"))


def _wrap_signature(func: FuncDef, spelled: str) -> None:
    typ = func.type
    assert isinstance(typ, CallableType)
    if any(_is_marker(t) for t in typ.arg_types) or _is_marker(typ.ret_type):
        return
    arg_types = list(typ.arg_types)
    for i, (arg_type, kind) in enumerate(zip(arg_types, typ.arg_kinds)):
        if kind in (ARG_STAR, ARG_STAR2) or i >= len(func.arguments):
            continue
        wrapped = _marker(names.ALIAS_INPUT, arg_type, spelled)
        arg_types[i] = wrapped
        argument = func.arguments[i]
        argument.type_annotation = wrapped
        if argument.initializer is not None:
            cast = CastExpr(argument.initializer, _marker(names.ALIAS_INPUT, arg_type, spelled))
            cast.set_line(argument.initializer)
            argument.initializer = cast
    ret_type: Type = typ.ret_type
    # No return annotation: no outputs, as in Flyte (the decorator hook says None to callers); the
    # body's return stays unchecked here (a marker would make mypy ask for a return statement).
    # ``-> None`` is no outputs too, and stays as written: the body returns nothing, and a marker
    # would make mypy ask for a return statement all the same.
    if not (isinstance(ret_type, AnyType) and ret_type.type_of_any == TypeOfAny.unannotated) \
            and not _is_none(ret_type):
        ret_type = _marker(names.ALIAS_RESULT, ret_type, spelled)
    new_type = typ.copy_modified(arg_types=arg_types, ret_type=ret_type)
    func.type = new_type
    func.unanalyzed_type = new_type


def original_default(expr: Expression | None) -> Expression | None:
    """The user's default value behind the cast the rewrite put around it.

    After semantic analysis the cast's type is no longer a marker; a ``cast()`` a user
    wrote as the default of a workflow input would be taken for ours, which is harmless:
    its operand is then checked against the input's type.
    """
    return expr.expr if isinstance(expr, CastExpr) else expr
