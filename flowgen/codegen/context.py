"""What the pieces of one generated module share: its module scope and its imports.

Imports are allocated on first use (``import rich_types as _m_rich_types``) and
emitted in the order they were first needed, so the output is deterministic.
"""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass, field

from flowgen.codegen.names import BUILTIN_NAMES, NameTable

__all__ = ["ModuleContext", "SourceInfo", "attr_chain"]


@dataclass(frozen=True)
class SourceInfo:
    """Where a source module is: its file, dotted name and the root its package lives under."""

    path: str  # absolute path of the source file
    module: str  # dotted module name (``pkg.mod``)
    root: str  # absolute directory that is on sys.path for it

    def relative(self, path: str) -> str:
        """``path`` relative to the source root, with ``/`` separators (portable, deterministic)."""
        return os.path.relpath(os.path.abspath(path), self.root).replace(os.sep, "/")


def attr_chain(base: str, *names: str) -> ast.expr:
    expr: ast.expr = ast.Name(id=base, ctx=ast.Load())
    for name in names:
        expr = ast.Attribute(value=expr, attr=name, ctx=ast.Load())
    return expr


@dataclass
class ModuleContext:
    """The module scope of a generated module and the imports it needs."""

    user_names: set[str]  # every user-chosen name that appears in the module
    scope: NameTable = field(default_factory=NameTable)
    imports: dict[str, str] = field(default_factory=dict)  # module -> alias

    def __post_init__(self) -> None:
        for name in self.user_names:
            self.scope.reserve(name)
        self.helper = self.scope.new("_fg")

    def module(self, module: str) -> str:
        """The alias of an imported module (``import a.b as _m_b``; ``import typing as _typing``)."""
        alias = self.imports.get(module)
        if alias is None:
            stdlib = module in ("builtins", "datetime", "sys", "typing")
            alias = self.scope.new(("_" if stdlib else "_m_") + module.rpartition(".")[2])
            self.imports[module] = alias
        return alias

    def builtin(self, name: str) -> ast.expr:
        """A builtin (``int``, ``list``...), through ``builtins`` when a user name shadows it."""
        assert name in BUILTIN_NAMES
        if name in self.user_names:
            return attr_chain(self.module("builtins"), name)
        return ast.Name(id=name, ctx=ast.Load())

    def helper_attr(self, *names: str) -> ast.expr:
        return attr_chain(self.helper, *names)

    def import_statements(self) -> list[ast.stmt]:
        return [ast.Import(names=[ast.alias(name=module, asname=alias)]) for module, alias in self.imports.items()]
