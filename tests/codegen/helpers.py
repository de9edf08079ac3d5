"""Generating and loading modules in tests."""

from __future__ import annotations

import importlib.util
import itertools
import os
import sys
from types import ModuleType

from flowgen import __version__
from flowgen.cli.build import load_programs
from flowgen.codegen.build import generate_for_source

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(ROOT, "examples")
GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden")
PYTHON = sys.executable
_counter = itertools.count()


def example_paths() -> list[str]:
    return sorted(os.path.join(EXAMPLES, f) for f in os.listdir(EXAMPLES) if f.endswith(".py"))


def generate(source: str, out_dir: str) -> tuple[str, str]:
    """(output path, text) of the generated module of ``source``; the file is written."""
    generated = generate_for_source(source, out_dir, load_programs, __version__)
    assert generated is not None, f"{source} defines no workflow"
    out, text = generated
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        f.write(text)
    return out, text


def load(path: str) -> ModuleType:
    """Import a generated module from its file under a unique name."""
    name = f"_flowgen_test_generated_{next(_counter)}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
