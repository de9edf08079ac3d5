"""The mypy plugin's modules import each other without cycles (issue 13).

``flowgen/mypy_plugin/__init__.py`` is the plugin (mypy loads ``flowgen.mypy_plugin``) and
imports every module below it; those import each other by module path
(``import flowgen.mypy_plugin.codes as codes``), never through the package, so the only
edges into ``__init__`` come from outside.
"""

from __future__ import annotations

from pathlib import Path

from tests.import_graph import import_cycles, imported_names

PLUGIN = Path(__file__).resolve().parents[2] / "flowgen" / "mypy_plugin"


def test_no_import_cycle_inside_the_plugin() -> None:
    modules = {("flowgen.mypy_plugin" if p.name == "__init__.py" else f"flowgen.mypy_plugin.{p.stem}"): p
               for p in PLUGIN.glob("*.py")}
    assert len(modules) > 15
    graph = {name: {d for d in imported_names(name, path) if d in modules and d != name}
             for name, path in modules.items()}
    assert graph["flowgen.mypy_plugin"], "the package imports its modules"
    assert import_cycles(graph) == []
    assert [n for n, deps in graph.items() if "flowgen.mypy_plugin" in deps] == []
