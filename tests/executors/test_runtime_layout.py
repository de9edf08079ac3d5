"""The runtime reads top-down: driver (interpreter) -> scheduler -> units -> bindings/boundary, no cycles.

Imports are read with ``ast``, lazy ones inside functions included, so a cycle hidden in a
function body is caught; imports under ``if TYPE_CHECKING:`` are annotations only and skipped.
"""

from __future__ import annotations

from pathlib import Path

import flowgen.runtime
from tests.import_graph import import_cycles, imported_names

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


def _imports(name: str, path: Path, source: str | None = None) -> set[str]:
    return imported_names(name, path, run_time_only=True, source=source)


def _graph(modules: dict[str, Path], sources: dict[str, str] | None = None) -> dict[str, set[str]]:
    sources = sources or {}
    graph = {name: {i for i in _imports(name, path, sources.get(name)) if i in modules and i != name}
             for name, path in modules.items()}
    # a package's __init__ importing its own submodules is not a cycle of files
    return {name: {d for d in deps if not name.startswith(d + ".")} for name, deps in graph.items()}


def test_no_import_cycle_inside_the_runtime() -> None:
    cycles = import_cycles(_graph(_modules(RUNTIME)))
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_no_import_cycle_inside_the_runtime_even_for_the_type_checker() -> None:
    """Modules the driver calls read it through protocols (expansion.Driver, group_calls.GroupDriver),
    so not even an ``if TYPE_CHECKING:`` import goes back up to scheduler.py or interpreter.py."""
    modules = _modules(RUNTIME)
    graph = {name: imported_names(name, path) & set(modules) - {name} for name, path in modules.items()}
    cycles = import_cycles(graph)
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
