"""Issue 13, items 2, 4 and 5: no false positives on valid code, robust file handling, one convention.

* a slice of a ``@dynamic`` input is a list (the runtime and mypy accept ``total(xs=xs[:2])``);
* identifiers are NFKC-normalised as Python does (``ℌ`` is ``H``): static IR == traced IR;
* a FIFO named ``*.py`` is skipped with a warning (never read: reading it blocks forever),
  an oversized file is FG002, symlinks out of the tree and symlink cycles are not followed;
* text output has 1-based columns like ``--format github``; JSON keeps 0-based columns;
  ``build --exclude`` and ``check --exclude`` take the same globs.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from flowgen.cli.main import cli
from flowgen.static import check_paths, compile_static, loader

pytestmark = pytest.mark.filterwarnings("ignore")

SLICES = '''from typing import List

from flowgen import dynamic, task, workflow


@task
def total(xs: List[int]) -> int:
    return sum(xs)


@task
def first(s: str) -> str:
    return s


@dynamic
def head_total(xs: List[int], s: str, n: int) -> int:
    a = total(xs=xs[:2])
    b = total(xs=xs[1:n])
    first(s=s[:3])
    consts = [1, 2, 3]
    c = total(xs=consts[:n])
    return total(xs=[a, b, c])


@dynamic
def wrong(xs: List[int]) -> int:
    return total(xs=xs[0])


@workflow
def wf(xs: List[int], s: str) -> int:
    return head_total(xs=xs, s=s, n=2)
'''


def test_slices_of_dynamic_inputs_are_lists(tmp_path: Path) -> None:
    path = tmp_path / "slices.py"
    path.write_text(SLICES)
    found = check_paths([str(path)], jobs=1).diagnostics
    assert [(d.code, d.line) for d in found] == [("FG201", 28)], [str(d) for d in found]
    sys.path.insert(0, str(tmp_path))
    try:
        from slices import wf  # type: ignore[import-not-found]

        import flowgen

        assert flowgen.run(wf, xs=[1, 2, 3, 4], s="hello") == 3 + 2 + 3  # the runtime agrees: valid
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("slices", None)


NFKC = '''from flowgen import task, workflow


@task
def ｄouble(ｘ: int) -> int:
    return 2 * x


@workflow
def ℌ(ｘ: int = 2) -> int:
    y = double(x=x)
    return ｄouble(ｘ=y)
'''


def test_identifiers_are_nfkc_normalised_as_python_does(tmp_path: Path) -> None:
    path = tmp_path / "nfkc_names.py"
    path.write_text(NFKC, encoding="utf-8")
    assert check_paths([str(path)], jobs=1).diagnostics == []
    static = compile_static(str(path), "H")
    sys.path.insert(0, str(tmp_path))
    try:
        import nfkc_names  # type: ignore[import-not-found]

        traced = nfkc_names.H.compile_program()
        assert static == traced
        assert [p.name for p in static.root.interface.inputs] == ["x"]
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("nfkc_names", None)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_named_py_is_skipped_not_read(tmp_path: Path) -> None:
    (tmp_path / "ok.py").write_text("x = 1\n")
    os.mkfifo(tmp_path / "pipe.py")
    result: list = []
    worker = threading.Thread(target=lambda: result.append(check_paths([str(tmp_path)], jobs=1)), daemon=True)
    worker.start()
    worker.join(60)
    assert not worker.is_alive(), "check blocked reading a FIFO"
    [d] = result[0].diagnostics
    assert d.code == "FG002" and d.severity == "warning" and d.path.endswith("pipe.py")
    assert "not a regular file" in d.message


def test_files_over_the_size_limit_are_fg002(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "MAX_SOURCE_BYTES", 1000)
    (tmp_path / "big.py").write_text("x = 1\n" * 400)
    (tmp_path / "small.py").write_text("x = 1\n")
    [d] = check_paths([str(tmp_path)], jobs=1).diagnostics
    assert (d.code, d.severity) == ("FG002", "error") and d.path.endswith("big.py") and "too large" in d.message


def test_symlinks_out_of_the_tree_and_cycles_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "bad.py").write_text("def broken(:\n")
    tree = tmp_path / "tree"
    (tree / "sub").mkdir(parents=True)
    (tree / "ok.py").write_text("x = 1\n")
    (tree / "link.py").symlink_to(outside / "bad.py")
    (tree / "outdir").symlink_to(outside, target_is_directory=True)
    (tree / "sub" / "loop").symlink_to(tree, target_is_directory=True)
    (tree / "inside.py").symlink_to(tree / "ok.py")
    files = loader.discover([str(tree)])
    assert sorted(os.path.basename(f) for f in files) == ["inside.py", "ok.py"]
    assert check_paths([str(tree)], jobs=1).diagnostics == []


BAD = "from flowgen import task, workflow\n\n@task\ndef t(x: int) -> int:\n    return x\n\n@workflow\ndef wf(x: str) -> int:\n    return t(x=x)\n"


def test_text_columns_are_one_based_like_github_and_json_keeps_zero_based(tmp_path: Path) -> None:
    path = tmp_path / "bad.py"
    path.write_text(BAD)
    runner = CliRunner()
    text = runner.invoke(cli, ["check", str(path), "--jobs", "1"]).output
    github = runner.invoke(cli, ["check", str(path), "--jobs", "1", "--format", "github"]).output
    data = json.loads(runner.invoke(cli, ["check", str(path), "--jobs", "1", "--format", "json"]).output)
    [d] = data["diagnostics"]
    assert d["column"] == 15  # the value `x` in `t(x=x)`, 0-based
    assert f"{path}:9:16: error FG201" in text
    assert "line=9,col=16," in github


def test_build_and_check_exclude_take_the_same_globs(tmp_path: Path) -> None:
    good = "from flowgen import task, workflow\n\n@task\ndef t(x: int) -> int:\n    return x\n\n@workflow\ndef wf(x: int) -> int:\n    return t(x=x)\n"
    (tmp_path / "keep").mkdir()
    (tmp_path / "keep" / "flows.py").write_text(good)
    (tmp_path / "skip_me").mkdir()
    (tmp_path / "skip_me" / "flows.py").write_text(BAD)
    (tmp_path / "keep" / "old_flows.py").write_text(BAD)
    runner = CliRunner()
    for pattern in (["skip_*", "old_*.py"], ["*/skip_me", "keep/old_flows.py"]):
        args = [a for p in pattern for a in ("--exclude", p)]
        checked = runner.invoke(cli, ["check", str(tmp_path), "--jobs", "1", *args])
        assert checked.exit_code == 0, checked.output
        built = runner.invoke(cli, ["build", str(tmp_path), "--out", str(tmp_path / "out"), *args])
        assert built.exit_code == 0, built.output
        assert sorted(p.name for p in (tmp_path / "out").rglob("*.py")) == ["flows_flowgen.py"]


IS_NONE = '''from typing import Optional

from flowgen import task, workflow


@task
def t(x: Optional[int]) -> int:
    return x or 0


@workflow
def wf(x: Optional[int] = None) -> int:
    if x is None:
        return t(x=1)
    return t(x=x)


@workflow
def fine(x: int) -> int:
    limit = None
    if limit is None:
        return t(x=x)
    return t(x=0)
'''


def test_is_none_on_a_promise_is_fg102_in_check_and_raises_in_the_tracer(tmp_path: Path) -> None:
    from flowgen.errors import PromiseError

    path = tmp_path / "is_none.py"
    path.write_text(IS_NONE)
    found = check_paths([str(path)], jobs=1).diagnostics
    assert [(d.code, d.line) for d in found] == [("FG102", 13)]
    sys.path.insert(0, str(tmp_path))
    try:
        import is_none  # type: ignore[import-not-found]

        with pytest.raises(PromiseError) as raised:
            is_none.wf.compile_program()
        assert raised.value.location is not None and raised.value.location.line == 13
        assert "identity of a Promise" in str(raised.value)
        assert [n.task for n in is_none.fine.compile_program().root.nodes] == ["is_none.t"]
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("is_none", None)
