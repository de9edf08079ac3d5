"""Every workflow of every example module, for rendering tests (new examples join automatically)."""

from __future__ import annotations

import importlib
import os

from flowgen.dsl.entities import Workflow

EXAMPLES_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "examples")


def example_workflows() -> list[tuple[str, str]]:
    """``(module, workflow attribute)`` pairs, sorted."""
    found = []
    for filename in sorted(os.listdir(EXAMPLES_DIR)):
        if not filename.endswith(".py") or filename.startswith("_"):
            continue
        module = importlib.import_module(filename[:-3])
        for name, value in sorted(vars(module).items()):
            if isinstance(value, Workflow) and value.fn.__module__ == module.__name__:
                found.append((module.__name__, name))
    return found


def load_workflow(module: str, name: str) -> Workflow:
    found = getattr(importlib.import_module(module), name)
    assert isinstance(found, Workflow)
    return found


def example_path(module: str) -> str:
    return os.path.join(EXAMPLES_DIR, module + ".py")
