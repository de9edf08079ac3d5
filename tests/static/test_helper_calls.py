"""A Promise passed to a plain helper function of the project is checked against its annotations (issue 13).

``check`` does not follow the call (that would mean running the helper), but it holds
the arguments against the helper's signature: a Promise where the helper declares a
value type is FG107 naming the helper and the parameter, a ``Promise[T]`` parameter
given a Promise of another type is FG201; an unannotated (or ``Any``) parameter says
nothing and the call stays FG401, which ``build`` defers to run-time tracing.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from flowgen.static import check_paths

HELPERS = '''from typing import Any

from flowgen import Promise


def scale_value(x: int, factor: int = 2) -> int:
    return x * factor


def wire(x: "Promise[int]") -> Any:
    return x


def untyped(x, bump=1):
    return x
'''

FLOWS = '''from flowgen import task, workflow

from helpers import scale_value, untyped, wire
from helpers import scale_value as rescale


@task
def double(x: int) -> int:
    return 2 * x


@task
def name(x: int) -> str:
    return str(x)


def local_helper(label: str, n: int) -> str:
    return label * n


@workflow
def imported(x: int) -> int:
    return double(x=scale_value(double(x=x)))


@workflow
def local(x: int) -> str:
    return local_helper("a", n=x)


@workflow
def promise_param(x: int) -> int:
    return double(x=wire(name(x=x)))


@workflow
def unannotated(x: int) -> int:
    return double(x=untyped(x))


@workflow
def aliased(x: int) -> int:
    return rescale(3, factor=double(x=x))


@workflow
def constants_only(x: int) -> int:
    return double(x=scale_value(4))
'''

EXPECTED = [
    ("FG107", 23, "helper scale_value() takes x: int"),
    ("FG107", 28, "helper local_helper() takes n: int"),
    ("FG201", 33, "helper wire() takes x: Promise[int]"),
    ("FG401", 38, "untyped() receives a Promise"),
    ("FG107", 43, "helper scale_value() takes factor: int"),
    ("FG401", 48, "call of the plain function scale_value()"),
]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "helpers.py").write_text(HELPERS)
    (tmp_path / "flows.py").write_text(FLOWS)
    return tmp_path


def test_promises_given_to_helpers_are_checked_against_their_annotations(project: Path) -> None:
    found = check_paths([str(project / "flows.py"), str(project / "helpers.py")], jobs=1).diagnostics
    got = [(d.code, d.line, d.message) for d in found]
    assert [(c, line) for c, line, _ in got] == [(c, line) for c, line, _ in EXPECTED], got
    for (_, _, message), (_, _, says) in zip(got, EXPECTED):
        assert says in message
    # located at the argument that carries the Promise
    assert found[0].column == len("    return double(x=scale_value(")


def test_the_tracer_raises_where_the_helper_uses_the_value(project: Path) -> None:
    from flowgen.errors import PromiseError

    sys.path.insert(0, str(project))
    try:
        import flows  # type: ignore[import-not-found]

        with pytest.raises(PromiseError) as raised:
            flows.imported.compile_program()
        assert raised.value.location is not None and raised.value.location.line == 7  # x * factor in helpers.py
        assert [n.task for n in flows.unannotated.compile_program().root.nodes] == ["flows.double"]
    finally:
        sys.path.remove(str(project))
        for module in ("flows", "helpers"):
            sys.modules.pop(module, None)


def test_build_fails_on_the_refused_helper_calls_and_defers_the_unannotated_one(project: Path) -> None:
    flowgen = [str(Path(sys.executable).with_name("flowgen"))]
    done = subprocess.run([*flowgen, "build", "flows.py", "helpers.py", "--out", "out"], cwd=project,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "FG107 helper scale_value() takes x: int" in done.stderr
    assert "FG201 helper wire()" in done.stderr
    (project / "flows.py").write_text(FLOWS.split("@workflow\ndef imported")[0] + "@workflow\ndef unannotated"
                                      + FLOWS.split("@workflow\ndef unannotated")[1].split("@workflow")[0])
    done = subprocess.run([*flowgen, "build", "flows.py", "helpers.py", "--out", "out"], cwd=project,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert [line.split()[1] for line in done.stderr.splitlines() if line.startswith("deferred:")] == [
        "flows.unannotated"]
