"""Diagnostics as data: sorting, filtering, suppression, rendering."""

from __future__ import annotations

from flowgen.dsl.options import FLYTE_ONLY_OPTIONS
from flowgen.static.diagnostics import (
    Diagnostic,
    apply_suppressions,
    filter_codes,
    render_text,
    sort_diagnostics,
    suppressed_codes,
)
from flowgen.static.specs import FLYTE_ONLY_OPTIONS as STATIC_FLYTE_ONLY_OPTIONS


def d(line: int, code: str = "FG201", path: str = "a.py", col: int = 0) -> Diagnostic:
    return Diagnostic(path, line, col, line, col + 3, code, "error", f"m{line}", None)


def test_sort_dedupes_and_orders_by_path_then_position() -> None:
    found = sort_diagnostics([d(3), d(1, path="b.py"), d(1), d(3)])
    assert [(x.path, x.line) for x in found] == [("a.py", 1), ("a.py", 3), ("b.py", 1)]


def test_filter_select_and_ignore() -> None:
    found = [d(1, "FG101"), d(2, "FG201"), d(3, "FG301")]
    assert [x.code for x in filter_codes(found, select=["FG2", "FG3"], ignore=["FG301"])] == ["FG201"]


def test_suppression_comments() -> None:
    source = "a = 1  # flowgen: ignore[FG201, fg101]\nb = 2  # flowgen: ignore\nc = 3\n"
    table = suppressed_codes(source)
    assert table[1] == {"FG201", "FG101"}
    kept = apply_suppressions([d(1, "FG201"), d(1, "FG301"), d(2, "FG999"), d(3)], table)
    assert [(x.line, x.code) for x in kept] == [(1, "FG301"), (3, "FG201")]


def test_text_rendering_caret_under_span() -> None:
    text = render_text([d(2, col=4)], {"a.py": "x = 1\ny = foo(1)\n"})
    lines = text.splitlines()
    assert lines[0] == "a.py:2:5: error FG201 m2"  # 1-based column in text, like ruff and mypy
    assert lines[1] == "  y = foo(1)"
    assert lines[2] == "      ^^^"
    assert lines[-1] == "Found 1 error(s), 0 warning(s)."


def test_flyte_only_options_match_the_dsl() -> None:
    assert STATIC_FLYTE_ONLY_OPTIONS == FLYTE_ONLY_OPTIONS
