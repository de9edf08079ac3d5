"""Golden tests: each module in modules/ holds mypy's expected output beside its lines.

mypy runs twice over all of them with one cache directory: the first run is cold,
the second is served from the incremental cache, and both must match the files.
``FLOWGEN_UPDATE_GOLDEN=1 pytest tests/mypy/test_golden.py`` rewrites the expectations.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.mypy.harness import HERE, diff, messages_by_file, rewrite_expectations, run_mypy, update_requested

MODULES = sorted(p for p in (HERE / "modules").glob("*.py") if p.name != "__init__.py")


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    cache = tmp_path_factory.mktemp("mypy-cache")
    _, cold = run_mypy(MODULES, cache)
    _, warm = run_mypy(MODULES, cache)
    return cold, warm


def test_incremental_run_says_the_same(two_runs: tuple[str, str]) -> None:
    cold, warm = two_runs
    assert sorted(cold.splitlines()) == sorted(warm.splitlines())


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.stem)
def test_golden(module: Path, two_runs: tuple[str, str]) -> None:
    cold, _ = two_runs
    actual = messages_by_file(cold).get(module.resolve(), {})
    if update_requested():
        rewrite_expectations(module, actual)
    problems = diff(module, actual)
    assert not problems, f"mypy output differs (FLOWGEN_UPDATE_GOLDEN=1 to accept):\n{problems}"
