"""``flowgen check`` parses files with ``@task`` bodies blanked (flowgen.static.skeleton); nothing else changes.

The blanked source keeps every line and every column outside task bodies, so each
diagnostic is the same as with the whole file parsed: checked here on every example,
every Flyte program and the misuse corpus, both ways.
"""

from __future__ import annotations

import ast
from pathlib import Path

import libcst as cst
import pytest

from flowgen.static import check_paths, loader, modules
from flowgen.static.positions import top_level_lines
from flowgen.static.skeleton import CheckedSource, blank_task_bodies, checked_source
from flowgen.static.summary import summarize
from tests.static.test_declarations import same_summary

ROOT = Path(__file__).resolve().parents[2]

SOURCE = '''from flowgen import task, workflow
import flowgen as fg


@task
def double(x: int) -> int:
    """Twice x."""
    y = 2 * x
    return y


@fg.task(retries=1)
def name_of(x: int) -> str:
    def inner() -> str:
        return str(x)
    return inner()


@task
def one_line(x: int) -> int: return x


def helper(x: int) -> int:
    return x + 1


@workflow
def wf(x: int) -> str:
    return name_of(x=double(x=x))
'''


def _blank(source: bytes) -> bytes:
    return blank_task_bodies(ast.parse(source), source)


def test_task_bodies_become_ellipsis_and_every_other_line_stays() -> None:
    out = _blank(SOURCE.encode()).decode()
    before, after = SOURCE.splitlines(), out.splitlines()
    assert len(after) == len(before)
    changed = [i + 1 for i, (a, b) in enumerate(zip(before, after)) if a != b]
    assert changed == [7, 8, 9, 14, 15, 16]
    assert after[6] == "    ..." and after[7] == "" and after[13] == "    ..."
    assert "def one_line(x: int) -> int: return x" in out  # a body on the def line stays
    assert "return x + 1" in out and "return name_of(x=double(x=x))" in out
    ast.parse(out)


def test_crlf_and_coding_cookies() -> None:
    crlf = SOURCE.replace("\n", "\r\n").encode()
    out = _blank(crlf)
    assert out.count(b"\r\n") == crlf.count(b"\r\n") and b"\n" not in out.replace(b"\r\n", b"")
    cookie = b"# -*- coding: latin-1 -*-\n" + SOURCE.encode()
    assert _blank(cookie) == cookie
    assert _blank(b"x = 1\n") == b"x = 1\n"


COMMENTED = """#!/usr/bin/env python
# Copyright header
#   indented too

X = 1  # trailing comments stay
# between statements
TEXT = \"\"\"
# inside a string: stays
\"\"\"
import os
from a import (
    b,
    c as d,
)
import e; import f


@decorator
# between a decorator and its def: stays
def f() -> None:
    # in a body: stays
    pass
    # after the body's last statement (outside the ast span of the def): emptied
# trailing
"""


def test_checked_source_empties_comments_and_imports_between_statements_only() -> None:
    tree = ast.parse(COMMENTED)
    checked = checked_source(tree, COMMENTED.encode())
    out = checked.data.decode()
    before, after = COMMENTED.split("\n"), out.split("\n")
    assert len(after) == len(before)
    changed = [i + 1 for i, (a, b) in enumerate(zip(before, after)) if a != b]
    assert changed == [1, 2, 3, 6, 10, 11, 12, 13, 14, 23, 24]
    assert [after[i - 1] for i in (10, 11, 12, 13, 14)] == ["...", "...", "", "", ""]
    assert all(after[i - 1] == "" for i in (1, 2, 3, 6, 23, 24))
    assert sorted(checked.imports) == [2, 3] and checked.imports[3] is tree.body[3]  # not the two on one line
    assert "# inside a string: stays" in out and "# in a body: stays" in out and "# trailing comments stay" in out
    assert "# between a decorator and its def: stays" in out and "import e; import f" in out
    assert len(cst.parse_module(checked.data).body) == len(cst.parse_module(COMMENTED).body)
    crlf = COMMENTED.replace("\n", "\r\n").encode()
    assert checked_source(ast.parse(crlf), crlf).data.decode().split("\r\n") == after
    cookie = b"# -*- coding: latin-1 -*-\n# more\nimport os\n"
    assert checked_source(ast.parse(cookie), cookie) == CheckedSource(cookie, {})
    plain = b"x = 1\n"
    assert checked_source(ast.parse(plain), plain).data is plain


def test_summary_with_imports_from_ast_is_libcsts() -> None:
    for path in PROGRAMS:
        data = path.read_bytes()
        tree = ast.parse(data)
        checked = checked_source(tree, data)
        whole = cst.parse_module(blank_task_bodies(tree, data))
        reduced = cst.parse_module(checked.data)
        lines = top_level_lines(tree, whole)
        a = summarize(whole, "m", str(path), lines)
        b = summarize(reduced, "m", str(path), top_level_lines(tree, reduced), checked.imports)
        assert same_summary(a, b), path
    assert sum(bool(checked_source(ast.parse(p.read_bytes()), p.read_bytes()).imports) for p in PROGRAMS) > 50


PROGRAMS = sorted([*(ROOT / "examples").rglob("*.py"), *(ROOT / "tests" / "core" / "flyte_programs").glob("*.py"),
                   *(ROOT / "tests" / "static" / "misuse_corpus").glob("*.py")])


@pytest.mark.filterwarnings("ignore::flowgen.dsl.cluster_config.ClusterConfigWarning")
def test_check_says_the_same_with_task_bodies_blanked(monkeypatch: pytest.MonkeyPatch) -> None:
    def key(found: list) -> list:
        return [(d.path, d.line, d.column, d.end_line, d.end_column, d.code, d.message) for d in found]

    for path in PROGRAMS:
        blanked = check_paths([str(path)], jobs=1).diagnostics
        with monkeypatch.context() as m:
            m.setattr(modules, "load_module", lambda p, data=None, **_: loader.load_module(p, data))
            whole = check_paths([str(path)], jobs=1).diagnostics
        assert key(blanked) == key(whole), path
    assert len(PROGRAMS) > 60
    assert sum(_blank(p.read_bytes()) != p.read_bytes() for p in PROGRAMS) > 50  # the blanking did happen
