"""Formatting generated modules: the emitter's text through ``ruff format``.

Generated modules are *formatted* (issue 5): a person reads them, and a project that
runs ``ruff format --check`` over its tree must not trip over them.

=====================  ==================================================================
decision               rule
=====================  ==================================================================
formatter              ruff's own formatter, run as its binary (``ruff format -`` on
                       stdin). Writing a second formatter that must agree with ruff
                       line for line (magic trailing commas, where long calls split)
                       would drift; ruff is one small static binary (a runtime
                       dependency of flowgen: ``ruff>=0.9``, the 2025 style)
settings               the user's own ruff configuration when the project has one
                       (issue 16): the nearest ``ruff.toml``, ``.ruff.toml`` or
                       ``pyproject.toml`` with a ``[tool.ruff]`` table, looked for
                       from the generated module's directory upwards (ruff's own
                       rule), passed as ``--config``; so ``ruff format --check``
                       passes in the user's project whatever its line length, quote
                       style or indent. Without one: fixed settings (``--isolated``:
                       line length 120, double quotes, target py311). Either way the
                       same source and project give the same module, so ``flowgen
                       build --check`` compares texts without false staleness
finding the binary     the ``ruff`` package's ``find_ruff_bin()`` (the binary installed
                       with the package), else ``ruff`` on ``PATH``; missing, it is a
                       clear :class:`GenerationError` naming the package to install
cost                   one process per call, about 5 ms for an example module and
                       tens of ms for a 2,000-node workflow (``bench/bench_codegen.py``
                       prints the build time); the emitter calls it twice per module
                       (see :func:`flowgen.codegen.emit.generate_source`)
=====================  ==================================================================
"""

from __future__ import annotations

import functools
import importlib
import os
import shutil
import subprocess
import tomllib

from flowgen.codegen.annotations import GenerationError

__all__ = ["FORMAT_OPTIONS", "find_ruff_config", "format_source", "ruff_binary"]

LINE_LENGTH = 120
FORMAT_OPTIONS: tuple[str, ...] = ("--isolated", "--line-length", str(LINE_LENGTH), "--target-version", "py311")


def _packaged_ruff() -> str | None:
    """The binary installed with the ``ruff`` package, if that package is installed."""
    try:
        import ruff  # type: ignore[import-untyped]
    except ImportError:
        return None
    find = getattr(ruff, "find_ruff_bin", None)
    if find is None:  # older ruff releases keep it in ruff.__main__
        find = getattr(importlib.import_module("ruff.__main__"), "find_ruff_bin", None)
    if find is None:
        return None
    try:
        return str(find())
    except FileNotFoundError:
        return None


@functools.cache
def ruff_binary() -> str:
    """The path of the ruff executable that formats generated code."""
    found = _packaged_ruff() or shutil.which("ruff")
    if found is None:
        raise GenerationError(
            "flowgen build formats generated modules with ruff, which is not installed: pip install 'ruff>=0.9'"
        )
    return found


def _has_ruff_table(pyproject: str) -> bool:
    try:
        with open(pyproject, "rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError):
        return False  # ruff would reject it too; the module is formatted with flowgen's settings
    tool = data.get("tool")
    return isinstance(tool, dict) and "ruff" in tool


def find_ruff_config(path: str) -> str | None:
    """The ruff configuration file that applies to ``path`` (a file to be written), if any.

    As ruff looks for it: in the file's directory and then each parent, the first of
    ``.ruff.toml``, ``ruff.toml``, or a ``pyproject.toml`` that has a ``[tool.ruff]`` table.
    """
    directory = os.path.dirname(os.path.abspath(path))
    while True:
        for name in (".ruff.toml", "ruff.toml"):
            candidate = os.path.join(directory, name)
            if os.path.isfile(candidate):
                return candidate
        candidate = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(candidate) and _has_ruff_table(candidate):
            return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def format_source(text: str, path: str | None = None) -> str:
    """``text`` (a whole module) as ``ruff format`` prints it for a file at ``path``: with the
    project's own configuration when there is one (:func:`find_ruff_config`), else with
    :data:`FORMAT_OPTIONS`."""
    config = find_ruff_config(path) if path is not None else None
    options = ("--config", config) if config is not None else FORMAT_OPTIONS
    try:
        done = subprocess.run(
            [ruff_binary(), "format", "--no-cache", *options, "--stdin-filename", path or "generated.py", "-"],
            input=text.encode("utf-8"), capture_output=True, check=False,
        )
    except OSError as exc:
        raise GenerationError(f"cannot run ruff to format the generated module: {exc}") from exc
    if done.returncode != 0:
        if config is not None:  # the user's configuration is one ruff cannot use
            raise GenerationError(f"ruff cannot format with the project's configuration {config}: "
                                  + done.stderr.decode("utf-8", "replace").strip())
        raise GenerationError(  # the emitter only renders valid trees: this is a ruff (or flowgen) bug
            "internal error: ruff format rejected the generated module: "
            + done.stderr.decode("utf-8", "replace").strip()
        )
    return done.stdout.decode("utf-8")
