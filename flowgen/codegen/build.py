"""The build driver behind ``flowgen build``: source files in, generated modules out.

=====================  ==================================================================
decision               rule
=====================  ==================================================================
what is built          every ``.py`` file under the given paths that defines a workflow;
                       directories recurse (hidden directories, ``__pycache__`` and the
                       output directory are skipped)
where it goes          ``OUT/<package path>/<module>_flowgen.py``: the module's dotted name
                       becomes the path (package paths preserved); the ``_flowgen`` suffix
                       keeps the generated module from shadowing its source on sys.path
how IR is obtained     a :data:`ProgramLoader`: ``path -> [Program]`` (one per workflow of
                       the file) or a :class:`SourceIR` that also lists workflows to defer;
                       the CLI supplies it (the static front end: nothing is imported)
deferred workflows     a workflow outside the static subset becomes a run-time compile
                       hook (:mod:`flowgen.runtime.deferred`): its public function traces it
                       when the generated module runs; ``BuildResult.deferred`` says why
staleness              ``--check`` regenerates in memory and compares with the file on
                       disk: missing or different is stale (this covers source edits,
                       generator upgrades and flowgen version changes alike)
=====================  ==================================================================
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from flowgen.codegen.context import SourceInfo
from flowgen.codegen.emit import DeferredWorkflow, ModulePlan, generate_source
from flowgen.codegen.header import docstring, header_lines, source_hashes
from flowgen.ir.model import ConditionalNode, Node, Program, TaskSpec, WorkflowSpec
from flowgen.ir.refs import module_name_for_path
from flowgen.source_files import excluded

__all__ = ["BuildResult", "DeferredWorkflow", "ProgramLoader", "SourceIR", "build", "find_sources",
           "generate_for_source", "output_path", "source_info"]


@dataclass(frozen=True)
class SourceIR:
    """What a front end gives for one source file: compiled Programs and workflows to defer to run time."""

    programs: list[Program]
    deferred: tuple[DeferredWorkflow, ...] = ()


ProgramLoader = Callable[[str], "list[Program] | SourceIR"]
GENERATED_SUFFIX = "_flowgen"


@dataclass(frozen=True)
class BuildResult:
    source: str
    output: str
    status: Literal["written", "unchanged", "stale", "missing"]
    deferred: tuple[DeferredWorkflow, ...] = field(default=())


def source_info(path: str) -> SourceInfo:
    path = os.path.abspath(path)
    directory = os.path.dirname(path)
    while os.path.isfile(os.path.join(directory, "__init__.py")):
        directory = os.path.dirname(directory)
    return SourceInfo(path=path, module=module_name_for_path(path), root=directory)


def output_path(info: SourceInfo, out_dir: str) -> str:
    parts = info.module.split(".")
    return os.path.join(os.path.abspath(out_dir), *parts[:-1], parts[-1] + GENERATED_SUFFIX + ".py")


def find_sources(paths: Iterable[str], exclude: Iterable[str] = ()) -> list[str]:
    """The ``.py`` files named or under the directories named, sorted, without what ``exclude`` matches.

    ``exclude`` holds ``--exclude`` globs (:mod:`flowgen.source_files`, the syntax of ``flowgen check``)
    and directories (the output directory), skipped by path.
    """
    patterns = list(exclude)
    skip = {os.path.abspath(e) for e in exclude}
    found: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            for directory, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__"
                                 and os.path.abspath(os.path.join(directory, d)) not in skip
                                 and not excluded(os.path.join(directory, d), patterns))
                found += [os.path.join(directory, f) for f in sorted(files)
                          if f.endswith(".py") and not excluded(os.path.join(directory, f), patterns)]
        elif not excluded(path, patterns):
            found.append(path)
    return sorted({os.path.abspath(p) for p in found})


def _merge(programs: list[Program]) -> Program:
    workflows: dict[str, WorkflowSpec] = {}
    tasks: dict[str, TaskSpec] = {}
    for p in programs:
        workflows.update(p.workflows)
        tasks.update(p.tasks)
    return Program(entry=programs[0].entry, workflows=workflows, tasks=tasks)


def _files(program: Program) -> list[str]:
    files = [w.source.file for w in program.workflows.values() if w.source]
    files += [t.source.file for t in program.tasks.values() if t.source]

    def sites(nodes: Iterable[Node]) -> Iterable[str]:
        for node in nodes:
            if node.call_site is not None:
                yield node.call_site.file
            if isinstance(node, ConditionalNode):
                for branch in (*(c.branch for c in node.cases), node.else_branch):
                    yield from sites(branch.nodes)

    for wf in program.workflows.values():
        files += sites(wf.nodes)
    return files


def generate_for_source(path: str, out_dir: str, load: ProgramLoader, version: str) -> tuple[str, str] | None:
    """(output path, generated text) for one source file, or None when it defines no workflow."""
    generated = generate_source_ir(path, out_dir, load, version)
    return None if generated is None else generated[:2]


def generate_source_ir(path: str, out_dir: str, load: ProgramLoader,
                       version: str) -> tuple[str, str, tuple[DeferredWorkflow, ...]] | None:
    """(output path, generated text, deferred workflows) for one source file, or None without workflows."""
    loaded = load(path)
    ir = loaded if isinstance(loaded, SourceIR) else SourceIR(list(loaded))
    if not ir.programs and not ir.deferred:
        return None
    info = source_info(path)
    program = _merge(ir.programs) if ir.programs else Program(entry="", workflows={}, tasks={})
    public = tuple(sorted(name for name, wf in program.workflows.items()
                          if wf.function.partition(":")[0] == info.module))
    deferred = tuple(sorted(ir.deferred, key=lambda d: d.name))
    out = output_path(info, out_dir)
    hashes = source_hashes(info, _files(program))
    plan = ModulePlan(
        source=info, public=public,
        root_from_output=os.path.relpath(info.root, os.path.dirname(out)).replace(os.sep, "/"),
        hashes=hashes, deferred=deferred, output=out,
    )
    names = [program.workflows[n].function.rpartition(":")[2] for n in public]
    names += [d.function.rpartition(":")[2] for d in deferred]
    text = generate_source(program, plan, header_lines(version, info, hashes), docstring(version, info, names))
    return out, text, deferred


def build(paths: Iterable[str], out_dir: str, load: ProgramLoader, version: str, *, check: bool = False,
          exclude: Iterable[str] = ()) -> list[BuildResult]:
    """Generate (or with ``check``, compare) the module of every source with workflows."""
    results: list[BuildResult] = []
    for source in find_sources(paths, (out_dir, *exclude)):
        generated = generate_source_ir(source, out_dir, load, version)
        if generated is None:
            continue
        out, text, deferred = generated
        try:
            with open(out, encoding="utf-8", newline="") as f:
                existing: str | None = f.read()
        except FileNotFoundError:
            existing = None
        if existing == text:
            results.append(BuildResult(source, out, "unchanged", deferred))
        elif check:
            results.append(BuildResult(source, out, "missing" if existing is None else "stale", deferred))
        else:
            os.makedirs(os.path.dirname(out), exist_ok=True)
            with open(out, "w", encoding="utf-8", newline="") as f:
                f.write(text)
            results.append(BuildResult(source, out, "written", deferred))
    return results
