"""Modules of ``@task`` definitions are summarised from ``ast`` alone (flowgen/static/declarations.py).

The summary must be exactly LibCST's (node for node), ``check`` must say exactly what it
says with every module parsed by LibCST, and a module that has a diagnostic to place is
parsed when (and only when) it is placed.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import sys
from pathlib import Path
from typing import Any

import libcst as cst
import pytest

from flowgen.ir.refs import module_name_for_path
from flowgen.static import check_paths, declarations, loader
from flowgen.static.modules import check_parsed, load_all
from flowgen.static.positions import top_level_lines
from flowgen.static.skeleton import blank_task_bodies
from flowgen.static.summary import summarize
from flowgen.static.symbols import Project

ROOT = Path(__file__).resolve().parents[2]


def same_summary(a: Any, b: Any) -> bool:
    """Two summaries (or parts of them) are equal, LibCST nodes compared node for node."""
    if isinstance(a, cst.CSTNode):
        return isinstance(b, cst.CSTNode) and a.deep_equals(b)
    if isinstance(a, (tuple, list)):
        return type(a) is type(b) and len(a) == len(b) and all(map(same_summary, a, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same_summary(a[k], b[k]) for k in a)
    if hasattr(a, "__dataclass_fields__"):
        return type(a) is type(b) and all(same_summary(getattr(a, f), getattr(b, f)) for f in a.__dataclass_fields__)
    return bool(a == b)


def _libcst_summary(path: str, data: bytes) -> Any:
    tree = ast.parse(data)
    module = cst.parse_module(blank_task_bodies(tree, data))
    return summarize(module, module_name_for_path(path), path, top_level_lines(tree, module))


def _declared(path: str, data: bytes) -> Any:
    return declarations.summarize_declarations(ast.parse(data), data.decode(), module_name_for_path(path), path)


def _bench_tree(tmp_path: Path) -> Path:
    spec = importlib.util.spec_from_file_location("bench_check_for_tests", ROOT / "bench" / "bench_check.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench
    spec.loader.exec_module(bench)
    bench.generate(str(tmp_path / "tree"), 30)
    return tmp_path / "tree"


def test_the_summary_is_libcsts_node_for_node(tmp_path: Path) -> None:
    files = [*ROOT.glob("examples/**/*.py"), *ROOT.glob("tests/**/*.py"), *_bench_tree(tmp_path).rglob("*.py")]
    eligible = 0
    for path in files:
        data = path.read_bytes()
        try:
            ast.parse(data)
        except SyntaxError:
            continue
        summary = _declared(str(path), data)
        if summary is None:
            continue
        eligible += 1
        assert same_summary(summary, _libcst_summary(str(path), data)), path
    assert eligible > 25


TASKS = '''"""Tasks."""

from __future__ import annotations

import enum
import flowgen as fg
from flowgen import task
from . import models
from .models import *


@task
def a(x: int, y: float = 2.5, z: str = "s", w: str = 'q', n: int = -3) -> dict[str, list[int]]:
    return {}


@fg.task(retries=2, cache=True, cache_version="1", requests=fg.Resources(cpu="1", mem="1Gi"))
@task
def b(x: models.Point | None = None, *, k: tuple[int, int], flag: bool = True) -> None:
    pass


@task()
def c(p, /, q, *rest: int, **more: str):
    pass
'''


def test_a_task_module_is_declarations_only_and_equal(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    path = pkg / "tasks.py"
    path.write_text(TASKS)
    summary = _declared(str(path), TASKS.encode())
    assert summary is not None and sorted(summary.names) == [
        "a", "annotations", "b", "c", "enum", "fg", "models", "task"]
    assert summary.star_imports == ["pkg.models"]
    assert same_summary(summary, _libcst_summary(str(path), TASKS.encode()))


@pytest.mark.parametrize("change", [
    ("x: int, y: float", "x: (int), y: float"),  # parentheses
    ("y: float = 2.5", "y: float=2.5"),  # spacing
    ("n: int = -3", "n: int = -0x3"),  # number spelling
    ('z: str = "s"', 'z: str = "s" "t"'),  # implicit concatenation
    ('z: str = "s"', 'z: str = r"s"'),  # string prefix
    ("-> dict[str, list[int]]:", "-> dict[str, list[int]]:  # comment"),
    ("def a(x: int, ", "def a(\n    x: int,\n    "),  # a signature over several lines
    ("@task\ndef a", "@task\n\ndef a"),  # a line between decorator and def
    ('"""Tasks."""', '"""Tasks."""\nX = 1'),  # module-level code
    ('"""Tasks."""', '"""Tasks."""\nclass K:\n    pass\n'),
    ('"""Tasks."""', '"""Tasks."""\ndef helper(x: int) -> int:\n    return x\n'),
    ('"""Tasks."""', '"""Tasks."""\nimport os; import sys'),  # two statements on a line
    ('"""Tasks."""', '"""Tasks."""\nif True:\n    import os\n'),
    ('"""Tasks."""', '"""Tasks."""\n# -*- coding: utf-8 -*-'),
    ('"""Tasks."""', '"""Täsks."""'),  # not ASCII
    ("@task()", "@task(*())"),
    ("@task()", "@task(**{})"),
    ("-> None:", "-> list[1:2]:"),  # a slice
    ("-> None:", "-> [int]:"),  # a list
])
def test_other_spellings_take_libcsts_path(change: tuple[str, str]) -> None:
    source = TASKS.replace(*change)
    assert source != TASKS
    assert _declared("/tmp/pkg/tasks.py", source.encode()) is None
    assert _declared("/tmp/pkg/tasks.py", source.replace("\n", "\r\n").encode()) is None


def test_crlf_takes_libcsts_path() -> None:
    assert _declared("/tmp/pkg/tasks.py", TASKS.replace("\n", "\r\n").encode()) is None


PROBLEMS = '''"""Tasks with problems to place."""

from flowgen import Resources, task


@task
def fine(x: int) -> int:
    return x


@task(requests=Resources(cpu="2"), limits=Resources(cpu="1"))
def too_much(x: int) -> int:
    return x


@task
def odd(x: set[int]) -> int:
    return 1
'''

WORKFLOWS = '''from flowgen import workflow

from tasks import fine, odd


@workflow
def wf(x: int) -> int:
    return fine(x=fine(x=x))
'''


def _key(found: list[Any]) -> list[tuple[Any, ...]]:
    return [(d.path, d.line, d.column, d.end_line, d.end_column, d.code, d.severity, d.message) for d in found]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_module_with_problems_is_parsed_to_place_them(tmp_path: Path, jobs: int,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "tasks.py").write_text(PROBLEMS)
    (tmp_path / "flows.py").write_text(WORKFLOWS)
    for i in range(20):  # enough files for the parallel checker to shard them
        (tmp_path / f"more_{i}.py").write_text(PROBLEMS.replace('"""Tasks with', f'"""Copy {i} of tasks with'))
    assert _declared(str(tmp_path / "tasks.py"), PROBLEMS.encode()) is not None
    fast = check_paths([str(tmp_path)], jobs=jobs).diagnostics
    monkeypatch.setattr(loader, "summarize_declarations", lambda *_: None)
    slow = check_paths([str(tmp_path)], jobs=jobs).diagnostics
    assert _key(fast) == _key(slow)
    placed = [(os.path.basename(d.path), d.line, d.code) for d in fast if d.path.endswith("tasks.py")]
    assert ("tasks.py", 11, "FG304") in placed and ("tasks.py", 17, "FG302") in placed, placed


def test_a_clean_module_of_tasks_is_never_parsed_by_libcst(tmp_path: Path) -> None:
    tree = _bench_tree(tmp_path)
    files = sorted(str(p) for p in tree.rglob("*.py"))
    modules, found = load_all(files)
    assert not found
    project = Project()
    for m in modules:
        project.add_parsed(m)
    assert check_parsed(modules, project) == []
    lazy = [m for m in modules if m.declarations_only]
    assert len(lazy) >= 10 and all("tasks_" in m.path or m.path.endswith("__init__.py") for m in lazy)
    assert all(m._module is None for m in lazy)  # never needed
    assert isinstance(lazy[0].module, cst.Module) and lazy[0].positions is not None  # parsed when asked
