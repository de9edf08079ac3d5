"""The loader and resolver: nothing executed, imports of every shape, packages, relative imports."""

from __future__ import annotations

import os
import sys

from flowgen.ir.model import LiteralBinding, TaskNode
from flowgen.ir.types import EnumType, RecordType
from flowgen.static import check_paths, compile_static
from flowgen.static.loader import discover

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


def fixture(*parts: str) -> str:
    return os.path.join(FIXTURES, *parts)


def test_checked_module_is_never_imported_or_executed(tmp_path: object, monkeypatch: object) -> None:
    marker = os.path.join(str(tmp_path), "executed.txt")
    monkeypatch.setenv("FLOWGEN_SIDE_EFFECT_FILE", marker)  # type: ignore[attr-defined]
    result = check_paths([fixture("side_effects.py")], jobs=1)
    program = compile_static(fixture("side_effects.py"), "wf")
    assert result.diagnostics == []
    assert [n.task for n in program.root.nodes] == ["side_effects.double"]
    assert not os.path.exists(marker)
    assert "side_effects" not in sys.modules


def test_aliases_wraps_and_module_imports_resolve() -> None:
    program = compile_static(fixture("aliases.py"), "wf")
    assert set(program.tasks) == {"aliases.double", "aliases.add"}
    assert program.tasks["aliases.add"].retries == 1
    assert [n.id for n in program.root.nodes] == ["n0", "n1"]
    result = check_paths([fixture("aliases.py")], jobs=1)
    assert [(d.code, d.line) for d in result.diagnostics] == [("FG201", 36)]


def test_package_relative_imports_types_and_constants() -> None:
    program = compile_static(fixture("pkg", "flows.py"), "flow")
    scale_node, paint_node = program.root.nodes
    assert isinstance(scale_node, TaskNode) and scale_node.task == "pkg.sub.tasks.scale"
    factor = scale_node.inputs["factor"]
    assert isinstance(factor, LiteralBinding) and factor.value == 3
    colour = paint_node.inputs["colour"]  # type: ignore[union-attr]
    assert isinstance(colour, LiteralBinding) and colour.value == "GREEN"
    assert isinstance(colour.type, EnumType) and colour.type.ref == "pkg.models:Colour"
    point = program.tasks["pkg.sub.tasks.paint"].interface.inputs[0].type
    assert isinstance(point, RecordType) and point.ref == "pkg.models:Point"
    assert [(f.name, f.has_default) for f in point.fields] == [("x", False), ("y", True), ("tags", True)]


def test_wiring_error_across_modules_is_located_in_the_checked_file() -> None:
    result = check_paths([fixture("pkg", "flows.py")], jobs=1)
    assert [(os.path.basename(d.path), d.line, d.code) for d in result.diagnostics] == [("flows.py", 18, "FG201")]


def test_discover_recurses_and_excludes(tmp_path: object) -> None:
    root = str(tmp_path)
    for rel in ("a.py", "sub/b.py", "sub/skip_me/c.py", ".venv/d.py", "notes.txt"):
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as fh:
            fh.write("x = 1\n")
    found = [os.path.relpath(p, root) for p in discover([root], exclude=["skip_me"])]
    assert found == ["a.py", os.path.join("sub", "b.py")]
