"""What to generate for one source module: :class:`ModulePlan` (and its deferred workflows)."""

from __future__ import annotations

from dataclasses import dataclass

from flowgen.codegen.context import SourceInfo
from flowgen.ir.model import Interface

__all__ = ["DeferredWorkflow", "ModulePlan"]


@dataclass(frozen=True)
class DeferredWorkflow:
    """A workflow of the source module outside the static subset: built as a run-time compile hook."""

    name: str
    function: str  # "module:qualname"
    interface: Interface
    reason: str  # the FG401 finding, as one line


@dataclass(frozen=True)
class ModulePlan:
    """What to generate: the source module and the names of its workflows (public functions)."""

    source: SourceInfo
    public: tuple[str, ...]  # workflow names (keys of program.workflows) defined in the source module
    root_from_output: str  # the source root relative to the generated module's directory
    hashes: dict[str, str]  # source file (relative to the root) -> sha256
    deferred: tuple[DeferredWorkflow, ...] = ()  # workflows traced at run time (see flowgen.runtime.deferred)
    output: str | None = None  # where the module is written: its project's ruff configuration formats it
