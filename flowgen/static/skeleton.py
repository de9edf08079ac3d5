"""Task bodies (and comment lines between statements) blanked before LibCST parses a file for ``flowgen check``.

LibCST's parse is most of what checking a tree costs, and the bodies of ``@task``
functions are the one part of a module the checker never reads: a task is known by
its decorator, signature and annotations; only workflow and ``@dynamic`` bodies are
compiled, and only plain functions used as decorators are looked into. So
:func:`blank_task_bodies` replaces the body of every top-level function with a
decorator spelled ``task`` (``@task``, ``@task(...)``, ``@fg.task``) by ``...`` on its
first line and empty lines after it: every line and column outside those bodies stays
where it was, so positions, suppressions and the source shown with a diagnostic (the
original text) are unchanged.

:func:`checked_source` goes further for the checker: a top-level import alone on its
lines becomes ``...`` (its bindings are read from CPython's tree instead, see
:func:`flowgen.static.summary.summarize`), and lines holding only a comment between
top-level statements (a licence header, section banners) are emptied: nothing reads
them, and LibCST builds several nodes for each. Every top-level statement is still
one statement of LibCST's tree, at the same index and on the same lines.

It is used by the batch checker only (:func:`flowgen.static.modules.load_all`); the
editor (LSP), ``compile`` and ``build`` parse whole files. The lines come from
CPython's parse of the same bytes; a file with a coding cookie (whose columns are
not UTF-8 bytes) is left whole.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

__all__ = ["CheckedSource", "blank_task_bodies", "checked_source", "is_task_decorator"]

_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=]", re.M)


def is_task_decorator(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return (isinstance(target, ast.Name) and target.id == "task") or (
        isinstance(target, ast.Attribute) and target.attr == "task")


def blank_task_bodies(tree: ast.Module, data: bytes) -> bytes:
    """``data`` with each top-level ``@task`` body reduced to ``...`` (same lines); ``data`` itself if none."""
    return _blank(tree, data, checking=False).data


@dataclass(frozen=True)
class CheckedSource:
    """What ``flowgen check`` parses, and the top-level imports it replaced by ``...``, by statement index."""

    data: bytes
    imports: dict[int, ast.Import | ast.ImportFrom]


def checked_source(tree: ast.Module, data: bytes) -> CheckedSource:
    """Task bodies blanked, top-level imports (alone on their lines) reduced to ``...``, comment
    lines between top-level statements emptied. The summary takes the imports from ``tree``."""
    return _blank(tree, data, checking=True)


def _alone(body: list[ast.stmt], i: int) -> bool:
    """Statement ``i`` of ``body`` shares none of its lines with its neighbours."""
    stmt = body[i]
    if i > 0 and (body[i - 1].end_lineno or 0) >= stmt.lineno:
        return False
    if i + 1 < len(body):
        after = body[i + 1]
        decorators = getattr(after, "decorator_list", None)
        if (decorators[0].lineno if decorators else after.lineno) <= (stmt.end_lineno or stmt.lineno):
            return False
    return stmt.col_offset == 0


def _blank(tree: ast.Module, data: bytes, *, checking: bool) -> CheckedSource:
    spans = []
    imports: dict[int, ast.Import | ast.ImportFrom] = {}
    for i, node in enumerate(tree.body):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
                map(is_task_decorator, node.decorator_list)):
            first = node.body[0]
            if first.lineno > node.lineno and node.end_lineno is not None:
                spans.append((first.lineno, first.col_offset, node.end_lineno))
        elif checking and isinstance(node, (ast.Import, ast.ImportFrom)) and _alone(tree.body, i):
            imports[i] = node
            spans.append((node.lineno, 0, node.end_lineno or node.lineno))
    if (not spans and not checking) or _COOKIE.search(b"\n".join(data.split(b"\n", 2)[:2])):
        return CheckedSource(data, {})
    lines = data.split(b"\n")
    changed = False
    for start, indent, end in spans:
        head = lines[start - 1]
        if head[:indent].strip(b" \t\f"):  # not pure indentation: leave this one whole
            continue
        changed = True
        lines[start - 1] = head[:indent] + b"..." + (b"\r" if head.endswith(b"\r") else b"")
        for i in range(start, end):
            lines[i] = b"\r" if lines[i].endswith(b"\r") else b""
    if checking:
        changed = _empty_comment_lines(tree, lines) or changed
    return CheckedSource(b"\n".join(lines) if changed else data, imports)


def _empty_comment_lines(tree: ast.Module, lines: list[bytes]) -> bool:
    """Empty the lines holding only a comment outside every top-level statement (a licence header).

    Nothing reads those comments (suppressions are read from the original text), and
    LibCST builds several nodes for each. A line inside a statement (a string, a body) is
    never touched.
    """
    changed = False
    after = 0  # the last line of the previous statement
    for node in [*tree.body, None]:
        if node is None:
            before = len(lines) + 1
        else:
            decorators = getattr(node, "decorator_list", None)
            before = decorators[0].lineno if decorators else node.lineno
        for i in range(after, before - 1):
            if lines[i].lstrip(b" \t\f").startswith(b"#"):
                lines[i] = b"\r" if lines[i].endswith(b"\r") else b""
                changed = True
        if node is not None:
            after = node.end_lineno or node.lineno
    return changed
