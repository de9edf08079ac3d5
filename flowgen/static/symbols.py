"""Name resolution across the checked project, from summaries alone.

``Project.resolve(module, name)`` answers "what does this name mean at the top
level of this module?" by following imports (absolute and relative, aliases,
``import pkg.mod``, ``from pkg import *``) through the modules of the project.
Anything that lives outside the project (flowgen itself, the standard
library, third-party packages) is an :class:`ExternalRef` naming its
canonical qualified name: ``from flowgen.dsl.decorators import task as t``
and ``import flowgen as fg; fg.task`` both resolve to ``flowgen.task``.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from dataclasses import dataclass

import libcst as cst

from flowgen.static.loader import ModuleFinder, ParsedModule, load_module, root_of
from flowgen.static.summary import (
    ClassInfo,
    ConstantInfo,
    FunctionInfo,
    ImportInfo,
    ModuleSummary,
)

__all__ = [
    "ClassRef",
    "ConstantRef",
    "ExternalRef",
    "FunctionRef",
    "ModuleRef",
    "Project",
    "Ref",
    "UnresolvedRef",
    "canonical",
]

# Names of flowgen's public DSL, wherever they are imported from inside the package.
DSL_NAMES = frozenset({
    "task", "workflow", "dynamic", "map_task", "conditional", "Cache", "Promise", "Resources",
    "LaunchPlan", "Echo", "FlyteFile", "kwtypes",
})

_ALIASES = {
    "typing_extensions": "typing",
    "collections.abc": "typing",
    "pydantic.main": "pydantic",
}


def canonical(qualname: str) -> str:
    """One spelling per external object (``flowgen.dsl.decorators.task`` -> ``flowgen.task``)."""
    module, _, name = qualname.rpartition(".")
    if qualname.startswith("flowgen.") and name in DSL_NAMES:
        return f"flowgen.{name}"
    if module in _ALIASES:
        return f"{_ALIASES[module]}.{name}"
    return qualname


@dataclass(frozen=True)
class FunctionRef:
    module: str
    info: FunctionInfo

    @property
    def qualname(self) -> str:
        return self.info.name


@dataclass(frozen=True)
class ClassRef:
    module: str
    info: ClassInfo

    @property
    def ref(self) -> str:
        return f"{self.module}:{self.info.name}"


@dataclass(frozen=True)
class ConstantRef:
    module: str
    name: str
    info: ConstantInfo


@dataclass(frozen=True)
class ModuleRef:
    name: str
    in_project: bool


@dataclass(frozen=True)
class ExternalRef:
    qualname: str


@dataclass(frozen=True)
class UnresolvedRef:
    name: str


Ref = FunctionRef | ClassRef | ConstantRef | ModuleRef | ExternalRef | UnresolvedRef

_BUILTINS = frozenset(dir(builtins))


class Project:
    """Summaries of the checked modules, plus modules found under the roots on demand."""

    def __init__(self, summaries: Iterable[ModuleSummary] = (), finder: ModuleFinder | None = None) -> None:
        self.summaries: dict[str, ModuleSummary] = {}
        self.parsed: dict[str, ParsedModule] = {}
        self.finder = finder or ModuleFinder(())
        self._missing: set[str] = set()
        for s in summaries:
            self.add(s)

    def add(self, summary: ModuleSummary) -> None:
        self.summaries[summary.name] = summary
        self.finder.add_root(root_of(summary.path, summary.name))

    def add_parsed(self, parsed: ParsedModule) -> None:
        self.parsed[parsed.name] = parsed
        self.add(parsed.summary)

    def module(self, name: str) -> ModuleSummary | None:
        if name == "flowgen" or name.startswith("flowgen."):
            return None  # the DSL is known by name, even when flowgen's own source is being checked
        summary = self.summaries.get(name)
        if summary is not None or name in self._missing:
            return summary
        path = self.finder.find(name)
        if path is not None:
            parsed, _ = load_module(path)
            if parsed is not None:
                self.parsed[parsed.name] = parsed
                self.summaries[parsed.name] = parsed.summary
                return parsed.summary
        self._missing.add(name)
        return None

    def parsed_module(self, name: str) -> ParsedModule | None:
        """The parsed module (parsed here on demand when only its summary was shared)."""
        if name not in self.parsed:
            summary = self.module(name)
            if summary is not None and name not in self.parsed:
                parsed, _ = load_module(summary.path)
                if parsed is not None:
                    self.parsed[name] = parsed
        return self.parsed.get(name)

    # -- resolution ---------------------------------------------------------------------------
    def resolve(self, module: str, name: str, _depth: int = 0) -> Ref:
        """What ``name`` is bound to at the top level of ``module``."""
        if _depth > 50:
            return UnresolvedRef(name)
        summary = self.module(module)
        if summary is None:
            return ExternalRef(canonical(f"{module}.{name}"))
        symbol = summary.names.get(name)
        if symbol is None:
            for star in summary.star_imports:
                ref = self.resolve(star, name, _depth + 1)
                if not isinstance(ref, UnresolvedRef):
                    return ref
            if name in _BUILTINS:
                return ExternalRef(f"builtins.{name}")
            return UnresolvedRef(name)
        if isinstance(symbol, FunctionInfo):
            return FunctionRef(module, symbol)
        if isinstance(symbol, ClassInfo):
            return ClassRef(module, symbol)
        if isinstance(symbol, ConstantInfo):
            return ConstantRef(module, name, symbol)
        return self._follow(symbol, _depth)

    def _follow(self, imp: ImportInfo, depth: int) -> Ref:
        if imp.name is None:
            return self.module_ref(imp.module)
        source = self.module(imp.module)
        if source is None:
            submodule = f"{imp.module}.{imp.name}"
            if self.module(submodule) is not None:
                return ModuleRef(submodule, True)
            return ExternalRef(canonical(submodule))
        if imp.name in source.names or source.star_imports:
            ref = self.resolve(imp.module, imp.name, depth + 1)
            if not isinstance(ref, UnresolvedRef):
                return ref
        submodule = f"{imp.module}.{imp.name}"
        if self.module(submodule) is not None:
            return ModuleRef(submodule, True)
        return UnresolvedRef(imp.name)

    def module_ref(self, name: str) -> ModuleRef:
        return ModuleRef(name, self.module(name) is not None)

    def attribute(self, ref: Ref, attr: str) -> Ref:
        """``ref.attr`` where ``ref`` is a module (other attributes are values, not symbols)."""
        if isinstance(ref, ModuleRef):
            if ref.in_project:
                resolved = self.resolve(ref.name, attr)
                if isinstance(resolved, UnresolvedRef):
                    sub = f"{ref.name}.{attr}"
                    if self.module(sub) is not None:
                        return ModuleRef(sub, True)
                return resolved
            sub = f"{ref.name}.{attr}"
            if self.module(sub) is not None:
                return ModuleRef(sub, True)
            return ExternalRef(canonical(sub))
        if isinstance(ref, ExternalRef):
            return ExternalRef(canonical(f"{ref.qualname}.{attr}"))
        return UnresolvedRef(attr)

    def resolve_expr(self, module: str, expr: cst.BaseExpression) -> Ref:
        """A Name or Attribute chain as a symbol (``fg.task``, ``typing.List``, ``models.Point``)."""
        if isinstance(expr, cst.Name):
            return self.resolve(module, expr.value)
        if isinstance(expr, cst.Attribute):
            return self.attribute(self.resolve_expr(module, expr.value), expr.attr.value)
        return UnresolvedRef(type(expr).__name__)
