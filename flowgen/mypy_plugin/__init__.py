"""flowgen's mypy plugin: Promises where the runtime has Promises.

Enable it with ``plugins = flowgen.mypy_plugin`` (see the README for every setting).
The hooks below only dispatch on fully qualified names; each concern lives in its
own module:

=====================  =======================================================
module                 concern
=====================  =======================================================
rewrite.py             parse time: marks @workflow/@dynamic signatures
rebind.py              parse time: variables re-bound from a value to a Promise
probes.py              parse time: ``if p:``, ``p is None``, ``"%s" % p``, ``3 == p``
markers.py             semantic analysis: the marks become Promise types
entities.py            decorating and calling tasks, workflows, launch plans
conditions.py          Python branching on comparisons of Promises
promise_access.py      ``p.field`` and ``p[key]``
guard.py               no crash: a missing install or a bug is one error
misuse.py              arithmetic, iteration, ``len``, ``str`` ... of a Promise
map_task.py            ``map_task(t)`` and ``functools.partial(t, ...)``
conditional.py         ``conditional(...).then(x)``: the branches' common type
launch_plan.py         fixed and default inputs of a launch plan
echo.py                ``Echo(name, inputs={...})``
data_types.py          formats of files and folders, columns of tables
=====================  =======================================================
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any, cast

from mypy.build import PRI_MED
from mypy.nodes import MypyFile, TypeAlias, TypeInfo
from mypy.options import Options
from mypy.plugin import (
    AnalyzeTypeContext,
    AttributeContext,
    FunctionContext,
    FunctionSigContext,
    MethodContext,
    MethodSigContext,
    Plugin,
    ReportConfigContext,
)
from mypy.semanal import SemanticAnalyzer
from mypy.typeanal import TypeAnalyser
from mypy.types import AnyType, FunctionLike, Type, TypeOfAny

from flowgen.mypy_plugin import (
    conditional,
    conditions,
    data_types,
    echo,
    entities,
    guard,
    launch_plan,
    map_task,
    markers,
    misuse,
    names,
    probes,
    promise_access,
    rebind,
    rewrite,
)

__all__ = ["FlowgenPlugin", "plugin"]


class FlowgenPlugin(Plugin):
    """Dispatches mypy's hooks to the transformer modules (see the module docstring)."""

    def __init__(self, options: Options) -> None:
        super().__init__(options)
        # Facts about classes by name, kept only once the class is known (never a TypeInfo:
        # the daemon replaces those when a module changes).
        self._node_classes: dict[str, bool] = {}
        self._named_tuples: dict[str, bool] = {}
        # Modules with a cache entry that may define workflows, not rewritten yet in this run.
        self._late_rewrites: set[str] = set()
        self._declining = False  # _rewrite_late is analysing a type the default way
        self._hooks: dict[tuple[str, str], Any] = {}  # guarded hooks by kind and name
        guard.reset()

    # -- incremental cache, parse time and semantic analysis ----------------------------------
    def report_config_data(self, ctx: ReportConfigContext) -> object:
        """Tag the cache of modules that may define workflows with the rewrite's version.

        Such a module with a cache entry may still be reparsed without the rewrite (its
        dependencies changed): remember it, for :meth:`_rewrite_late` (see rewrite.py).
        """
        if not rewrite.may_define_workflows(ctx.path):
            return None
        if ctx.is_check:
            self._late_rewrites.add(ctx.id)
        return {"flowgen-rewrite": rewrite.VERSION}

    def get_additional_deps(self, file: MypyFile) -> list[tuple[int, str, int]]:
        self._late_rewrites.discard(file.fullname)
        if rewrite.mentions(file.path, _DATA_TYPE_TEXT):  # not every typeshed module: cold runs stay fast
            data_types.rewrite_module(file, self.options)
        if rewrite.rewrite_module(file):
            return [(PRI_MED, names.MARKER_MODULE, -1)]
        return []

    def get_type_analyze_hook(self, fullname: str) -> Callable[[AnalyzeTypeContext], Type] | None:
        if fullname == names.MARKER_INPUT:
            return markers.analyze_input_marker
        if fullname == names.MARKER_RESULT:
            return markers.analyze_result_marker
        if fullname in (data_types.FILE, data_types.DIRECTORY):
            return lambda ctx: data_types.analyze_formatted(ctx, fullname)
        if fullname == data_types.TABLE:
            return data_types.analyze_table
        if fullname in data_types.ANNOTATED:
            return data_types.analyze_annotated
        if self._late_rewrites and not self._declining and self._is_class_or_alias(fullname):
            return self._rewrite_late_guarded
        return None

    def _rewrite_late(self, ctx: AnalyzeTypeContext) -> Type:
        """The first type analysed in a module reparsed without the rewrite: rewrite it now.

        The rewrite then defers the module's top level (an incomplete reference: the
        signature being analysed is not stored), so every signature is analysed again,
        marked. In any other module, the type is analysed as if there were no hook.
        """
        analyser = cast(TypeAnalyser, ctx.api)
        semanal = analyser.api
        tree = getattr(semanal, "cur_mod_node", None)
        if (
            isinstance(semanal, SemanticAnalyzer)
            and isinstance(tree, MypyFile)
            and tree.fullname in self._late_rewrites
            and not semanal.final_iteration
        ):
            self._late_rewrites.discard(tree.fullname)
            if rewrite.rewrite_module(tree):
                semanal.record_incomplete_ref()
                return AnyType(TypeOfAny.special_form)
        self._declining = True
        try:
            return analyser.visit_unbound_type_nonoptional(ctx.type, False)
        finally:
            self._declining = False

    def _rewrite_late_guarded(self, ctx: AnalyzeTypeContext) -> Type:
        """:meth:`_rewrite_late`, falling back to mypy's own analysis should it fail."""
        try:
            return self._rewrite_late(ctx)
        except Exception:
            if os.environ.get("FLOWGEN_DEBUG"):
                raise
            self._declining = True
            try:
                return cast(TypeAnalyser, ctx.api).visit_unbound_type_nonoptional(ctx.type, False)
            finally:
                self._declining = False

    # -- type checking: every hook runs behind guard.guarded ------------------------------------
    def get_function_signature_hook(self, fullname: str) -> Callable[[FunctionSigContext], FunctionLike] | None:
        return self._guarded("sig", fullname, self._function_signature_hook)

    def get_function_hook(self, fullname: str) -> Callable[[FunctionContext], Type] | None:
        return self._guarded("function", fullname, self._function_hook)

    def get_method_signature_hook(self, fullname: str) -> Callable[[MethodSigContext], FunctionLike] | None:
        return self._guarded("method-sig", fullname, self._method_signature_hook)

    def get_method_hook(self, fullname: str) -> Callable[[MethodContext], Type] | None:
        return self._guarded("method", fullname, self._method_hook)

    def get_attribute_hook(self, fullname: str) -> Callable[[AttributeContext], Type] | None:
        return self._guarded("attribute", fullname, self._attribute_hook)

    def _guarded(self, kind: str, fullname: str, choose: Callable[[str], Any]) -> Any:
        wrapped = self._hooks.get((kind, fullname))
        if wrapped is None:
            hook = choose(fullname)
            if hook is None:
                return None
            wrapped = self._hooks[(kind, fullname)] = guard.guarded(hook)
        return wrapped

    def _function_signature_hook(self, fullname: str) -> Callable[[FunctionSigContext], FunctionLike] | None:
        if fullname == "builtins.len":
            return misuse.len_signature
        if self._class_fact(fullname, self._named_tuples, _is_named_tuple):
            return entities.named_tuple_signature
        return None

    def _function_hook(self, fullname: str) -> Callable[[FunctionContext], Type] | None:
        if fullname in names.DECORATORS:
            return entities.decorated
        value_hook = misuse.value_function_hook(fullname)
        if value_hook is not None:
            return value_hook
        if fullname == names.MAP_TASK:
            return map_task.map_task_call
        if fullname == names.FUNCTOOLS_PARTIAL:
            return map_task.partial_call
        if fullname == names.ECHO:
            return echo.echo_construction
        if fullname == names.MARKER_REBINDABLE:
            return rebind.rebindable_call
        if fullname == names.MARKER_PROBE:
            return probes.probe_call
        return None

    def _method_signature_hook(self, fullname: str) -> Callable[[MethodSigContext], FunctionLike] | None:
        if fullname.endswith(".__call__") and self._is_node_class(fullname.rsplit(".", 1)[0]):
            return entities.node_signature
        return None

    def _method_hook(self, fullname: str) -> Callable[[MethodContext], Type] | None:
        if fullname in names.DECORATOR_FACTORIES:
            return entities.decorated
        owner, _, method = fullname.rpartition(".")
        if owner == names.PROMISE or owner == names.CONDITION:
            if method in conditions.CONDITION_BUILDERS or (owner == names.CONDITION and method in ("__and__", "__or__")):
                return conditions.condition_built
            if owner == names.CONDITION:
                return None
            if method == "__getitem__":
                return promise_access.promise_index
            if method in misuse.PROMISE_DUNDERS:
                return misuse.promise_dunder(method)
            return None
        if fullname in misuse.STRING_METHODS:
            return misuse.string_method(fullname)
        if fullname in misuse.INDEX_METHODS:
            return misuse.index_with_promise
        if fullname in (names.CASE_THEN, names.ELSE_THEN):
            return conditional.then_call
        if fullname in names.LAUNCH_PLAN_CONSTRUCTORS:
            return launch_plan.plan_construction
        if method == "__call__" and self._is_node_class(owner):
            return entities.node_call
        return None

    def _attribute_hook(self, fullname: str) -> Callable[[AttributeContext], Type] | None:
        owner, _, _ = fullname.rpartition(".")
        if owner == names.PROMISE:
            return promise_access.promise_attribute
        if self._class_fact(owner, self._named_tuples, _is_named_tuple):
            return promise_access.named_tuple_output_field
        return None

    # -- helpers ------------------------------------------------------------------------------
    def _class_fact(self, fullname: str, cache: dict[str, bool], fact: Callable[[TypeInfo], bool]) -> bool:
        known = cache.get(fullname)
        if known is not None:
            return known
        try:
            sym = self.lookup_fully_qualified(fullname)
        except (AssertionError, KeyError):  # modules not set up yet
            return False
        if sym is None or not isinstance(sym.node, TypeInfo):
            return False
        cache[fullname] = value = fact(sym.node)
        return value

    def _is_class_or_alias(self, fullname: str) -> bool:
        """Types whose default analysis :meth:`_rewrite_late` can repeat exactly (mypy's
        ``defining_literal`` flag, which the hook does not see, matters only for others)."""
        try:
            sym = self.lookup_fully_qualified(fullname)
        except (AssertionError, KeyError):
            return False
        return sym is not None and isinstance(sym.node, (TypeInfo, TypeAlias))

    def _is_node_class(self, fullname: str) -> bool:
        return fullname in names.CALLABLE_NODES or self._class_fact(fullname, self._node_classes, _is_node)


_DATA_TYPE_TEXT = re.compile(rb"FlyteFile|FlyteDirectory|StructuredDataset|kwtypes")


def _is_node(info: TypeInfo) -> bool:
    return any(info.has_base(base) for base in names.CALLABLE_NODES)


def _is_named_tuple(info: TypeInfo) -> bool:
    return info.tuple_type is not None and info.fullname != "builtins.tuple"


def plugin(version: str) -> type[FlowgenPlugin]:
    """mypy's entry point."""
    return FlowgenPlugin
