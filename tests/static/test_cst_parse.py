"""LibCST's parse without per-node validation (flowgen/static/cst_parse.py)."""

from __future__ import annotations

import threading
from pathlib import Path

import libcst as cst
import pytest
from libcst._nodes.base import CSTNode

from flowgen.static.cst_parse import parse_trusted

ROOT = Path(__file__).resolve().parents[2]


def _sources() -> list[Path]:
    return sorted([*ROOT.glob("examples/**/*.py"), *ROOT.glob("tests/static/misuse_corpus/*.py")])


def test_same_tree_as_libcst() -> None:
    files = _sources()
    assert len(files) > 20
    for path in files:
        data = path.read_bytes()
        trusted = parse_trusted(data)
        assert trusted.deep_equals(cst.parse_module(data)), path
        assert trusted.code == data.decode("utf-8")


def test_validation_is_back_after_each_parse() -> None:
    parse_trusted(b"x = 1\n")
    with pytest.raises(cst.CSTValidationError):
        cst.Name("not an identifier")
    with pytest.raises(cst.CSTValidationError):
        cst.Name("x", lpar=[cst.LeftParen()])  # unbalanced parentheses


def test_validation_is_back_after_a_failed_parse() -> None:
    with pytest.raises(cst.ParserSyntaxError):
        parse_trusted(b"def (:\n")
    with pytest.raises(cst.CSTValidationError):
        cst.Name("not an identifier")


def test_concurrent_parses_restore_libcst_validation() -> None:
    source = b"".join(b"def f%d(x: int) -> list[int]:\n    return [x] * %d\n" % (i, i) for i in range(200))
    errors: list[BaseException] = []

    def parse() -> None:
        try:
            for _ in range(5):
                parse_trusted(source)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=parse) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert CSTNode.__post_init__.__name__ == "__post_init__"  # LibCST's own method, not the skip
    with pytest.raises(cst.CSTValidationError):
        cst.Name("not an identifier")
