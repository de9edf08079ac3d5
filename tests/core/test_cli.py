"""``flowgen run`` and ``flowgen compile`` as a user types them."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def flowgen(*args: str, cwd: str = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "flowgen", *args], capture_output=True, text=True, cwd=cwd)


def test_run_parses_inputs_by_type_and_prints_json() -> None:
    out = flowgen("run", "examples/multiple_outputs.py:fit_and_predict", "--xs", "[0, 1, 2]",
                  "--ys", "[1, 3, 5]", "--x", "10", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {"slope": 2.0, "intercept": 21.0}


def test_run_records_enums_dates_from_json_and_defaults_in_help() -> None:
    order = json.dumps({"item": "pen", "quantity": 2, "color": "GREEN"})
    out = flowgen("run", "examples/rich_types.py:bill", "--order", order, "--unit_prices", '{"pen": 2}',
                  "--issued", "2026-01-01")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "green order, total 4.00, due 2026-01-31"
    helped = flowgen("run", "examples/basics.py:basics", "--help")
    assert helped.returncode == 0
    assert "--factor FLOAT" in helped.stdout and "default: 2.0" in helped.stdout
    assert "(required)" in helped.stdout


def test_run_with_an_inputs_file(tmp_path) -> None:
    path = tmp_path / "inputs.json"
    path.write_text(json.dumps({"s1": "Pear", "s2": "nothing"}))
    out = flowgen("run", "examples/dynamic_workflows.py:wf", "--inputs", str(path), "--s2", "Earth")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "3"


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["examples/basics.py:basics", "--start", "one"], 2, ["'one' is not an int", "--start"]),
        (["examples/basics.py:basics"], 1, ["input 'start' (int) is missing"]),
        (["examples/basics.py:nope"], 2, ["no workflow named 'nope'", "basics"]),
        (["examples/missing.py:wf"], 2, ["no such file"]),
        (["examples/basics.py"], 2, ["not a target"]),
        (["examples/rich_types.py:bill", "--order", "{bad", "--unit_prices", "{}", "--issued", "2026-01-01"],
         2, ["as JSON"]),
    ],
)
def test_run_errors_are_clear_and_have_no_traceback(args: list[str], code: int, words: list[str]) -> None:
    out = flowgen("run", *args)
    assert out.returncode == code, out.stderr
    for w in words:
        assert w in out.stderr, out.stderr
    assert "Traceback" not in out.stderr


def test_failing_task_shows_the_users_traceback_not_flowgens(tmp_path) -> None:
    module = tmp_path / "failing.py"
    module.write_text(
        "from flowgen import task, workflow\n\n"
        "@task\ndef div(x: int) -> float:\n    return 1 / x\n\n"
        "@workflow\ndef wf(x: int) -> float:\n    return div(x=x)\n"
    )
    out = flowgen("run", f"{module}:wf", "--x", "0")
    assert out.returncode == 1
    assert "node n0" in out.stderr and "failing.div" in out.stderr and f"{module}:9" in out.stderr
    assert "ZeroDivisionError" in out.stderr and "return 1 / x" in out.stderr
    assert "flowgen/runtime" not in out.stderr


@pytest.mark.parametrize("executor", ["threads", "processes"])
def test_a_task_traceback_survives_other_executors(tmp_path, executor: str) -> None:
    module = tmp_path / "failing_elsewhere.py"
    module.write_text(
        "from flowgen import task, workflow\n\n"
        "@task\ndef div(x: int) -> float:\n    return 1 / x\n\n"
        "@workflow\ndef wf(x: int) -> float:\n    return div(x=x)\n"
    )
    out = flowgen("run", f"{module}:wf", "--x", "0", "--executor", executor, "--no-progress")
    assert out.returncode == 1
    assert "return 1 / x" in out.stderr and "ZeroDivisionError: division by zero" in out.stderr
    assert "flowgen/runtime" not in out.stderr and "_RemoteTraceback" not in out.stderr


def test_compile_prints_ir_and_fails_on_bad_workflows(tmp_path) -> None:
    out = flowgen("compile", "examples/dynamic_workflows.py:wf")
    assert out.returncode == 0
    assert json.loads(out.stdout)["entry"] == "dynamic_workflows.wf"
    bad = tmp_path / "bad.py"
    bad.write_text("from flowgen import task, workflow\n\n@task\ndef t() -> int:\n    return 1\n\n"
                   "@workflow\ndef wf() -> int:\n    n = t()\n    if n:\n        return n\n    return n\n")
    out = flowgen("compile", f"{bad}:wf")
    assert out.returncode == 1
    assert f"{bad}:10" in out.stderr and "Python `if`" in out.stderr


def test_module_targets_and_version(tmp_path) -> None:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "flows.py").write_text("from flowgen import task, workflow\n\n@task\ndef one() -> int:\n    return 1\n\n"
                                  "@workflow\ndef wf() -> int:\n    return one()\n")
    out = flowgen("run", "pkg.flows:wf", cwd=str(tmp_path))
    assert out.returncode == 0, out.stderr and out.stdout.strip() == "1"
    out = flowgen("run", os.path.join("pkg", "flows.py") + ":wf", cwd=str(tmp_path))
    assert out.stdout.strip() == "1"
    assert flowgen("--version").stdout.startswith("flowgen, version")
