"""The executors the conformance suite runs on, one instance each for the whole session.

Every test that takes the ``run`` fixture runs once per entry of ``EXECUTORS``;
``run(workflow, **inputs)`` returns what ``workflow(**inputs)`` returns in-process.
Each parallel executor is started once (a thread pool, a process pool, a real
Dask ``LocalCluster`` of two worker processes) and shut down at the end of the
session. A new back end (generated modules, say) joins the suite by adding a
runner here.

Generated code joins as two runners: ``generated`` builds the module of the
workflow's source file statically (as ``flowgen build`` does: the static front end
and the emitter; once per source, into a session temporary directory) and calls
its generated function in-process (the straight-line body, validation on);
``generated-threads`` runs the same generated workflow on the session's thread
executor (its embedded IR on the parallel driver). A workflow defined inside a
function has no source module to build: that case runs on ``run_interpreted``, the
interpreter's executors only, and a test asserts that building it is refused clearly.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest

from flowgen import __version__
from flowgen.codegen.build import generate_for_source
from flowgen.ir.model import Program
from flowgen.runtime import generated
from flowgen.runtime.api import run as run_on
from flowgen.runtime.executors import Executor, make_executor
from flowgen.static import compile_file

Runner = Callable[..., Any]

INTERPRETER_EXECUTORS = ["inprocess", "threads", "processes", "dask"]
EXECUTORS = [*INTERPRETER_EXECUTORS, "generated", "generated-threads"]
_SIZES = {"threads": 4, "processes": 2, "dask": 2}
_started: dict[str, Executor] = {}


def started_executor(name: str) -> Executor:
    """The session's executor of that name, started on first use."""
    executor = _started.get(name)
    if executor is None:
        executor = make_executor(name, max_parallelism=_SIZES.get(name))
        executor.start()
        _started[name] = executor
    return executor


@pytest.fixture(scope="session", autouse=True)
def _shutdown_executors() -> Iterator[None]:
    yield
    for executor in _started.values():
        executor.shutdown()
    _started.clear()


def _static_programs(path: str) -> list[Program]:
    """What ``flowgen build`` compiles a source file to, by the static front end only."""
    result = compile_file(path)
    result.raise_if_declined()
    return list(result.programs.values())


class GeneratedModules:
    """Generated modules of workflow sources, built statically on first use and imported by path."""

    def __init__(self, out_dir: str) -> None:
        self.out_dir = out_dir
        self._modules: dict[str, ModuleType] = {}

    def function(self, wf: Any) -> Callable[..., Any]:
        """The generated function of ``wf`` (a @workflow of an importable module)."""
        module_name, _, qualname = wf.function.partition(":")
        if "<locals>" in qualname:
            raise LookupError(f"workflow {wf.name} is defined inside a function: there is no source module "
                              "for `flowgen build` to generate code from")
        source = os.path.abspath(sys.modules[module_name].__file__ or "")
        module = self._modules.get(source)
        if module is None:
            built = generate_for_source(source, self.out_dir, _static_programs, __version__)
            assert built is not None, f"{source} defines no workflow"
            out, text = built
            os.makedirs(os.path.dirname(out), exist_ok=True)
            with open(out, "w", encoding="utf-8") as f:
                f.write(text)
            name = f"_conformance_generated_{len(self._modules)}"
            spec = importlib.util.spec_from_file_location(name, out)
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            spec.loader.exec_module(module)
            self._modules[source] = module
        function: Callable[..., Any] = getattr(module, qualname)
        return function


@pytest.fixture(scope="session")
def generated_modules(tmp_path_factory: pytest.TempPathFactory) -> GeneratedModules:
    return GeneratedModules(str(tmp_path_factory.mktemp("generated")))


@pytest.fixture(params=INTERPRETER_EXECUTORS)
def run_interpreted(request: pytest.FixtureRequest) -> Runner:
    """Like ``run``, on the interpreter's executors only (for workflows no source file holds)."""
    return _runner(request)


@pytest.fixture(params=EXECUTORS)
def run(request: pytest.FixtureRequest) -> Runner:
    return _runner(request)


def _runner(request: pytest.FixtureRequest) -> Runner:
    name = request.param
    if name.startswith("generated"):
        modules: GeneratedModules = request.getfixturevalue("generated_modules")
        on: str | Executor = started_executor("threads") if name == "generated-threads" else "inprocess"
        return lambda wf, **inputs: generated.run(modules.function(wf), executor=on, **inputs)
    if name == "inprocess":
        return lambda wf, **inputs: run_on(wf, executor="inprocess", **inputs)
    executor = started_executor(name)
    return lambda wf, **inputs: run_on(wf, executor=executor, **inputs)
