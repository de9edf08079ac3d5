"""What a check is: a stable code, a name, a default hint, and its own examples.

Examples are whole modules. Every ``VALID`` example must check clean; every
``INVALID`` example marks each line that must be reported with a trailing
``# expect: FG123`` comment (several codes separated by commas). The tests in
``tests/static/test_checks.py`` and the check reference are generated from them
(Fixit ``rules/*.py`` VALID/INVALID).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flowgen.static.diagnostics import Severity

__all__ = ["Check", "expected_lines"]

_EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>FG\d{3}(?:\s*,\s*FG\d{3})*)")


@dataclass(frozen=True)
class Check:
    code: str
    name: str
    severity: Severity
    summary: str
    hint: str | None
    valid: tuple[str, ...]
    invalid: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


def expected_lines(source: str) -> list[tuple[int, str]]:
    """(line, code) pairs an invalid example expects, from its ``# expect:`` comments."""
    found = []
    for number, line in enumerate(source.splitlines(), start=1):
        match = _EXPECT.search(line)
        if match:
            for code in match.group("codes").split(","):
                found.append((number, code.strip()))
    return found
