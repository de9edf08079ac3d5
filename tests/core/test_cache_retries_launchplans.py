"""Caching (counted, not timed), corrupt caches, retries, timeouts, launch plans, resume after failure."""

import datetime
import os
import sqlite3
import subprocess
import sys
import time
import warnings

import launch_plans
import pytest

from flowgen import (
    Cache,
    DefinitionError,
    InputValidationError,
    LaunchPlan,
    TaskError,
    TaskTimeoutError,
    conditional,
    task,
    workflow,
)
from flowgen.runtime import cache as cache_module
from flowgen.tracing.builder import current_builder
from tests.conftest import ROOT

CALLS: dict[str, int] = {}


def counted(name: str) -> None:
    CALLS[name] = CALLS.get(name, 0) + 1


@pytest.fixture(autouse=True)
def fresh_cache(tmp_path):
    cache_module.set_cache_dir(str(tmp_path / "cache"))
    CALLS.clear()
    yield tmp_path / "cache"
    cache_module.set_cache_dir(None)


def make_pipeline(version: str = "1"):
    @task(cache=True, cache_version=version, name="test.load")
    def load(n: int) -> list[int]:
        counted("load")
        return list(range(n))

    @task(cache=Cache(version="1", ignored_inputs=("label",)), name="test.total")
    def total(xs: list[int], label: str) -> int:
        counted("total")
        return sum(xs)

    @task(name="test.show")
    def show(t: int) -> str:
        counted("show")
        return f"t={t}"

    @workflow
    def wf(n: int, label: str = "a") -> str:
        return show(t=total(xs=load(n=n), label=label))

    return wf


def test_rerun_executes_no_cached_task() -> None:
    wf = make_pipeline()
    assert wf(n=3) == "t=3"
    assert CALLS == {"load": 1, "total": 1, "show": 1}
    assert wf(n=3, label="ignored") == "t=3"
    assert CALLS == {"load": 1, "total": 1, "show": 2}  # only the uncached task ran again


def test_changing_an_input_or_the_version_reexecutes_exactly_the_affected_tasks() -> None:
    assert make_pipeline()(n=3) == "t=3"
    CALLS.clear()
    assert make_pipeline()(n=4) == "t=6"
    assert CALLS == {"load": 1, "total": 1, "show": 1}
    CALLS.clear()
    assert make_pipeline(version="2")(n=3) == "t=3"
    assert CALLS == {"load": 1, "show": 1}  # total's inputs are the same list: still cached


@pytest.mark.parametrize("damage", ["truncate", "garbage"])
def test_a_corrupt_cache_warns_and_recomputes(fresh_cache, damage: str) -> None:
    wf = make_pipeline()
    assert wf(n=3) == "t=3"
    path = fresh_cache / "cache.sqlite"
    # Close this thread's connection so the damage is seen, then damage the file.
    cache_module._stores.clear()
    for suffix in ("-wal", "-shm"):
        if os.path.exists(str(path) + suffix):
            os.remove(str(path) + suffix)
    if damage == "truncate":
        with open(path, "r+b") as f:
            f.truncate(100)
    else:
        path.write_bytes(os.urandom(4096))
    CALLS.clear()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert wf(n=3) == "t=3"
    assert CALLS["load"] == 1
    assert any(issubclass(w.category, cache_module.CacheWarning) for w in caught)
    assert any(p.name.startswith("cache.sqlite.corrupt-") for p in fresh_cache.iterdir())
    CALLS.clear()
    assert wf(n=3) == "t=3" and "load" not in CALLS  # the new cache works


def test_a_row_that_does_not_decode_is_recomputed(fresh_cache) -> None:
    wf = make_pipeline()
    wf(n=2)
    conn = sqlite3.connect(fresh_cache / "cache.sqlite")
    conn.execute("UPDATE entries SET outputs = '{\"o0\": \"not a list\"}' WHERE task = 'test.load'")
    conn.commit()
    conn.close()
    CALLS.clear()
    with pytest.warns(cache_module.CacheWarning, match="does not decode"):
        assert wf(n=2) == "t=1"
    assert CALLS["load"] == 1


def test_failure_keeps_finished_results_and_a_rerun_resumes_from_the_cache() -> None:
    broken = {"on": True}

    @task(cache=True, cache_version="1", name="test.step1")
    def step1(x: int) -> int:
        counted("step1")
        return x + 1

    @task(name="test.step2")
    def step2(x: int) -> int:
        counted("step2")
        if broken["on"]:
            raise RuntimeError("bug")
        return x * 2

    @workflow
    def wf(x: int) -> int:
        return step2(x=step1(x=x))

    with pytest.raises(TaskError):
        wf(x=1)
    broken["on"] = False
    assert wf(x=1) == 4
    assert CALLS == {"step1": 1, "step2": 2}


