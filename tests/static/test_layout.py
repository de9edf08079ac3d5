"""The static front end's layout: small modules, no cycles, no dependency on other front or back ends.

Imports are read with ``ast`` (also those inside functions), so a lazy import
that hides a cycle or a dependency on the tracer is caught too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import flowgen.static
from tests.import_graph import import_cycles, imported_names

STATIC = Path(flowgen.static.__file__).parent
MAX_LINES = 600


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(STATIC.rglob("*.py")):
        rel = path.relative_to(STATIC.parent.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path) -> set[str]:
    return imported_names(name, path)


def test_every_static_module_is_small() -> None:
    too_long = {name: n for name, path in _modules().items() if (n := len(path.read_text().splitlines())) >= MAX_LINES}
    assert not too_long, f"modules of {MAX_LINES}+ lines: {too_long}"


def test_every_static_module_says_what_it_holds() -> None:
    missing = [name for name, path in _modules().items()
               if not ast.get_docstring(ast.parse(path.read_text())) and not name.rsplit(".", 1)[-1].startswith("fg")]
    assert not missing


def test_static_front_end_depends_only_on_ir() -> None:
    forbidden = ("flowgen.tracing", "flowgen.runtime", "flowgen.codegen", "flowgen.dsl", "flowgen.cli")
    bad = {name: sorted(i for i in _imports(name, path) if i.startswith(forbidden))
           for name, path in _modules().items()}
    assert not {k: v for k, v in bad.items() if v}


def test_no_import_cycle_inside_static() -> None:
    modules = _modules()
    graph = {name: {i for i in _imports(name, path) if i in modules and i != name} for name, path in modules.items()}
    # a package's __init__ importing its own submodules is not a cycle of files
    for name in graph:
        graph[name] = {d for d in graph[name] if not name.startswith(d + ".")}
    cycles = import_cycles(graph)
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_layout_checks_see_a_cycle_and_a_tracer_import(tmp_path: Path) -> None:
    """The helpers above are not vacuous: they find a planted cycle and a lazy tracer import."""
    (tmp_path / "a.py").write_text("def f():\n    from flowgen.tracing.builder import comparable\n")
    assert "flowgen.tracing.builder" in _imports("flowgen.static.a", tmp_path / "a.py")
    (tmp_path / "b.py").write_text("from flowgen.static.engine import x\n")
    assert "flowgen.static.engine" in _imports("flowgen.static.b", tmp_path / "b.py")
