"""The plugin and ``flowgen check`` flag the same lines of a shared misuse corpus.

In corpus/, a line ending in ``# flag`` must be reported by both tools, and no other
line by either. The codes differ (mypy's ``flowgen-*``/``truthy-bool`` versus
``FG1xx``/``FG2xx``); the lines are what users see in their editor and CI.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from tests.mypy.harness import HERE, ROOT, messages_by_file, run_mypy

CORPUS = sorted((HERE / "corpus").glob("*.py"))


def _marked() -> dict[Path, set[int]]:
    marked: dict[Path, set[int]] = {}
    for path in CORPUS:
        lines = path.read_text().splitlines()
        marked[path.resolve()] = {n for n, text in enumerate(lines, start=1) if text.rstrip().endswith("# flag")}
    return marked


def _flowgen_check() -> dict[Path, set[int]]:
    done = subprocess.run(
        [sys.executable, "-m", "flowgen", "check", "--format", "json", *map(str, CORPUS)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    if done.returncode not in (0, 1):
        pytest.fail(f"`flowgen check --format json` did not run (exit {done.returncode}):\n{done.stderr}")
    flagged: dict[Path, set[int]] = defaultdict(set)
    for diagnostic in json.loads(done.stdout)["diagnostics"]:
        if diagnostic["severity"] == "error":
            flagged[(ROOT / diagnostic["path"]).resolve()].add(diagnostic["line"])
    return flagged


def _mypy(cache: Path) -> dict[Path, set[int]]:
    _, output = run_mypy(CORPUS, cache)
    found = messages_by_file(output)
    return {
        path: {line for line, messages in by_line.items() if any(m.startswith("error:") for m in messages)}
        for path, by_line in found.items()
    }


def test_corpus_marks_cases() -> None:
    assert sum(len(lines) for lines in _marked().values()) >= 10


def test_plugin_and_flowgen_check_flag_the_same_lines(tmp_path: Path) -> None:
    marked = _marked()
    by_mypy = _mypy(tmp_path)
    by_check = _flowgen_check()
    problems = []
    for path, expected in marked.items():
        for tool, flagged in (("mypy plugin", by_mypy.get(path, set())), ("flowgen check", by_check.get(path, set()))):
            if flagged != expected:
                problems.append(
                    f"{path.name}: {tool} missed {sorted(expected - flagged)}, extra {sorted(flagged - expected)}"
                )
    assert not problems, "\n".join(problems)
