"""flowgen check never crashes or hangs: random bytes, truncated and mutated sources, deep nesting."""

from __future__ import annotations

import glob
import os
import tempfile
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from flowgen.static import check_paths
from flowgen.static.checks import ALL_CHECKS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = [open(p).read() for p in sorted(glob.glob(os.path.join(ROOT, "examples", "*.py")))] + [
    source for check in ALL_CHECKS for source in (*check.valid, *check.invalid)
]
KNOWN_CODES = {c.code for c in ALL_CHECKS} | {"FG000", "FG002"}


def _check_bytes(data: bytes) -> list[object]:
    directory = tempfile.mkdtemp(prefix="flowgen-fuzz-")
    path = os.path.join(directory, "fuzzed.py")
    with open(path, "wb") as fh:
        fh.write(data)
    start = time.perf_counter()
    result = check_paths([path], jobs=1)
    assert time.perf_counter() - start < 30, "check took too long"
    for d in result.diagnostics:
        assert d.code in KNOWN_CODES
        assert d.code != "FG000", d.message  # an internal error is a bug, even if reported politely
        assert d.line >= 1 and d.column >= 0
    return list(result.diagnostics)


@settings(max_examples=25)
@given(st.binary(max_size=400))
def test_random_bytes(data: bytes) -> None:
    _check_bytes(data)


@settings(max_examples=25)
@given(st.sampled_from(CORPUS), st.floats(0, 1))
def test_truncated_sources(source: str, fraction: float) -> None:
    _check_bytes(source[: int(len(source) * fraction)].encode())


@settings(max_examples=40)
@given(st.sampled_from(CORPUS), st.lists(st.tuples(st.floats(0, 1), st.sampled_from(
    ["", "(", ")", ":", "\n", "    ", "x", "+ 1", "not ", "[", "]", "for ", "if ", "return ", "'", '"', "\\", "@",
     "*", "**", ",", "=", "lambda: ", "yield ", "await ", "\t", "\x00", "é", "0" * 40])), max_size=6))
def test_mutated_sources(source: str, edits: list[tuple[float, str]]) -> None:
    for where, text in edits:
        i = int(len(source) * where)
        source = source[:i] + text + source[i + 1:]
    _check_bytes(source.encode("utf-8", "surrogatepass"))


@settings(max_examples=12)
@given(st.sampled_from([5, 50, 300, 1000, 3000]), st.sampled_from(["(", "[", "-", "not ", "f(", "{'a': ", "x + "]))
def test_deeply_nested_expressions(depth: int, opener: str) -> None:
    closer = {"(": ")", "[": "]", "-": "", "not ": "", "f(": ")", "{'a': ": "}", "x + ": ""}[opener]
    expr = opener * depth + "1" + closer * depth
    source = (
        "from flowgen import task, workflow\n\n\n@task\ndef t(x: int) -> int:\n    return x\n\n\n"
        f"@workflow\ndef wf(x: int) -> int:\n    y = {expr}\n    return t(x=x)\n"
    )
    _check_bytes(source.encode())


def test_huge_constant_work_is_refused_not_run() -> None:
    source = (
        "from flowgen import task, workflow\n\n\n@task\ndef t(x: int) -> int:\n    return x\n\n\n"
        "@workflow\ndef wf(x: int) -> int:\n"
        "    big = [0] * 10 ** 12\n"
        "    n = 2 ** 10 ** 10\n"
        "    for i in range(10 ** 9):\n"
        "        pass\n"
        "    while True:\n"
        "        pass\n"
        "    return t(x=x)\n"
    )
    found = _check_bytes(source.encode())
    assert {d.code for d in found} == {"FG401"}  # type: ignore[attr-defined]
