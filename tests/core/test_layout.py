"""The core packages' layout: no import cycle among the IR, the DSL, the data plane, the error
classes and Flyte's type paths (imports inside functions included, as the runtime's and the static
front end's layout tests read them)."""

from __future__ import annotations

from pathlib import Path

from tests.import_graph import import_cycles, imported_names

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


def test_no_import_cycle_in_the_core_packages() -> None:
    modules = _modules()
    graph = {name: imported_names(name, path) & set(modules) - {name} for name, path in modules.items()}
    assert not import_cycles(graph)


def test_no_import_cycle_anywhere_in_flowgen_at_run_time() -> None:
    """Every module of the package, imports inside functions included; an import only a type
    checker reads (``if TYPE_CHECKING:``) is not a cycle."""
    modules = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph = {name: imported_names(name, path, run_time_only=True) & set(modules) - {name}
             for name, path in modules.items()}
    assert not import_cycles(graph)


def test_the_cycle_finder_sees_a_planted_cycle() -> None:
    assert import_cycles({"a": {"b"}, "b": {"a"}}) == [["a", "b", "a"]]
