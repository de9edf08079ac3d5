"""For every workflow in examples/ (and the package fixtures): static IR == traced IR.

Every example is inside the static subset (Echo and launch plans included), and
``compile_file`` compiles each file's workflows to the same Programs.
"""

from __future__ import annotations

import glob
import importlib
import os
import sys

import pytest

from flowgen.dsl.entities import Workflow
from flowgen.static import compile_file, compile_static

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "tests", "static", "fixtures")


def _workflows() -> list[tuple[str, str, str]]:
    """(path, module, name) of every @workflow in examples/, found statically."""
    from flowgen.static.compiler import ProgramCompiler
    from flowgen.static.loader import load_module
    from flowgen.static.modules import module_functions
    from flowgen.static.symbols import FunctionRef, Project

    found = []
    for path in sorted(glob.glob(os.path.join(ROOT, "examples", "*.py"))):
        parsed, _ = load_module(path)
        assert parsed is not None, path
        project = Project()
        project.add_parsed(parsed)
        specs = ProgramCompiler(project).specs
        for info in module_functions(parsed):
            entity = specs.entity(FunctionRef(parsed.name, info))
            if entity is not None and entity.kind == "workflow":
                found.append((path, parsed.name, info.name))
    return found


def _traced(module_name: str, attr: str, directory: str) -> object:
    """The traced Program of ``module_name.attr``, imported from ``directory``.

    A module already imported from ``directory`` is reused (importing an example twice
    would create its launch plans twice). Fixture packages have common names (``pkg``):
    another test's ``pkg`` must not be found instead, and ours is forgotten afterwards.
    """
    loaded = sys.modules.get(module_name)
    if loaded is not None and os.path.dirname(getattr(loaded, "__file__", "") or "").startswith(directory):
        obj = getattr(loaded, attr)
        return obj.compile_program() if isinstance(obj, Workflow) else None
    top = module_name.split(".")[0]

    def family() -> list[str]:
        return [k for k in sys.modules if k == top or k.startswith(top + ".")]

    saved_path, saved = list(sys.path), {k: sys.modules.pop(k) for k in family()}
    sys.path.insert(0, directory)
    try:
        obj = getattr(importlib.import_module(module_name), attr)
        return obj.compile_program() if isinstance(obj, Workflow) else None
    finally:
        sys.path[:] = saved_path
        if directory == FIXTURES:
            for key in family():
                del sys.modules[key]
        sys.modules.update(saved)


CASES = [pytest.param(p, m, n, id=f"{m}.{n}") for p, m, n in _workflows()]


@pytest.mark.parametrize(("path", "module", "name"), CASES)
def test_example_static_ir_equals_traced(path: str, module: str, name: str) -> None:
    traced = _traced(module, name, os.path.dirname(path))
    assert traced is not None
    static = compile_static(path, name)
    assert static.model_dump(mode="json") == traced.model_dump(mode="json")  # type: ignore[attr-defined]
    assert static == traced


@pytest.mark.parametrize(("path", "module", "name"), [
    (os.path.join(FIXTURES, "pkg", "flows.py"), "pkg.flows", "flow"),
    (os.path.join(FIXTURES, "aliases.py"), "aliases", "wf"),
])
def test_fixture_static_ir_equals_traced(path: str, module: str, name: str) -> None:
    traced = _traced(module, name, FIXTURES)
    static = compile_static(path, name).model_dump(mode="json")
    expected = traced.model_dump(mode="json")  # type: ignore[attr-defined]
    if module == "aliases":
        # The one known difference: for a task decorated through a functools.wraps wrapper the
        # tracer records the *wrapper's* first line (in the decorator), the static front end
        # the decorated function's own first decorator line.
        assert static["tasks"]["aliases.double"].pop("source")["line"] == 18
        expected["tasks"]["aliases.double"].pop("source")
    assert static == expected


def test_examples_cover_the_static_subset() -> None:
    assert len(CASES) >= 12
    assert {"conditionals.classify", "launch_plans.loud_greeting"} <= {f"{m}.{n}" for _, m, n in _workflows()}


@pytest.mark.parametrize("path", sorted({p for p, _, _ in _workflows()}), ids=os.path.basename)
def test_compile_file_compiles_every_workflow_of_an_example(path: str) -> None:
    result = compile_file(path)
    names = [n for p, _, n in _workflows() if p == path]
    assert result.ok and not result.diagnostics
    assert list(result.programs) == sorted(names)
    for name, program in result.programs.items():
        assert program == compile_static(path, name)
