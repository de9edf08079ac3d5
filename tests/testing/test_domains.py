"""flowgen.testing.domain: input strategies and secrets registered from outside a workflow's source."""

from __future__ import annotations

import json
import os
import textwrap

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from flowgen.cli.main import cli
from flowgen.discovery import import_file
from flowgen.testing import WorkflowCheckFailure, check_workflow, domain, inputs
from flowgen.testing import domains as domains_module

pytest_plugins = ["pytester"]

FLOWS = '''
from flowgen import LaunchPlan, Secret, current_context, task, workflow


@task
def first_letter_index(text: str) -> int:
    return "abcdefghijklmnopqrstuvwxyz".index(text[0]) if text else -1


@workflow
def letters(text: str, n: int) -> int:
    return first_letter_index(text=text)


@task(secret_requests=[Secret(group="db", key="password")])
def password_length(n: int) -> int:
    return len(current_context().secrets.get("db", "password")) + 0 * n


@workflow
def with_secret(n: int) -> int:
    return password_length(n=n)


letters_plan = LaunchPlan.create(f"letters_plan_{abs(hash((__file__, __name__)))}", letters, default_inputs={"n": 1})
'''

DOMAINS = '''
import string

from hypothesis import strategies as st

from flowgen.testing import domain
from flows import letters, with_secret

domain(letters, text=st.text(string.ascii_lowercase, max_size=5))
domain(with_secret, secrets={"db": {"password": "hunter2"}})
'''


@pytest.fixture(autouse=True)
def fresh_registry(monkeypatch):
    monkeypatch.setattr(domains_module, "_registry", {})
    monkeypatch.setattr(domains_module, "_loaded", {})
    for name in [n for n in os.environ if n.startswith("_FSEC_")]:
        monkeypatch.delenv(name)


@pytest.fixture
def flows(tmp_path, monkeypatch):
    root = tmp_path / f"proj_{tmp_path.name}"
    (root / "sub").mkdir(parents=True)
    (root / "flows.py").write_text(FLOWS)
    monkeypatch.chdir(root)
    monkeypatch.setenv("FLOWGEN_CACHE_DIR", str(tmp_path / "cache"))
    return root, import_file(str(root / "flows.py"))


def test_registered_strategies_are_drawn_and_an_inputs_keyword_still_wins(flows):
    _, module = flows
    domain(module.letters, text=st.text("xyz", min_size=1, max_size=3), n=7)

    @settings(max_examples=30)
    @given(inputs(module.letters))
    def drawn(values):
        assert set(values["text"]) <= set("xyz") and values["text"] and values["n"] == 7

    drawn()

    @settings(max_examples=10)
    @given(inputs(module.letters, text="q"))
    def overridden(values):
        assert values == {"text": "q", "n": 7}

    overridden()
    # the launch plan of the workflow shares its domain
    assert domains_module.registered_domain(module.letters_plan).inputs.keys() == {"text", "n"}


def test_check_workflow_uses_the_domain(flows):
    _, module = flows
    with pytest.raises(WorkflowCheckFailure, match="ValueError"):
        check_workflow(module.letters, max_examples=200, generated=False, seed=0, database=None)
    domain(module.letters, text=st.text("abc", max_size=4))
    result = check_workflow(module.letters, max_examples=20, generated=True, seed=0, database=None)
    assert result.examples == 20 and result.runs == ["interpreter", "generated"]


def test_a_domain_finds_its_workflow_by_file_whatever_module_name_imported_it(flows):
    root, module = flows
    import importlib.util

    spec = importlib.util.spec_from_file_location("another_name_for_flows", root / "flows.py")
    other = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(other)
    domain(other.letters, text="abc")
    found = domains_module.registered_domain(module.letters)
    assert found is not None and set(found.inputs) == {"text"}


