"""Properties: static IR == traced IR on generated modules; ill-typed wiring is caught by both."""

from __future__ import annotations

import importlib
import itertools
import os
import sys
import tempfile

import pytest
from hypothesis import given, settings

from flowgen.errors import FlowgenError
from flowgen.static import StaticCompileError, check_paths, compile_static
from tests.static.generators import ill_typed_modules, well_typed_modules

_counter = itertools.count()


def _name() -> str:
    return f"flowgen_generated_{os.getpid()}_{next(_counter)}"


def _write(source: str, name: str) -> tuple[str, str]:
    directory = tempfile.mkdtemp(prefix="flowgen-prop-")
    path = os.path.join(directory, name + ".py")
    with open(path, "w") as fh:
        fh.write(source)
    return path, name


def _trace(path: str, name: str) -> object:
    directory = os.path.dirname(path)
    sys.path.insert(0, directory)
    try:
        module = importlib.import_module(name)
        return module.wf.compile_program()
    finally:
        sys.path.remove(directory)
        sys.modules.pop(name, None)


@settings(max_examples=40)
@given(well_typed_modules())
def test_static_ir_equals_traced_ir(module: object) -> None:
    name = _name()
    source, _ = module.source(name)  # type: ignore[attr-defined]
    path, name = _write(source, name)
    static = compile_static(path, "wf")
    traced = _trace(path, name)
    assert static.model_dump(mode="json") == traced.model_dump(mode="json"), source  # type: ignore[attr-defined]
    assert static == traced, source
    assert check_paths([path], jobs=1).diagnostics == []


@settings(max_examples=30)
@given(ill_typed_modules())
def test_ill_typed_wiring_is_reported_on_its_line_and_the_tracer_raises(module: object) -> None:
    name = _name()
    source, bad_line = module.source(name)  # type: ignore[attr-defined]
    path, name = _write(source, name)
    result = check_paths([path], jobs=1)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    assert errors, source
    assert any(d.line == bad_line and d.code.startswith("FG2") for d in errors), (bad_line, errors, source)
    assert all(d.line == bad_line for d in errors), (bad_line, errors, source)
    with pytest.raises(StaticCompileError):
        compile_static(path, "wf")
    with pytest.raises(FlowgenError) as raised:
        _trace(path, name)
    location = getattr(raised.value, "location", None)
    if location is not None:
        assert location.line == bad_line
