"""flowgen.testing.secrets: the secrets tasks see in a test, in-process, in generated code and in workers."""

from __future__ import annotations

import os

import pytest

import flowgen
from flowgen.discovery import import_file
from flowgen.errors import TaskError
from flowgen.testing import SecretsManager, secrets
from flowgen.testing.generated import build_generated
from flowgen.testing.secret_env import normalise

FLOWS = '''
from flowgen import Secret, current_context, task, workflow


@task(secret_requests=[Secret(group="db", key="password"), Secret(group="api", key="token", group_version="v2")])
def credentials(n: int) -> str:
    s = current_context().secrets
    return f"{s.get('db', 'password')}/{s.get('api', 'token', group_version='v2')}/{n}"


@workflow
def login(n: int) -> str:
    return credentials(n=n)
'''

GIVEN = {"db": {"password": "hunter2"}, ("api", "token", "v2"): "t0k"}


@pytest.fixture
def flows(tmp_path, monkeypatch):
    for name in [n for n in os.environ if n.startswith("_FSEC_")]:
        monkeypatch.delenv(name)
    root = tmp_path / f"secrets_{tmp_path.name}"
    root.mkdir()
    (root / "login_flows.py").write_text(FLOWS)
    return import_file(str(root / "login_flows.py"))


def test_tasks_see_the_secrets_in_process_and_not_after(flows):
    with secrets(GIVEN) as manager:
        assert flowgen.run(flows.login, n=1) == "hunter2/t0k/1"
        assert manager.get("db", "password") == "hunter2"
        assert SecretsManager().get("api", "token", group_version="v2") == "t0k"
    with pytest.raises(TaskError, match="requests a secret that is not set"):
        flowgen.run(flows.login, n=1)
    assert not [n for n in os.environ if n.startswith("_FSEC_")]


def test_generated_code_and_worker_processes_see_them(flows):
    generated = build_generated(flows.login).function
    with secrets(GIVEN):
        assert generated(n=2) == "hunter2/t0k/2"
        assert flowgen.run(flows.login, n=3, executor="processes") == "hunter2/t0k/3"


def test_isolated_hides_other_secrets_and_restores_them(flows, monkeypatch, tmp_path):
    monkeypatch.setenv("_FSEC_DB_PASSWORD", "real")
    files = tmp_path / "etc-secrets"
    (files / "api" / "v2").mkdir(parents=True)
    (files / "api" / "v2" / "token").write_text("from-a-file")
    monkeypatch.setenv("FLYTE_SECRETS_DEFAULT_DIR", str(files))
    assert flowgen.run(flows.login, n=0) == "real/from-a-file/0"
    with secrets(db={"password": "test"}), pytest.raises(TaskError, match="group 'api', version 'v2', key 'token'"):
        flowgen.run(flows.login, n=0)
    with secrets(db={"password": "test"}, isolated=False):
        assert flowgen.run(flows.login, n=0) == "test/from-a-file/0"
    assert os.environ["_FSEC_DB_PASSWORD"] == "real"
    assert os.environ["FLYTE_SECRETS_DEFAULT_DIR"] == str(files)


def test_spellings_and_errors():
    assert normalise({"a": {"k": "1"}, ("b", "k"): "2", ("c", "k", "v"): "3", "d": "4"}) == {
        ("a", "k", None): "1", ("b", "k", None): "2", ("c", "k", "v"): "3", ("d", None, None): "4"}
    with pytest.raises(TypeError, match="a secret is a str"):
        normalise({"a": {"k": 1}})
    with pytest.raises(TypeError, match=r"is not \(group, key\)"):
        normalise({("a", "b", "c", "d"): "x"})
    with pytest.raises(ValueError, match="a group name is required"):
        normalise({"": "x"})
    with pytest.raises(TypeError, match="not a group name"):
        normalise({5: "x"})
