"""flowgen's diagnostics as LSP diagnostics.

A flowgen :class:`~flowgen.static.Diagnostic` has 1-based lines and 0-based columns in
characters; LSP positions are 0-based lines and columns in the client's units (UTF-16 by
default), converted through the document's position codec. The code is the ``FGxxx``
code, ``source`` is ``"flowgen"``, and the hint travels twice: after the message (what
editors show) and as ``data.hint`` (what :func:`to_flowgen_json` and code actions read), so
that an LSP diagnostic says exactly what ``flowgen check --format json`` says.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lsprotocol import types

from flowgen.static import Diagnostic

SOURCE = "flowgen"
_SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning}
_SEVERITY_NAME = {v: k for k, v in _SEVERITY.items()}


def to_lsp(diagnostic: Diagnostic, lines: Sequence[str], codec: Any) -> types.Diagnostic:
    start = types.Position(line=max(diagnostic.line - 1, 0), character=diagnostic.column)
    end = types.Position(line=max(diagnostic.end_line - 1, 0), character=diagnostic.end_column)
    rng = codec.range_to_client_units(list(lines), types.Range(start=start, end=end))
    message = diagnostic.message + (f"\nhint: {diagnostic.hint}" if diagnostic.hint else "")
    return types.Diagnostic(
        range=rng,
        message=message,
        severity=_SEVERITY.get(diagnostic.severity, types.DiagnosticSeverity.Information),
        code=diagnostic.code,
        source=SOURCE,
        data={"hint": diagnostic.hint, "message": diagnostic.message},
    )


def to_flowgen_json(diagnostic: dict[str, Any], path: str) -> dict[str, Any]:
    """An LSP diagnostic (as JSON) back in ``flowgen check --format json``'s shape (ASCII text)."""
    rng = diagnostic["range"]
    data = diagnostic.get("data") or {}
    return {
        "path": path,
        "line": rng["start"]["line"] + 1,
        "column": rng["start"]["character"],
        "end_line": rng["end"]["line"] + 1,
        "end_column": rng["end"]["character"],
        "code": diagnostic["code"],
        "severity": _SEVERITY_NAME[types.DiagnosticSeverity(diagnostic["severity"])],
        "message": data.get("message", diagnostic["message"]),
        "hint": data.get("hint"),
    }
