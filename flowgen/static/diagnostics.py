"""Diagnostics are data: code, severity, span, message, hint.

One convention for spans (LibCST ``_position.py``): 1-based lines, 0-based
columns, exclusive end. Renderers for people and CI show 1-based columns, like
ruff, mypy, Python's tracebacks and GitHub: ``text`` and ``github`` print
``column + 1``. ``json`` keeps the data's 0-based ``column``/``end_column``
(documented, stable; an editor adds nothing, an LSP position is 0-based too). Everything here is pure: building, filtering,
suppressing, sorting and rendering a list of :class:`Diagnostic`.

=============  ============================================================
renderer       output
=============  ============================================================
``text``       ``path:line:col: error FG123 message``, the source line, a
               caret under the span, then ``hint: ...`` when there is one
``json``       ``{"diagnostics": [{path, line, column, end_line,
               end_column, code, severity, message, hint}]}``
``github``     ``::error file=...,line=...,col=...,title=FG123::message``
               (workflow commands understood by GitHub Actions)
=============  ============================================================

Suppression: a line ending in ``# flowgen: ignore[FG123, FG201]`` silences
those codes on that line; ``# flowgen: ignore`` silences every code there.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Literal

__all__ = [
    "Diagnostic",
    "Severity",
    "apply_suppressions",
    "filter_codes",
    "has_errors",
    "render",
    "render_github",
    "render_json",
    "render_text",
    "sort_diagnostics",
    "suppressed_codes",
]

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding, located in a file. Ordering sorts by path, then position, then code."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    severity: Severity
    message: str
    hint: str | None = None

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Sorted and without duplicates (a loop body analysed twice reports once)."""
    return sorted(set(diagnostics))


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)


def _matches(code: str, selectors: Sequence[str]) -> bool:
    # ``FG2`` selects every FG2xx code, as in ruff.
    return any(code.startswith(s.strip().upper()) for s in selectors if s.strip())


def filter_codes(
    diagnostics: Iterable[Diagnostic], select: Sequence[str] = (), ignore: Sequence[str] = ()
) -> list[Diagnostic]:
    """Keep the selected codes (all when ``select`` is empty), minus the ignored ones."""
    return [
        d
        for d in diagnostics
        if (not select or _matches(d.code, select)) and not _matches(d.code, ignore)
    ]


_SUPPRESS = re.compile(r"#\s*flowgen:\s*ignore(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE)
ALL_CODES = "*"


def suppressed_codes(source: str) -> dict[int, frozenset[str]]:
    """Line number -> codes silenced on it (``{"*"}`` for a bare ``# flowgen: ignore``)."""
    table: dict[int, frozenset[str]] = {}
    if "flowgen" not in source:
        return table
    for number, line in enumerate(source.splitlines(), start=1):
        if "#" not in line:
            continue
        for match in _SUPPRESS.finditer(line):
            codes = match.group("codes")
            found = (
                frozenset({ALL_CODES})
                if codes is None
                else frozenset(c.strip().upper() for c in codes.split(",") if c.strip())
            )
            table[number] = table.get(number, frozenset()) | found
    return table


def apply_suppressions(
    diagnostics: Iterable[Diagnostic], suppressions: Mapping[int, frozenset[str]]
) -> list[Diagnostic]:
    """Drop the diagnostics silenced by a comment on their first line."""
    kept = []
    for d in diagnostics:
        codes = suppressions.get(d.line)
        if codes and (ALL_CODES in codes or d.code in codes):
            continue
        kept.append(d)
    return kept


# ----------------------------------------------------------------------------- rendering


def _source_line(sources: Mapping[str, str], path: str, line: int) -> str | None:
    source = sources.get(path)
    if source is None:
        return None
    lines = source.splitlines()
    if 1 <= line <= len(lines):
        return lines[line - 1]
    return None


def render_text(diagnostics: Sequence[Diagnostic], sources: Mapping[str, str]) -> str:
    """Human-readable report: header line, source line, caret, hint."""
    out: list[str] = []
    for d in diagnostics:
        out.append(f"{d.path}:{d.line}:{d.column + 1}: {d.severity} {d.code} {d.message}")
        text = _source_line(sources, d.path, d.line)
        if text is not None:
            text = text.expandtabs(1).rstrip("\n")
            column = min(d.column, len(text))
            width = (d.end_column - d.column) if d.end_line == d.line else len(text) - column
            width = max(1, min(width, len(text) - column)) if len(text) > column else 1
            out.append(f"  {text}")
            out.append("  " + " " * column + "^" * width)
        if d.hint:
            out.append(f"  hint: {d.hint}")
    if diagnostics:
        errors = sum(d.severity == "error" for d in diagnostics)
        warnings = len(diagnostics) - errors
        out.append(f"Found {errors} error(s), {warnings} warning(s).")
    return "\n".join(out) + ("\n" if out else "")


def render_json(diagnostics: Sequence[Diagnostic]) -> str:
    return json.dumps({"diagnostics": [d.to_json() for d in diagnostics]}, indent=2) + "\n"


def _github_escape(text: str, *, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def render_github(diagnostics: Sequence[Diagnostic]) -> str:
    """GitHub Actions workflow commands; columns there are 1-based."""
    lines = []
    for d in diagnostics:
        props = ",".join(
            [
                f"file={_github_escape(d.path, property_value=True)}",
                f"line={d.line}",
                f"col={d.column + 1}",
                f"endLine={d.end_line}",
                f"endColumn={d.end_column + 1}",
                f"title={d.code}",
            ]
        )
        message = d.message + (f"\nhint: {d.hint}" if d.hint else "")
        lines.append(f"::{d.severity} {props}::{_github_escape(message)}")
    return "\n".join(lines) + ("\n" if lines else "")


def render(fmt: str, diagnostics: Sequence[Diagnostic], sources: Mapping[str, str]) -> str:
    if fmt == "json":
        return render_json(diagnostics)
    if fmt == "github":
        return render_github(diagnostics)
    return render_text(diagnostics, sources)
