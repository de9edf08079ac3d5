"""Tests generated from every check's own VALID and INVALID examples (Fixit-style).

A valid example must produce no diagnostic at all; an invalid example must
produce exactly the codes its ``# expect: FG123`` comments name, on those lines
(other codes are allowed only as warnings elsewhere: they would be noise).
"""

from __future__ import annotations

import os

import pytest

from flowgen.static import ALL_CHECKS, check_paths
from flowgen.static.checks import Check, expected_lines

VALID = [pytest.param(check, i, id=f"{check.code}-valid-{i}") for check in ALL_CHECKS
         for i in range(len(check.valid))]
INVALID = [pytest.param(check, i, id=f"{check.code}-invalid-{i}") for check in ALL_CHECKS
           for i in range(len(check.invalid))]


def _check_source(tmp_path: object, source: str) -> list[tuple[int, str, str]]:
    path = os.path.join(str(tmp_path), "example_module.py")
    with open(path, "w") as fh:
        fh.write(source)
    result = check_paths([path], jobs=1)
    return [(d.line, d.code, d.message) for d in result.diagnostics]


def test_every_check_has_examples() -> None:
    for check in ALL_CHECKS:
        assert check.valid and check.invalid, check.code
        for source in check.invalid:
            assert expected_lines(source), f"{check.code}: an invalid example marks no line"


def test_codes_are_unique_and_stable() -> None:
    codes = [c.code for c in ALL_CHECKS]
    assert len(codes) == len(set(codes))
    assert all(c.startswith("FG") and len(c) == 5 for c in codes)


@pytest.mark.parametrize(("check", "index"), VALID)
def test_valid_example(tmp_path: object, check: Check, index: int) -> None:
    found = _check_source(tmp_path, check.valid[index])
    assert found == [], f"{check.code} valid example {index} reported {found}"


@pytest.mark.parametrize(("check", "index"), INVALID)
def test_invalid_example(tmp_path: object, check: Check, index: int) -> None:
    source = check.invalid[index]
    expected = sorted(expected_lines(source))
    found = _check_source(tmp_path, source)
    got = sorted({(line, code) for line, code, _ in found})
    assert got == expected, f"{check.code} invalid example {index}: expected {expected}, got {found}"
