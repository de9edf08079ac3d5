"""The module ``flowgen build`` makes for a workflow, built into a temporary directory and loaded.

The IR comes from :func:`flowgen.discovery.load_programs`, exactly as ``flowgen build`` gets
it: the static front end reads the source without importing it, and a workflow outside the
static subset becomes a run-time compile hook that traces it when the generated module runs
(``front_end`` is then ``"deferred"``). The module is loaded under a private name, so it never shadows
a module the user builds into their own tree.
"""

from __future__ import annotations

import importlib.util
import itertools
import os
import sys
import tempfile
from dataclasses import dataclass
from typing import Any

from flowgen import __version__

__all__ = ["GeneratedBuild", "build_generated"]

_counter = itertools.count()


@dataclass(frozen=True)
class GeneratedBuild:
    """A generated module on disk: its path, text, how its IR was made, and the workflow function."""

    path: str
    text: str
    front_end: str  # "static", or "deferred" (traced when the generated module runs)
    function: Any


def _link_parents(module: str) -> None:
    """Make ``import a.b.c`` (as the generated module spells it) find a module loaded from its file
    alone (``flowgen test FILE.py`` loads it so): its packages imported, each bound on its parent."""
    parts = module.split(".")
    for i in range(1, len(parts)):
        parent, child = ".".join(parts[:i]), ".".join(parts[: i + 1])
        try:
            package = importlib.import_module(parent)
        except ImportError:
            return
        loaded = sys.modules.get(child)
        if loaded is not None and getattr(package, parts[i], None) is not loaded:
            setattr(package, parts[i], loaded)


def build_generated(workflow: Any, out_dir: str | None = None, *, edit: Any = None) -> GeneratedBuild:
    """Generate and load the module for ``workflow``'s source file; return its workflow function.

    ``out_dir`` defaults to a fresh temporary directory. ``edit`` (text -> text) changes the
    generated text before it is written (for tests of the checker itself).
    """
    from flowgen.codegen.build import generate_source_ir
    from flowgen.discovery import load_programs

    source = workflow.source.file if workflow.source else None
    if source is None or not os.path.isfile(source):
        raise ValueError(f"workflow {workflow.name} has no source file to build a module from")
    out_dir = out_dir or tempfile.mkdtemp(prefix="flowgen-test-")
    made = generate_source_ir(source, out_dir, load_programs, __version__)
    if made is None:
        raise ValueError(f"{source} defines no workflow the front ends can compile")
    out, text, deferred = made
    front_end = "deferred" if any(d.function == workflow.function for d in deferred) else "static"
    if edit is not None:
        text = edit(text)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        f.write(text)
    _link_parents(workflow.function.partition(":")[0])
    name = f"_flowgen_test_generated_{next(_counter)}"
    spec = importlib.util.spec_from_file_location(name, out)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    function_name = workflow.function.rpartition(":")[2]
    function = getattr(module, function_name, None)
    if function is None:
        raise ValueError(f"the generated module {out} has no workflow function {function_name!r}")
    return GeneratedBuild(out, text, front_end, function)