def test_bad_registrations_are_errors_naming_what_is_wrong(flows):
    _, module = flows
    with pytest.raises(TypeError, match=r"workflow flows.letters has no input\(s\) 'txt'; its inputs are text, n"):
        domain(module.letters, txt=st.text())
    with pytest.raises(TypeError, match="takes a @workflow or a launch plan"):
        domain(module.first_letter_index, text=st.text())
    with pytest.raises(TypeError, match="a secret is a str"):
        domain(module.with_secret, secrets={"db": {"password": 5}})


def test_domain_files_are_found_above_and_under_a_path(flows, tmp_path):
    root, _ = flows
    (root / "flowgen_domains.py").write_text("")
    (root / "sub" / "flowgen_domains.py").write_text("")
    (root / ".venv" / "lib").mkdir(parents=True)
    (root / ".venv" / "lib" / "flowgen_domains.py").write_text("raise SystemExit('never imported')")
    files = domains_module.domain_files([str(root / "sub")])
    assert files[-2:] == [str(root / "flowgen_domains.py"), str(root / "sub" / "flowgen_domains.py")]
    assert domains_module.domain_files([str(root)]) == [str(root / "flowgen_domains.py"),
                                                         str(root / "sub" / "flowgen_domains.py")]
    assert domains_module.domain_files([str(root / "flows.py")])[-2:] == files[-2:]


def test_flowgen_test_imports_the_domain_file_beside_the_workflows(flows):
    root, _ = flows
    bare = CliRunner().invoke(cli, ["test", "flows.py", "--max-examples", "200", "--seed", "0",
                                    "--no-generated", "--format", "json"])
    statuses = {r["target"]: r["status"] for r in json.loads(bare.output)["results"]}
    assert statuses["flows.py::letters"] == "failed" and statuses["flows.py::with_secret"] == "failed"
    (root / "flowgen_domains.py").write_text(DOMAINS)
    done = CliRunner().invoke(cli, ["test", ".", "--max-examples", "20", "--seed", "0", "--format", "json"])
    report = json.loads(done.output)
    assert done.exit_code == 0, done.output
    assert {r["target"] for r in report["results"]} == {"flows.py::letters", "flows.py::with_secret"}
    assert "_FSEC_DB_PASSWORD" not in os.environ  # the secrets were the check's only


def test_a_broken_domain_file_is_a_usage_error_naming_it(flows):
    root, _ = flows
    (root / "flowgen_domains.py").write_text("from flows import letters\nfrom flowgen.testing import domain\n"
                                             "domain(letters, texts='a')\n")
    done = CliRunner().invoke(cli, ["test", "flows.py"])
    assert done.exit_code == 2
    assert "flowgen_domains.py: cannot import this domain file: TypeError: domain(): workflow flows.letters has " \
           "no input(s) 'texts'" in done.output
    assert "Traceback" not in done.output


def test_domains_option_names_a_file_anywhere(flows, tmp_path):
    root, _ = flows
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "my_domains.py").write_text(textwrap.dedent(DOMAINS))
    done = CliRunner().invoke(cli, ["test", "flows.py:letters", "--domains", str(elsewhere / "my_domains.py"),
                                    "--max-examples", "20", "--seed", "0"])
    assert done.exit_code == 0, done.output
    missing = CliRunner().invoke(cli, ["test", "flows.py", "--domains", "nope.py"])
    assert missing.exit_code == 2 and "nope.py" in missing.output


def test_pytest_plugin_imports_domain_files(flows, pytester):
    root, _ = flows
    (root / "flowgen_domains.py").write_text(DOMAINS)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "--flowgen", str(root),
                                          "--flowgen-max-examples", "10", "--rootdir", str(root))
    result.assert_outcomes(passed=2)


def test_pytest_plugin_names_a_broken_domain_file(flows, pytester):
    root, _ = flows
    (root / "flowgen_domains.py").write_text("from flows import letters\nfrom flowgen.testing import domain\n"
                                             "domain(letters, texts='a')\n")
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "--flowgen", str(root), "--rootdir", str(root))
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*flowgen_domains.py: cannot import this domain file: TypeError: domain(): "
                                 "workflow flows.letters has no input(s) 'texts'*"])
