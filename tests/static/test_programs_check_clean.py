"""Re-audit (issue 13): every program under examples/ and the Flyte programs under tests/ check clean.

Checked in one run, as a user would check a whole tree: ``examples/flyte`` and
``tests/core/flyte_programs`` hold files with the same module names
(``imperative``, ``unannotated``, ...), each checked against its own neighbours. No
error on any of them; the only warnings are the FG401 notes where a program leaves
the static subset on purpose (flytekit's imperative ``create_node``), listed here so
a new one is noticed.
"""

from __future__ import annotations

from pathlib import Path

from flowgen.static import check_paths

ROOT = Path(__file__).resolve().parents[2]
PROGRAMS = sorted([*(ROOT / "examples").rglob("*.py"), *(ROOT / "tests" / "core" / "flyte_programs").glob("*.py")])
EXPECTED_WARNINGS = {
    ("examples/flyte/imperative.py", "FG401"),
}


def test_every_example_and_flyte_program_checks_clean() -> None:
    assert len(PROGRAMS) >= 25
    result = check_paths([str(p) for p in PROGRAMS], jobs=1)
    assert result.files == len(PROGRAMS)
    errors = [f"{d.path}:{d.line}: {d.code} {d.message}" for d in result.diagnostics if d.severity == "error"]
    assert errors == []
    warned = {(Path(d.path).relative_to(ROOT).as_posix(), d.code) for d in result.diagnostics}
    assert warned <= EXPECTED_WARNINGS, warned - EXPECTED_WARNINGS
