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
settings               fixed, never the user's configuration (``--isolated``): line
                       length 120, double quotes, target py311. The same source gives
                       the same module wherever it is built, so ``flowgen build
                       --check`` compares texts without false staleness
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
import shutil
import subprocess

from flowgen.codegen.annotations import GenerationError

__all__ = ["FORMAT_OPTIONS", "format_source", "ruff_binary"]

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


def format_source(text: str) -> str:
    """``text`` (a whole module) as ``ruff format`` with :data:`FORMAT_OPTIONS` prints it."""
    try:
        done = subprocess.run(
            [ruff_binary(), "format", *FORMAT_OPTIONS, "--stdin-filename", "generated.py", "-"],
            input=text.encode("utf-8"), capture_output=True, check=False,
        )
    except OSError as exc:
        raise GenerationError(f"cannot run ruff to format the generated module: {exc}") from exc
    if done.returncode != 0:
        raise GenerationError(  # the emitter only renders valid trees: this is a ruff (or flowgen) bug
            "internal error: ruff format rejected the generated module: "
            + done.stderr.decode("utf-8", "replace").strip()
        )
    return done.stdout.decode("utf-8")
