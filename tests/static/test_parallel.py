"""Sharded checking over processes reports exactly what checking in one process reports."""

from __future__ import annotations

import os

from flowgen.static import check_paths
from flowgen.static.parallel import shard
from tests.static.test_cli_check import BAD, GOOD


def test_parallel_equals_serial(tmp_path: object) -> None:
    root = str(tmp_path)
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
