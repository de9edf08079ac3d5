"""The code action on a flowgen diagnostic: silence it with ``# flowgen: ignore[FGxxx]``.

The comment goes at the end of the diagnostic's first line (where ``flowgen check``
looks for it); a line that already has ``# flowgen: ignore[...]`` gets the code added
to that list instead of a second comment.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lsprotocol import types

from flowgen.lsp.diagnostics import SOURCE

_EXISTING = re.compile(r"#\s*flowgen:\s*ignore\[([^\]]*)\]")


def ignore_actions(uri: str, lines: Sequence[str], diagnostics: Sequence[types.Diagnostic]) -> list[types.CodeAction]:
    actions = []
    for diagnostic in diagnostics:
        if diagnostic.source != SOURCE or not isinstance(diagnostic.code, str):
            continue
        number = diagnostic.range.start.line
        if number >= len(lines):
            continue
        edit = _edit(lines[number].rstrip("\r\n"), number, diagnostic.code)
        if edit is None:
            continue
        actions.append(
            types.CodeAction(
                title=f"Ignore {diagnostic.code} on this line (# flowgen: ignore[{diagnostic.code}])",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diagnostic],
                edit=types.WorkspaceEdit(changes={uri: [edit]}),
            )
        )
    return actions


def _edit(text: str, number: int, code: str) -> types.TextEdit | None:
    existing = _EXISTING.search(text)
    if existing is not None:
        codes = [c.strip() for c in existing.group(1).split(",") if c.strip()]
        if code in codes:
            return None
        start, end = existing.span(1)
        return types.TextEdit(
            range=types.Range(
                start=types.Position(line=number, character=_units(text[:start])),
                end=types.Position(line=number, character=_units(text[:end])),
            ),
            new_text=", ".join([*codes, code]),
        )
    at = types.Position(line=number, character=_units(text))
    return types.TextEdit(range=types.Range(start=at, end=at), new_text=f"  # flowgen: ignore[{code}]")


def _units(text: str) -> int:
    """UTF-16 code units (the LSP default position encoding)."""
    return len(text.encode("utf-16-le")) // 2
