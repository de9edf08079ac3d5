"""Task bodies blanked before LibCST parses a file for ``flowgen check``.

LibCST's parse is most of what checking a tree costs, and the bodies of ``@task``
functions are the one part of a module the checker never reads: a task is known by
its decorator, signature and annotations; only workflow and ``@dynamic`` bodies are
compiled, and only plain functions used as decorators are looked into. So
:func:`blank_task_bodies` replaces the body of every top-level function with a
decorator spelled ``task`` (``@task``, ``@task(...)``, ``@fg.task``) by ``...`` on its
first line and empty lines after it: every line and column outside those bodies stays
where it was, so positions, suppressions and the source shown with a diagnostic (the
original text) are unchanged.

It is used by the batch checker only (:func:`flowgen.static.modules.load_all`); the
editor (LSP), ``compile`` and ``build`` parse whole files. The lines come from
CPython's parse of the same bytes; a file with a coding cookie (whose columns are
not UTF-8 bytes) is left whole.
"""

from __future__ import annotations

import ast
import re

__all__ = ["blank_task_bodies", "is_task_decorator"]

_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=]", re.M)


def is_task_decorator(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return (isinstance(target, ast.Name) and target.id == "task") or (
        isinstance(target, ast.Attribute) and target.attr == "task")


def blank_task_bodies(tree: ast.Module, data: bytes) -> bytes:
    """``data`` with each top-level ``@task`` body reduced to ``...`` (same lines); ``data`` itself if none."""
    spans = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(map(is_task_decorator, node.decorator_list)):
            first = node.body[0]
            if first.lineno > node.lineno and node.end_lineno is not None:
                spans.append((first.lineno, first.col_offset, node.end_lineno))
    if not spans or _COOKIE.search(b"\n".join(data.split(b"\n", 2)[:2])):
        return data
    lines = data.split(b"\n")
    for start, indent, end in spans:
        head = lines[start - 1]
        if head[:indent].strip(b" \t\f"):  # not pure indentation: leave this one whole
            continue
        lines[start - 1] = head[:indent] + b"..." + (b"\r" if head.endswith(b"\r") else b"")
        for i in range(start, end):
            lines[i] = b"\r" if lines[i].endswith(b"\r") else b""
    return b"\n".join(lines)
