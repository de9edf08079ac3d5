"""flowgen.testing sits beside the command line, not on top of it.

What both need (finding a file's workflows, the IR ``flowgen build`` compiles) lives in
:mod:`flowgen.discovery`. Imports are read with ``ast`` (:func:`tests.import_graph.imported_names`),
lazy ones inside functions included.
"""

from __future__ import annotations

from pathlib import Path

import flowgen
from tests.import_graph import import_cycles, imported_names

PACKAGE = Path(flowgen.__file__).parent
ROOT = PACKAGE.parent

#: the one command-line module flowgen.testing reads: the reproducer's text must parse back with
#: ``flowgen run``'s own grammar, so it checks itself against that grammar
GRAMMAR = "flowgen.cli.inputs"


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _graph(overrides: dict[str, Path] | None = None) -> dict[str, set[str]]:
    """Module -> the flowgen modules it imports (``overrides`` reads a module from another file)."""
    modules = _modules()
    paths = {**modules, **(overrides or {})}
    graph = {}
    for name, path in paths.items():
        graph[name] = {d for d in imported_names(name, path) if d in modules and d != name and not name.startswith(d + ".")}
    return graph


def _cli_imports(graph: dict[str, set[str]], prefix: str) -> dict[str, set[str]]:
    return {name: {d for d in deps if d.startswith("flowgen.cli") and d != GRAMMAR}
            for name, deps in graph.items() if name == prefix or name.startswith(prefix + ".")}


def test_testing_and_discovery_do_not_import_the_command_line() -> None:
    graph = _graph()
    for prefix in ("flowgen.testing", "flowgen.discovery"):
        bad = {name: deps for name, deps in _cli_imports(graph, prefix).items() if deps}
        assert not bad, f"{prefix} imports the command line: {bad}"
    assert "flowgen.discovery" in graph["flowgen.testing.generated"]
    assert "flowgen.discovery" in graph["flowgen.testing.pytest_plugin"]
    assert "flowgen.discovery" in graph["flowgen.cli.build"]


def test_no_import_cycle_through_testing_or_discovery() -> None:
    cycles = [c for c in import_cycles(_graph())
              if any(m.startswith(("flowgen.testing", "flowgen.discovery", "flowgen.cli")) for m in c)]
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_the_layout_check_sees_a_lazy_import_of_the_command_line(tmp_path: Path) -> None:
    """Not vacuous: a private cli helper imported inside a function is found."""
    planted = tmp_path / "generated.py"
    planted.write_text(_modules()["flowgen.testing.generated"].read_text()
                       + "\n\ndef _late():\n    from flowgen.cli.build import build_command\n")
    found = _cli_imports(_graph({"flowgen.testing.generated": planted}), "flowgen.testing")
    assert "flowgen.cli.build" in found["flowgen.testing.generated"]
