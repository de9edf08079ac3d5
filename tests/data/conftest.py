"""Runners for the data-plane tests: the interpreter on every executor, and generated code.

Each parallel executor is started once per module group (a thread pool, a process pool
of two workers, a Dask LocalCluster of two worker processes: separate processes with
separate working directories, so files move only through the store). Generated code is
built from the traced IR of ``tests/data/programs.py`` (the code generator is what is
tested here; the static front end's reading of these types is tested in tests/static).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from flowgen import __version__
from flowgen.codegen.build import generate_for_source
from flowgen.dsl.entities import Workflow
from flowgen.ir.model import Program
from flowgen.runtime import generated
from flowgen.runtime.api import run as run_on
from flowgen.runtime.executors import Executor, make_executor

Runner = Callable[..., Any]
EXECUTORS = ["inprocess", "threads", "processes", "dask", "generated"]
_SIZES = {"threads": 4, "processes": 2, "dask": 2}


def traced_programs(path: str) -> list[Program]:
    """The traced IR of every workflow in the importable module at ``path``."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    module_name = os.path.relpath(os.path.abspath(path), root)[:-3].replace(os.sep, ".")
    module = importlib.import_module(module_name)
    return [v.compile_program() for v in vars(module).values()
            if isinstance(v, Workflow) and v.function.startswith(module_name + ":")]


class Executors:
    def __init__(self) -> None:
        self.started: dict[str, Executor] = {}
        self.generated: Any = None

    def executor(self, name: str) -> Executor:
        if name not in self.started:
            executor = make_executor(name, max_parallelism=_SIZES.get(name))
            executor.start()
            self.started[name] = executor
        return self.started[name]

    def generated_module(self, out_dir: str) -> Any:
        if self.generated is None:
            source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "programs.py")
            built = generate_for_source(source, out_dir, traced_programs, __version__)
            assert built is not None
            out, text = built
            os.makedirs(os.path.dirname(out), exist_ok=True)
            with open(out, "w", encoding="utf-8") as f:
                f.write(text)
            spec = importlib.util.spec_from_file_location("_data_programs_generated", out)
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            sys.modules["_data_programs_generated"] = module
            spec.loader.exec_module(module)
            self.generated = module
        return self.generated


@pytest.fixture(scope="package")
def executors(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Executors]:
    made = Executors()
    made.out_dir = str(tmp_path_factory.mktemp("generated"))  # type: ignore[attr-defined]
    yield made
    for executor in made.started.values():
        executor.shutdown()


def runner_for(name: str, executors: Executors) -> Runner:
    if name == "generated":
        module = executors.generated_module(executors.out_dir)  # type: ignore[attr-defined]
        return lambda wf, **inputs: generated.run(getattr(module, wf.function.partition(":")[2]), **inputs)
    if name == "inprocess":
        return lambda wf, **inputs: run_on(wf, **inputs)
    executor = executors.executor(name)
    return lambda wf, **inputs: run_on(wf, executor=executor, **inputs)


@pytest.fixture(params=EXECUTORS)
def run(request: pytest.FixtureRequest, executors: Executors) -> Runner:
    return runner_for(request.param, executors)


@pytest.fixture(autouse=True)
def _default_store_after_each_test() -> Iterator[None]:
    """A test that sets the store (``--raw-data-prefix`` through CliRunner) leaves it as it found it."""
    from flowgen.data import store

    yield
    store.set_raw_data_prefix(None)
