"""Workflow inputs and options at their edges: repeated options, nan/inf, enum spellings, deep JSON.

Each case runs the command as a user types it (``flowgen run`` and a generated module's script)
and checks the exit status, that the error names the option or input, and that no traceback shows.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from flowgen.cli.inputs import MAX_DEPTH, load_json, non_finite, parse_text, too_deep
from flowgen.ir.types import primitive
from tests.conftest import ROOT

MODULE = '''\
import enum
import typing

from flowgen import task, workflow


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"


class Level(enum.Enum):
    LOW = 1
    HIGH = 2


@task
def show(n: int, x: float, c: Color, lv: Level, data: typing.List[typing.Any]) -> str:
    return f"{n} {x} {c.name} {lv.name} {len(data)}"


@workflow
def wf(n: int = 1, x: float = 1.5, c: Color = Color.RED, lv: Level = Level.LOW,
       data: typing.List[typing.Any] = []) -> str:
    return show(n=n, x=x, c=c, lv=lv, data=data)
'''

DEEP = "[" * 5000 + "]" * 5000


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("edges")
    (root / "edges.py").write_text(MODULE)
    built = subprocess.run([sys.executable, "-m", "flowgen", "build", "edges.py", "--out", "gen"],
                           capture_output=True, text=True, cwd=root)
    assert built.returncode == 0, built.stderr
    return root


def run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "flowgen", "run", "edges.py:wf", *args],
                          capture_output=True, text=True, cwd=project)


def script(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "gen/edges_flowgen.py", "wf", *args],
                          capture_output=True, text=True, cwd=project)


@pytest.mark.parametrize("runner", [run, script], ids=["flowgen-run", "generated-script"])
@pytest.mark.parametrize(("args", "named"), [
    (["--n", "1", "--n", "2"], "--n"),
    (["--x", "2", "--n", "3", "--x", "2"], "--x"),
    (["--json", "--json"], "--json"),
])
def test_a_repeated_option_is_a_usage_error_naming_it(project: Path, runner, args: list[str], named: str) -> None:
    out = runner(project, *args)
    assert out.returncode == 2, out.stdout + out.stderr
    assert f"option {named} is given more than once" in out.stderr
    assert out.stdout == ""
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize("runner", [run, script], ids=["flowgen-run", "generated-script"])
def test_options_given_once_still_run(project: Path, runner) -> None:
    out = runner(project, "--n", "4", "--x", "2.5", "--c", "GREEN", "--lv", "HIGH", "--data", '[1, "a"]')
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "4 2.5 GREEN HIGH 2"


@pytest.mark.parametrize("text", ["nan", "NaN", "inf", "-inf", "Infinity", "1e999"])
def test_nan_and_inf_are_refused_for_float_options(project: Path, text: str) -> None:
    out = run(project, "--x", text)
    assert out.returncode == 2, out.stdout
    assert "'--x'" in out.stderr and "is not a finite float" in out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_nan_and_inf_are_refused_in_an_inputs_file(project: Path, value: str) -> None:
    (project / "bad.json").write_text(f'{{"n": 2, "x": {value}}}')
    out = run(project, "--inputs", "bad.json")
    assert out.returncode == 1, out.stdout
    assert "input 'x'" in out.stderr and "nan and inf are refused" in out.stderr
    assert "Traceback" not in out.stderr


def test_nan_inside_json_values_is_refused_with_its_place(project: Path) -> None:
    (project / "nested.json").write_text('{"data": [1, {"a": NaN}]}')
    out = run(project, "--inputs", "nested.json")
    assert out.returncode == 1
    assert "input 'data'[1]['a']" in out.stderr, out.stderr
    cli = run(project, "--data", "[1, [Infinity]]")
    assert cli.returncode == 2
    assert "'--data'" in cli.stderr and "[1][0]" in cli.stderr


@pytest.mark.parametrize(("args", "shown"), [
    (["--c", "GREEN"], "GREEN LOW"),        # a member name
    (["--c", "green"], "GREEN LOW"),        # a member's value
    (["--lv", "HIGH"], "RED HIGH"),
    (["--lv", "2"], "RED HIGH"),            # an int value, as text
])
def test_enums_take_member_names_and_values(project: Path, args: list[str], shown: str) -> None:
    out = run(project, *args)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[2:4] == shown.split()


def test_a_wrong_enum_lists_the_accepted_names_and_values(project: Path) -> None:
    out = run(project, "--c", "blue")
    assert out.returncode == 2
    assert "'blue' is not one of RED, GREEN (member names) or 'red', 'green' (their values)" in out.stderr
    (project / "enum.json").write_text('{"lv": 3}')
    from_file = run(project, "--inputs", "enum.json")
    assert from_file.returncode == 1
    assert "input 'lv'" in from_file.stderr and "LOW, HIGH" in from_file.stderr


def test_deep_json_on_the_command_line_is_refused_naming_the_option(project: Path) -> None:
    out = run(project, "--data", DEEP)
    assert out.returncode == 2
    assert "'--data'" in out.stderr and f"at most {MAX_DEPTH} levels" in out.stderr
    assert "RecursionError" not in out.stderr and "Traceback" not in out.stderr


def test_deep_json_in_an_inputs_file_is_an_input_error_naming_the_input(project: Path) -> None:
    (project / "deep.json").write_text(json.dumps({"n": 3}).rstrip("}") + ', "data": ' + DEEP + "}")
    out = run(project, "--inputs", "deep.json")
    assert out.returncode == 1
    assert "input 'data'" in out.stderr and "5001 levels deep" in out.stderr, out.stderr
    assert "RecursionError" not in out.stderr and "Traceback" not in out.stderr


def test_json_within_the_depth_limit_runs(project: Path) -> None:
    shallow = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    out = run(project, "--data", shallow)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith(" 1")


def test_the_depth_scan_skips_brackets_inside_strings() -> None:
    assert too_deep(json.dumps({"a": "[" * 500})) is None
    assert too_deep('{"a": 1, "b": ' + "[" * 150 + "]" * 150 + "}") == (151, "b")
    assert load_json('["[[[", "\\"["]') == ["[[[", '"[']
    with pytest.raises(ValueError, match="150 levels deep"):
        load_json("[" * 150 + "]" * 150)


def test_non_finite_finds_the_place() -> None:
    assert non_finite({"a": [1.0, 2.5]}) is None
    assert non_finite(float("nan")) == ""
    assert non_finite({"a": [1.0, float("-inf")]}) == "['a'][1]"
    assert parse_text("2.5", primitive("float")) == 2.5
    with pytest.raises(ValueError, match="not a finite float"):
        parse_text("inf", primitive("float"))


def test_the_reference_example_still_runs_from_an_inputs_file(tmp_path: Path) -> None:
    path = tmp_path / "inputs.json"
    path.write_text(json.dumps({"s1": "Pear", "s2": "Earth"}))
    out = subprocess.run([sys.executable, "-m", "flowgen", "run", "examples/dynamic_workflows.py:wf",
                          "--inputs", str(path)], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "3"
