"""The runtime reads top-down: driver (interpreter) -> scheduler -> units -> bindings/boundary, no cycles.

Imports are read with ``ast``, lazy ones inside functions included, so a cycle hidden in a
function body is caught; imports under ``if TYPE_CHECKING:`` are annotations only and skipped.
"""

from __future__ import annotations

import ast
from pathlib import Path

import flowgen.runtime
from tests.import_graph import import_cycles

RUNTIME = Path(flowgen.runtime.__file__).parent
PACKAGE_ROOT = RUNTIME.parent.parent


def _modules(root: Path) -> dict[str, Path]:
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE_ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _type_checking_only(tree: ast.AST) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(inner) for stmt in node.body for inner in ast.walk(stmt))
    return skipped


def _imports(name: str, path: Path, source: str | None = None) -> set[str]:
    tree = ast.parse(source if source is not None else path.read_text())
    skipped = _type_checking_only(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base]) if base else ".".join(anchor)
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)
    return found


def _graph(modules: dict[str, Path], sources: dict[str, str] | None = None) -> dict[str, set[str]]:
    sources = sources or {}
    graph = {name: {i for i in _imports(name, path, sources.get(name)) if i in modules and i != name}
             for name, path in modules.items()}
    # a package's __init__ importing its own submodules is not a cycle of files
    return {name: {d for d in deps if not name.startswith(d + ".")} for name, deps in graph.items()}


def test_no_import_cycle_inside_the_runtime() -> None:
    cycles = import_cycles(_graph(_modules(RUNTIME)))
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_units_and_the_scheduler_do_not_import_the_driver() -> None:
    modules = _modules(RUNTIME)
    graph = _graph(modules)
    assert "flowgen.runtime.interpreter" not in graph["flowgen.runtime.executors.units"]
    assert "flowgen.runtime.interpreter" not in graph["flowgen.runtime.scheduler"]
    assert "flowgen.runtime.bindings" in graph["flowgen.runtime.executors.units"]
    assert not {d for d in graph["flowgen.runtime.bindings"] if d.startswith("flowgen.runtime.")} - {
        "flowgen.runtime.boundary"}


def test_the_cycle_check_sees_a_lazy_import_and_skips_type_checking_ones() -> None:
    """The helpers are not vacuous: the cycle this layout removed is found when planted back."""
    modules = _modules(RUNTIME)
    units = modules["flowgen.runtime.executors.units"]
    planted = units.read_text() + "\n\ndef _late():\n    from flowgen.runtime.interpreter import Interpreter\n"
    cycles = import_cycles(_graph(modules, {"flowgen.runtime.executors.units": planted}))
    assert any("flowgen.runtime.executors.units" in c and "flowgen.runtime.interpreter" in c for c in cycles)
    hidden = units.read_text() + "\n\nif TYPE_CHECKING:\n    from flowgen.runtime.interpreter import Interpreter\n"
    assert not import_cycles(_graph(modules, {"flowgen.runtime.executors.units": hidden}))
