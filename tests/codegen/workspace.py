"""Writing hypothesis-generated workflow modules to disk and loading them both ways."""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import sys
import tempfile
from types import ModuleType

from flowgen.cli.target import load_module

from .helpers import generate, load

_counter = itertools.count()
_DIR = tempfile.mkdtemp(prefix="flowgen-codegen-props-")
atexit.register(shutil.rmtree, _DIR, True)
_SRC = os.path.join(_DIR, "src")
_OUT = os.path.join(_DIR, "out")
os.makedirs(_SRC, exist_ok=True)


def write_and_build(source: str, stem: str) -> tuple[ModuleType, ModuleType]:
    """(the user module, its generated module) for ``source`` under a fresh module name."""
    name = f"{stem}_{next(_counter)}"
    path = os.path.join(_SRC, name + ".py")
    with open(path, "w", encoding="utf-8") as f:
        f.write(source)
    user = load_module(path)
    out, _ = generate(path, _OUT)
    generated = load(out)
    sys.modules.pop(name, None)
    return user, generated
