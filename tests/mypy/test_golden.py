"""Golden tests: each module in modules/ holds mypy's expected output beside its lines.

mypy runs over all of them under two configurations, each twice with one cache
directory: mypy's default settings plus only ``plugins = flowgen.mypy_plugin``
(default.ini), and ``--strict`` (mypy.ini). The first run of each is cold, the second is
served from the incremental cache; all four must match the files (the plugin's checks do
not depend on the settings).
``FLOWGEN_UPDATE_GOLDEN=1 pytest tests/mypy/test_golden.py`` rewrites the expectations.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.mypy.harness import (
    CONFIG,
    DEFAULT_CONFIG,
    HERE,
    diff,
    messages_by_file,
    rewrite_expectations,
    run_mypy,
    update_requested,
)

MODULES = sorted(p for p in (HERE / "modules").glob("*.py") if p.name != "__init__.py")
CONFIGS = {"default": DEFAULT_CONFIG, "strict": CONFIG}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, str]]:
    found = {}
    for name, config in CONFIGS.items():
        cache = tmp_path_factory.mktemp(f"mypy-cache-{name}")
        _, cold = run_mypy(MODULES, cache, config=config)
        _, warm = run_mypy(MODULES, cache, config=config)
        found[name] = (cold, warm)
    return found


@pytest.mark.parametrize("config", CONFIGS)
def test_incremental_run_says_the_same(config: str, runs: dict[str, tuple[str, str]]) -> None:
    cold, warm = runs[config]
    assert sorted(cold.splitlines()) == sorted(warm.splitlines())


def test_default_settings_and_strict_say_the_same(runs: dict[str, tuple[str, str]]) -> None:
    assert sorted(runs["default"][0].splitlines()) == sorted(runs["strict"][0].splitlines())


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.stem)
def test_golden(module: Path, runs: dict[str, tuple[str, str]]) -> None:
    cold, _ = runs["default"]
    actual = messages_by_file(cold).get(module.resolve(), {})
    if update_requested():
        rewrite_expectations(module, actual)
    problems = diff(module, actual)
    assert not problems, f"mypy output differs (FLOWGEN_UPDATE_GOLDEN=1 to accept):\n{problems}"
