"""@eager (issue 12, item 5): awaited tasks are nodes, in parallel under asyncio.gather on parallel executors."""

import asyncio
import threading
import time
from types import ModuleType
from typing import Any

import pytest

import flowgen
from flowgen import CompileError, DefinitionError, InputValidationError, TaskError, eager, task, workflow
from tests.core.test_flyte_api_semantics import load_flyte_program

EXECUTORS = ["inprocess", "threads", "processes"]


@pytest.fixture(scope="module")
def program(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return load_flyte_program("eager_workflows", str(tmp_path_factory.mktemp("programs")))


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, str, str]] = []
        self.added = 0
        self._lock = threading.Lock()

    def node_started(self, path: str, node: Any, **_: Any) -> None:
        with self._lock:
            self.events.append(("start", path, node.task))

    def node_finished(self, path: str, node: Any, status: str, duration: float, **facts: Any) -> None:
        with self._lock:
            self.events.append((status, path, node.task))

    def nodes_added(self, parent: str, count: int) -> None:
        self.added += count


@pytest.mark.parametrize("executor", EXECUTORS)
def test_eager_programs_on_every_executor(program: ModuleType, executor: str) -> None:
    for wf_name, inputs, expected in program.CASES:
        assert flowgen.run(getattr(program, wf_name), executor=executor, **inputs) == expected, wf_name


@pytest.mark.parametrize("executor", EXECUTORS)
def test_every_awaited_task_is_a_node(program: ModuleType, executor: str) -> None:
    seen = Recorder()
    assert flowgen.run(program.outer, executor=executor, observer=seen, x=3) == 10
    finished = [(status, path) for status, path, _ in seen.events if status != "start"]
    assert finished == [("succeeded", "n0.n0"), ("succeeded", "n1")]  # the nested eager's task, then add_one
    assert seen.added == 2
    assert seen.events[0] == ("start", "n0.n0", program.flaky_square.name)  # retried twice, one node


def test_validation_and_errors_name_the_node(program: ModuleType) -> None:
    with pytest.raises(InputValidationError, match="input 'x'"):
        program.simple(x="a")

    @eager
    async def bad(x: int) -> int:
        return await program.double(x=str(x))  # type: ignore[arg-type]

    with pytest.raises(InputValidationError) as info:
        bad(x=1)
    assert info.value.node == "n0" and "expected int" in str(info.value)

    @task
    def boom(x: int) -> int:
        raise ValueError("no")

    @eager
    async def fails(x: int) -> int:
        try:
            return await boom(x=x)
        except TaskError:  # an awaited failure is an exception the body may handle
            return -1

    assert fails(x=1) == -1

    @eager
    async def returns_wrong(x: int) -> int:
        return "x"  # type: ignore[return-value]

    with pytest.raises(flowgen.OutputValidationError):
        returns_wrong(x=1)


def test_gathered_tasks_run_in_parallel_on_threads() -> None:
    barrier = threading.Barrier(3, timeout=20)

    @task
    def meet(x: int) -> int:
        barrier.wait()  # returns only when all three run at once
        return x

    @eager
    async def together() -> int:
        values = await asyncio.gather(meet(x=1), meet(x=2), meet(x=3))
        return sum(values)

    started = time.perf_counter()
    assert flowgen.run(together, executor="threads", max_parallelism=3) == 6
    assert time.perf_counter() - started < 20


def test_cached_tasks_are_served_from_the_cache() -> None:
    calls: list[int] = []

    @task(cache=True, cache_version="eager-1")
    def slow(x: int) -> int:
        calls.append(x)
        return x + 100

    @eager
    async def twice(x: int) -> int:
        a = await slow(x=x)
        b = await slow(x=x)
        return a + b

    seen = Recorder()
    assert flowgen.run(twice, observer=seen, x=7) == 214
    assert calls == [7]
    assert [status for status, _, _ in seen.events if status != "start"] == ["succeeded", "cached"]


def test_eager_definition_errors() -> None:
    with pytest.raises(DefinitionError, match="async def"):
        @eager
        def not_async(x: int) -> int:
            return x

    @eager
    async def e(x: int) -> int:
        return x

    @workflow
    def wf(x: int) -> int:
        return e(x=x)  # type: ignore[return-value]

    with pytest.raises(CompileError, match="inside a @workflow"):
        wf(x=1)


def test_eager_inside_a_running_event_loop() -> None:
    @eager
    async def e(x: int) -> int:
        return await double_task(x=x)

    async def main() -> int:
        return e(x=4)  # type: ignore[no-any-return]

    assert asyncio.run(main()) == 8


@task
def double_task(x: int) -> int:
    return 2 * x


def test_mypy_treats_an_eager_body_as_plain_typed_python(program: ModuleType, tmp_path) -> None:
    from tests.mypy.harness import DEFAULT_CONFIG, run_mypy

    source = open(program.__file__).read() + '''

@eager
async def typed(x: int) -> str:
    y = await add_one(x="no")
    return y


reveal_type(simple(x=1))
'''
    path = tmp_path / "eager_typed.py"
    path.write_text(source)
    _, output = run_mypy([path], tmp_path / "cache", config=DEFAULT_CONFIG)
    lines = [line.split(": ", 1)[1] for line in output.splitlines() if ": " in line]
    assert lines == [
        'error: Argument "x" to "add_one" has incompatible type "str"; expected "int"  [arg-type]',
        'error: Incompatible return value type (got "int", expected "str")  [return-value]',
        'note: Revealed type is "int"',
    ], output


def test_flowgen_run_runs_an_eager_workflow() -> None:
    import os
    import subprocess
    import sys

    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    command = [sys.executable, "-m", "flowgen", "run", "examples/flyte/eager.py:process", "--xs", "[5, 6, 7]"]
    for extra in ([], ["--executor", "threads"]):
        done = subprocess.run([*command, *extra], cwd=root, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "55"
    done = subprocess.run([*command, "--report", os.devnull], cwd=root, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2 and "--report needs the workflow's IR" in done.stderr and "Traceback" not in done.stderr
