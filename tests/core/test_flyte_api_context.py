"""``current_context()`` and secrets (issue 12, items 2 and 3) on every executor and in generated code."""

import os
from types import ModuleType

import pytest

import flowgen
from flowgen import TaskError
from tests.core.test_flyte_api_semantics import load_flyte_program

EXECUTORS = ["inprocess", "threads", "processes"]
TOKEN = "s3cr3t-value-123"


@pytest.fixture(scope="module")
def program(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return load_flyte_program("context_and_secrets", str(tmp_path_factory.mktemp("programs")))


@pytest.fixture
def token_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_FSEC_API_TOKEN", TOKEN)


@pytest.mark.parametrize("executor", EXECUTORS)
def test_context_values_are_the_same_on_every_executor(program: ModuleType, executor: str) -> None:
    first, second = flowgen.run(program.ids, executor=executor)
    assert first == second  # one execution per run, whichever worker ran the task
    name, project, domain, task = first.split("|")
    assert name.startswith("f") and len(name) == 20
    assert (project, domain) == ("flowgen", "local")
    assert task == f"{program.__name__}.whoami"
    again = flowgen.run(program.ids, executor=executor)[0]
    assert again.split("|")[0] != name  # a new run is a new execution


@pytest.mark.parametrize("executor", EXECUTORS)
def test_working_directory_and_checkpoint_survive_retries(program: ModuleType, executor: str) -> None:
    assert flowgen.run(program.scratch_wf, executor=executor, text="hi") == "HI"
    assert flowgen.run(program.resume, executor=executor, n=3) == 3
    with pytest.raises(TaskError, match="interrupted after 4") as info:
        flowgen.run(program.resume, executor=executor, n=9)
    assert info.value.attempts == 4


@pytest.mark.parametrize("executor", EXECUTORS)
def test_secret_from_environment(program: ModuleType, executor: str, token_env: None) -> None:
    assert flowgen.run(program.token, executor=executor) == len(TOKEN)


def test_secret_from_a_file(program: ModuleType, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("_FSEC_API_TOKEN", raising=False)
    monkeypatch.setenv("FLYTE_SECRETS_DEFAULT_DIR", str(tmp_path))
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "token").write_text(TOKEN + "\n")
    assert program.token() == len(TOKEN)
    ctx_manager = flowgen.current_context().secrets
    assert ctx_manager.get_secrets_file("API", "Token") == str(tmp_path / "api" / "token")
    assert ctx_manager.get_secrets_env_var("api", "token") == "_FSEC_API_TOKEN"


@pytest.mark.parametrize("executor", EXECUTORS)
def test_a_missing_secret_fails_before_the_task_runs(program: ModuleType, executor: str,
                                                     monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.delenv("_FSEC_API_TOKEN", raising=False)
    monkeypatch.setenv("FLYTE_SECRETS_DEFAULT_DIR", str(tmp_path))
    with pytest.raises(TaskError) as info:
        flowgen.run(program.token, executor=executor)
    text = str(info.value)
    assert "group 'api', key 'token'" in text and "_FSEC_API_TOKEN" in text and "did not run" in text
    assert info.value.task == program.token_length.name and info.value.node == "n0"


@pytest.mark.parametrize("executor", EXECUTORS)
def test_secret_values_never_appear_in_errors(program: ModuleType, executor: str, token_env: None) -> None:
    with pytest.raises(TaskError) as info:
        flowgen.run(program.leak, executor=executor, fail=True)
    err = info.value
    assert "the server refused ***" in str(err)
    assert TOKEN not in str(err) and TOKEN not in err.task_traceback and TOKEN not in repr(err.args)
    # the user's exception holds the value: it is not chained (a process pool chains its own, redacted, text)
    assert err.__cause__ is None or (TOKEN not in str(err.__cause__) and "ValueError" not in type(err.__cause__).__name__)
    assert TOKEN not in repr(flowgen.Secret(group="api", key="token"))


def test_definition_errors_for_bad_secret_requests() -> None:
    with pytest.raises(flowgen.DefinitionError, match="list of Secret"):
        @flowgen.task(secret_requests="api")
        def f() -> None: ...

    with pytest.raises(flowgen.DefinitionError, match="needs a group"):
        @flowgen.task(secret_requests=[flowgen.Secret(key="x")])
        def g() -> None: ...


def test_context_outside_a_task() -> None:
    ctx = flowgen.current_context()
    assert ctx.task_id is None and ctx.checkpoint is None
    assert os.path.isdir(ctx.working_directory)
    assert ctx.raw_output_prefix


def test_generated_code_sees_the_same_context(program: ModuleType, tmp_path, token_env: None) -> None:
    from tests.codegen.helpers import generate, load

    out, _ = generate(program.__file__, str(tmp_path / "gen"))
    generated = load(out)
    assert generated.resume(n=3) == 3
    assert generated.token() == len(TOKEN)
    first, second = generated.ids()
    assert first == second and first.split("|")[3] == f"{program.__name__}.whoami"
    with pytest.raises(TaskError) as info:
        generated.leak(fail=True)
    assert TOKEN not in str(info.value)


@pytest.mark.slow
def test_context_and_secrets_on_dask(program: ModuleType, token_env: None) -> None:
    from flowgen.runtime.executors.dask import DaskExecutor

    with DaskExecutor(2) as ex:
        first, second = flowgen.run(program.ids, executor=ex)
        assert first == second and first.split("|")[3] == f"{program.__name__}.whoami"
        assert flowgen.run(program.resume, executor=ex, n=3) == 3
        assert flowgen.run(program.token, executor=ex) == len(TOKEN)
        with pytest.raises(TaskError) as info:
            flowgen.run(program.leak, executor=ex, fail=True)
        assert TOKEN not in str(info.value)
