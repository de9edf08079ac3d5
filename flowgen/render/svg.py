"""SVG and PNG through the system Graphviz ``dot`` program.

Graphviz is a system package, not a Python dependency: when ``dot`` is not on
``PATH`` the caller gets :class:`GraphvizMissing`, whose one-line message names
the Debian package to install; Mermaid, DOT and HTML output never need it.
"""

from __future__ import annotations

import shutil
import subprocess

from flowgen.errors import FlowgenError
from flowgen.render.dot import to_dot
from flowgen.render.model import DisplayGraph

__all__ = ["GRAPHVIZ_HINT", "GraphvizFailed", "GraphvizMissing", "dot_program", "render_with_graphviz"]

GRAPHVIZ_HINT = "install Graphviz (Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz)"


class GraphvizMissing(FlowgenError):
    """The ``dot`` program is not installed."""


class GraphvizFailed(FlowgenError):
    """``dot`` ran and rejected its input (a bug in the DOT writer) or crashed."""


def dot_program() -> str | None:
    return shutil.which("dot")


def render_with_graphviz(graph: DisplayGraph, fmt: str, *, timeout: float = 60.0) -> bytes:
    """``dot -T<fmt>`` of the graph's DOT text; ``fmt`` is ``svg`` or ``png``."""
    if fmt not in ("svg", "png"):
        raise ValueError(f"Graphviz output format must be svg or png, not {fmt!r}")
    program = dot_program()
    if program is None:
        raise GraphvizMissing(f"{fmt.upper()} output needs the Graphviz `dot` program, which is not on PATH: "
                              f"{GRAPHVIZ_HINT}")
    try:
        done = subprocess.run([program, f"-T{fmt}"], input=to_dot(graph).encode("utf-8"),
                              capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise GraphvizFailed(f"Graphviz `dot` did not finish drawing {graph.title} within {timeout:g}s") from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GraphvizFailed(f"Graphviz `dot` failed on the graph of {graph.title}: "
                             + (detail[0] if detail else f"exit status {done.returncode}"))
    return done.stdout
