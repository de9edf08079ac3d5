"""The core packages' layout: no import cycle among the IR, the DSL, the data plane, the error
classes and Flyte's type paths (imports inside functions included, as the runtime's and the static
front end's layout tests read them)."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.import_graph import import_cycles

ROOT = Path(__file__).resolve().parents[2] / "flowgen"
PACKAGES = ("ir", "dsl", "data", "types")


def _modules() -> dict[str, Path]:
    found = {"flowgen.errors": ROOT / "errors.py", "flowgen.paths": ROOT / "paths.py"}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT.parent).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)
    return {m for m in found if m in known and m != name}


def test_no_import_cycle_in_the_core_packages() -> None:
    modules = _modules()
    graph = {name: _imports(name, path, set(modules)) for name, path in modules.items()}
    assert not import_cycles(graph)


def test_the_cycle_finder_sees_a_planted_cycle() -> None:
    assert import_cycles({"a": {"b"}, "b": {"a"}}) == [["a", "b", "a"]]
