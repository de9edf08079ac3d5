"""A dataclass or pydantic model constructed in a workflow body (issue 13).

Its value is not computed statically, but its class is known: passed where another
type is declared it is FG201 (the tracer raises there too); passed where it fits it
stays FG401, and ``build`` defers the workflow to run-time tracing, which runs it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from flowgen.static import check_paths

SOURCE = '''from dataclasses import dataclass

from flowgen import task, workflow


@dataclass
class Point:
    x: int
    y: int


@dataclass
class Size:
    width: int


@task
def plot(p: Point) -> str:
    return f"{p.x},{p.y}"


@workflow
def fits(a: int) -> str:
    q = Point(x=1, y=2)
    return plot(p=q)


@workflow
def wrong() -> str:
    return plot(p=Size(width=1))
'''


def test_a_built_record_of_another_class_is_fg201_and_one_that_fits_is_deferred(tmp_path: Path) -> None:
    path = tmp_path / "records.py"
    path.write_text(SOURCE)
    found = check_paths([str(path)], jobs=1).diagnostics
    assert [(d.code, d.line) for d in found] == [("FG401", 25), ("FG201", 30)], [d.message for d in found]
    assert "expects Point, but the Size(...) built here is Size" in found[1].message
    path.write_text(SOURCE.split("@workflow\ndef wrong")[0])
    flowgen = str(Path(sys.executable).with_name("flowgen"))
    built = subprocess.run([flowgen, "build", "records.py", "--out", "out"], cwd=tmp_path, capture_output=True,
                           text=True, timeout=120)
    assert built.returncode == 0, built.stderr
    assert [line.split()[1] for line in built.stderr.splitlines() if line.startswith("deferred:")] == ["records.fits"]
    ran = subprocess.run([sys.executable, "out/records_flowgen.py", "fits", "--a", "1"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0 and ran.stdout.strip() == "1,2", ran.stderr