def test_cache_is_shared_across_processes(fresh_cache) -> None:
    code = (
        "import sys; sys.path.insert(0, 'examples'); import caching;"
        "print(caching.report(n=4))"
    )
    env = {**os.environ, "FLOWGEN_CACHE_DIR": str(fresh_cache)}
    procs = [subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
             for _ in range(3)]
    outs = [p.communicate()[0].strip() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert outs == ["total=14 seed=0"] * 3
    listing = subprocess.run([sys.executable, "-m", "flowgen", "cache", "list", "--cache-dir", str(fresh_cache)],
                             capture_output=True, text=True, cwd=ROOT)
    assert "caching.expensive" in listing.stdout and "caching.summarize" in listing.stdout
    cleared = subprocess.run([sys.executable, "-m", "flowgen", "cache", "clear", "expensive", "--cache-dir",
                              str(fresh_cache)], capture_output=True, text=True, cwd=ROOT)
    assert "removed 1 entry" in cleared.stdout


def test_run_reports_cache_hits(fresh_cache) -> None:
    args = [sys.executable, "-m", "flowgen", "run", "examples/caching.py:report", "--n", "3",
            "--cache-dir", str(fresh_cache)]
    first = subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
    second = subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
    assert first.stdout == second.stdout == "total=5 seed=0\n"
    assert "served from the cache" not in first.stderr
    assert "served from the cache: 2 node(s): n0, n1" in second.stderr


def test_retries_count_attempts_and_do_not_retry_validation_errors() -> None:
    attempts = {"n": 0}

    @task(retries=2)
    def flaky(x: int) -> int:
        attempts["n"] += 1
        if attempts["n"] < 3:
            raise ConnectionError("transient")
        return x

    assert flaky(x=5) == 5 and attempts["n"] == 3
    attempts["n"] = -10

    with pytest.raises(TaskError, match="after 3 attempts: ConnectionError") as info:
        flaky(x=1)
    assert info.value.attempts == 3

    @task(retries=3)
    def bad(x: int) -> int:
        counted("bad")
        return "x"  # type: ignore[return-value]

    with pytest.raises(Exception, match="bad value"):
        bad(x=1)
    assert CALLS["bad"] == 1


def test_timeout_fails_the_node_without_hanging() -> None:
    @task(timeout=datetime.timedelta(milliseconds=200))
    def sleepy(seconds: float) -> float:
        time.sleep(seconds)
        return seconds

    @workflow
    def wf(seconds: float) -> float:
        return sleepy(seconds=seconds)

    assert wf(seconds=0.0) == 0.0
    started = time.monotonic()
    with pytest.raises(TaskTimeoutError, match=r"timed out after 0\.2 s") as info:
        wf(seconds=5.0)
    assert time.monotonic() - started < 4.0
    assert info.value.node == "n0" and info.value.task is not None and "sleepy" in info.value.task
    def instant() -> None:
        return None

    with pytest.raises(DefinitionError, match="timeout must be"):
        task(timeout="soon")(instant)


def test_launch_plans() -> None:
    assert launch_plans.excited(name="Ada") == "Hello, Ada!"
    assert launch_plans.for_world() == "Hello, world."
    assert launch_plans.loud_greeting(name="Ada") == "HELLO, ADA!"
    node = launch_plans.loud_greeting.compile_program().root.nodes[0]
    assert node.kind == "workflow" and node.launch_plan == "excited" and set(node.inputs) == {"name", "punctuation"}
    assert LaunchPlan.get_or_create(launch_plans.greeting, name="excited",
                                    fixed_inputs={"punctuation": "!"}) is launch_plans.excited
    with pytest.raises(DefinitionError, match="already exists"):
        LaunchPlan.get_or_create(launch_plans.greeting, name="excited", fixed_inputs={"punctuation": "?"})
    with pytest.raises(InputValidationError, match="are fixed"):
        launch_plans.excited(name="x", punctuation="?")
    with pytest.raises(DefinitionError, match="not an input"):
        LaunchPlan.create("bad", launch_plans.greeting, default_inputs={"nope": 1})
    default = LaunchPlan.get_default_launch_plan(None, launch_plans.greeting)
    assert default(name="Cy") == "Hello, Cy."


def test_a_failed_compile_leaves_no_builder_behind() -> None:
    @task
    def one() -> int:
        return 1

    def broken(n: int) -> int:
        return conditional("c").if_(n > 1).then(one() + 1).else_().then(one())

    with pytest.raises(Exception):
        workflow(broken).compile_program()
    assert current_builder() is None


def test_an_unusable_cache_directory_warns_and_runs_without_it(tmp_path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory should be")
    cache_module.set_cache_dir(str(blocker / "cache"))
    wf = make_pipeline()
    with pytest.warns(cache_module.CacheWarning, match="cannot be used"):
        assert wf(n=3) == "t=3"
    assert wf(n=3) == "t=3"
    assert CALLS == {"load": 2, "total": 2, "show": 2}
