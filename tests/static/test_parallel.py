"""Sharded checking over processes reports exactly what checking in one process reports."""

from __future__ import annotations

import os

import pytest

from flowgen.static import check_paths, parallel
from flowgen.static.parallel import needed_modules, shard
from tests.static.test_cli_check import BAD, GOOD


def _project(root: str) -> None:
    """40 modules in one package, some wrong, some calling a task of ``proj.shared``, one unparsable."""
    os.makedirs(os.path.join(root, "proj"))
    open(os.path.join(root, "proj", "__init__.py"), "w").close()
    with open(os.path.join(root, "proj", "shared.py"), "w") as fh:
        fh.write("from flowgen import task\n\n\n@task\ndef inc(x: int) -> int:\n    return x + 1\n")
    for i in range(40):
        text = (BAD if i % 7 == 0 else GOOD) + (
            f"\n\nfrom proj.shared import inc\n\n\n@workflow\ndef uses_{i}(x: str) -> int:\n    return inc(x=x)\n"
            if i % 5 == 0 else "")
        with open(os.path.join(root, "proj", f"m{i}.py"), "w") as fh:
            fh.write(text)
    with open(os.path.join(root, "proj", "broken.py"), "w") as fh:
        fh.write("def (\n")


def test_parallel_equals_serial(tmp_path: object) -> None:
    root = str(tmp_path)
    _project(root)
    serial = check_paths([root], jobs=1)
    parallel = check_paths([root], jobs=2)
    assert parallel.diagnostics == serial.diagnostics
    codes = {d.code for d in serial.diagnostics}
    assert codes == {"FG001", "FG201"}
    assert len(serial.diagnostics) == 1 + 6 + 8


def test_shards_are_balanced_and_complete(tmp_path: object) -> None:
    files = []
    for i in range(10):
        path = os.path.join(str(tmp_path), f"f{i}.py")
        with open(path, "w") as fh:
            fh.write("x = 1\n" * (i + 1))
        files.append(path)
    groups = shard(files, 3)
    assert sorted(f for g in groups for f in g) == sorted(files)
    sizes = [sum(os.path.getsize(f) for f in g) for g in groups]
    assert max(sizes) - min(sizes) <= 60


def test_a_summary_not_shipped_is_loaded_on_demand(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    """The import graph only decides what is shipped: with nothing shipped, workers read what they need."""
    root = str(tmp_path)
    _project(root)
    serial = check_paths([root], jobs=1)
    monkeypatch.setattr(parallel, "needed_modules", lambda own, graph: set(own))
    assert check_paths([root], jobs=2).diagnostics == serial.diagnostics


def test_a_dead_worker_is_replaced_by_this_process(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    root = str(tmp_path)
    _project(root)
    serial = check_paths([root], jobs=1)
    parent = os.getpid()
    real = parallel.check_parsed

    def dies_in_workers(*args: object, **kwargs: object) -> object:
        if os.getpid() != parent:
            os._exit(3)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(parallel, "check_parsed", dies_in_workers)
    assert check_paths([root], jobs=2).diagnostics == serial.diagnostics


def test_needed_modules_follow_imports_packages_and_submodules() -> None:
    graph = {
        "app.flows": (("app.tasks", "app.tasks.double", "lib.models"), ()),
        "app.tasks": (("lib.models.Point",), ()),
        "app": ((), ()),
        "lib": ((), ()),
        "lib.models": (("lib.base",), ()),
        "lib.base": ((), ()),
        "tools.cli": ((), ("util",)),
        "util": ((), ()),
        "util.io": ((), ()),
        "util.io.files": ((), ()),
        "unrelated": (("app.flows",), ()),
    }
    assert needed_modules(["app.flows"], graph) == {"app.flows", "app", "app.tasks", "lib", "lib.models",
                                                    "lib.base"}
    assert needed_modules(["tools.cli"], graph) == {"tools.cli", "util", "util.io", "util.io.files"}
    assert needed_modules(["missing"], graph) == set()


def test_shards_keep_small_directories_together(tmp_path: object) -> None:
    files = []
    for p in range(40):
        directory = os.path.join(str(tmp_path), f"pkg{p}")
        os.makedirs(directory)
        for m in range(4):
            path = os.path.join(directory, f"m{m}.py")
            with open(path, "w") as fh:
                fh.write("x = 1\n" * (10 + p))
            files.append(path)
    groups = shard(files, 2)
    assert sorted(f for g in groups for f in g) == sorted(files)
    assert all(len({os.path.dirname(f) for f in g} & {os.path.dirname(f) for f in other}) == 0
               for g in groups for other in groups if other is not g)
    sizes = [sum(os.path.getsize(f) for f in g) for g in groups]
    assert max(sizes) - min(sizes) <= 4 * 50 * 6  # one directory at most
