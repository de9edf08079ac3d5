"""Running mypy with flowgen's plugin, and golden files with expectations beside the lines.

A golden module holds its expected mypy output as comments right below the line they
are reported on::

    total = x + 1
    # MYPY: error: Arithmetic (`+`) on a Promise ...  [flowgen-promise]

``FLOWGEN_UPDATE_GOLDEN=1`` rewrites those comments from what mypy says now.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CONFIG = HERE / "mypy.ini"  # --strict
DEFAULT_CONFIG = HERE / "default.ini"  # mypy's defaults
MARK = "# MYPY: "
_LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): (?P<message>(error|note|warning): .*)$")


def update_requested() -> bool:
    return os.environ.get("FLOWGEN_UPDATE_GOLDEN", "") not in ("", "0")


def run_mypy(
    paths: Sequence[Path | str], cache_dir: Path, *extra: str, cwd: Path = ROOT, config: Path = CONFIG
) -> tuple[int, str]:
    """mypy in a subprocess (its own interpreter: the plugin is loaded as a user would)."""
    command = [
        sys.executable, "-m", "mypy", "--config-file", str(config), "--cache-dir", str(cache_dir),
        "--no-pretty", "--no-error-summary", "--hide-error-context", *extra, *map(str, paths),
    ]
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)
    if done.returncode not in (0, 1) or done.stderr.strip():
        raise AssertionError(f"mypy failed to run ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.returncode, done.stdout


def messages_by_file(output: str) -> dict[Path, dict[int, list[str]]]:
    found: dict[Path, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for raw in output.splitlines():
        match = _LINE.match(raw)
        if match is None:
            continue
        path = (ROOT / match["path"]).resolve()
        found[path][int(match["line"])].append(match["message"])
    return found


def expected_messages(path: Path) -> dict[int, list[str]]:
    """Expected messages of a golden file, by the line of code they follow."""
    expected: dict[int, list[str]] = defaultdict(list)
    code_line = 0
    for number, text in enumerate(path.read_text().splitlines(), start=1):
        stripped = text.strip()
        if stripped.startswith(MARK):
            expected[code_line].append(stripped[len(MARK):])
        else:
            code_line = number
    return {line: messages for line, messages in expected.items() if messages}


def rewrite_expectations(path: Path, actual: dict[int, list[str]]) -> None:
    out: list[str] = []
    for number, text in enumerate(path.read_text().splitlines(), start=1):
        if text.strip().startswith(MARK):
            continue
        out.append(text)
        indent = text[: len(text) - len(text.lstrip())]
        out.extend(f"{indent}{MARK}{message}" for message in actual.get(number, []))
    path.write_text("\n".join(out) + "\n")


def diff(path: Path, actual: dict[int, list[str]]) -> str:
    """Empty when mypy said exactly what the file expects."""
    expected = expected_messages(path)
    lines = []
    for line in sorted(set(expected) | set(actual)):
        want, got = expected.get(line, []), actual.get(line, [])
        if want != got:
            lines.append(f"{path.name}:{line}:\n  expected: {want}\n  actual:   {got}")
    return "\n".join(lines)
