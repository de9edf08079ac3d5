"""The run-time compile hook of a workflow that ``flowgen build`` could not compile statically.

``flowgen build`` never imports the user's code. A workflow whose body is outside the
static subset (an FG401 finding, e.g. a call into a plain helper function) is still
built: its public function in the generated module is backed by a
:class:`DeferredWorkflow` instead of generated bodies. Like the ``@dynamic`` hook
(:class:`flowgen.runtime.generated.DynamicNode`), it runs the tracing front end when
the generated module *runs*, not when it is built:

1. on the first run it imports the workflow's module (the generated module already
   put the source root on ``sys.path`` and checked the sources' hashes), traces the
   workflow with Promise inputs (``Workflow.compile_program``) and keeps the Program;
2. every run validates the inputs against the interface the build read statically
   and runs the traced Program on the interpreter, on the executor asked for.

There is no fast body: a run with validation off (``FLOWGEN_VALIDATE=0``,
``--no-validate``) runs validated, as the interpreter always does. ``reason`` is the
FG401 finding that made the build defer the workflow; errors name it.
"""

from __future__ import annotations

import importlib
import threading
from typing import TYPE_CHECKING, Any

from flowgen.errors import CompileError, FlowgenError
from flowgen.ir.model import Program
from flowgen.runtime.boundary import prepare_inputs
from flowgen.runtime.gc_policy import run_scope
from flowgen.runtime.generated import DEFAULT, Workflow
from flowgen.runtime.interpreter import Interpreter

if TYPE_CHECKING:
    from collections.abc import Callable

    from flowgen.runtime.events import Observer
    from flowgen.runtime.executors import Executor

__all__ = ["DeferredWorkflow", "deferred_workflow"]


def _no_body(*_args: Any, **_kwargs: Any) -> dict[str, Any]:  # pragma: no cover - never called
    raise AssertionError("a deferred workflow has no generated body")


class DeferredWorkflow(Workflow):
    """A generated module's entry for a workflow traced at run time (see the module docstring)."""

    def __init__(self, name: str, function: str, interface_json: str, reason: str,
                 public: Callable[..., Any] | None = None) -> None:
        super().__init__(name, interface_json, _no_body, _no_body, None, public)
        self.function = function
        self.reason = reason
        self._program: Program | None = None
        self._lock = threading.Lock()

    def ir(self) -> Program:
        """The workflow's Program, traced on first use from its module (imported then, not at build)."""
        with self._lock:
            if self._program is None:
                self._program = self._trace()
            return self._program

    def _trace(self) -> Program:
        module_name, _, qualname = self.function.partition(":")
        module = importlib.import_module(module_name)
        target: Any = module
        for part in qualname.split("."):
            target = getattr(target, part, None)
        compile_program = getattr(target, "compile_program", None)
        if compile_program is None:
            raise CompileError(f"workflow {self.name}: {self.function} is no longer a @workflow",
                               workflow=self.name, hint="regenerate the module with `flowgen build`")
        program = compile_program()
        if not isinstance(program, Program):  # pragma: no cover - compile_program always returns one
            raise CompileError(f"workflow {self.name}: tracing gave no Program", workflow=self.name)
        traced = program.workflows[program.entry].interface
        if traced != self.interface:
            raise CompileError(f"workflow {self.name}: its traced interface differs from the one it was built "
                               "with", workflow=self.name, hint="regenerate the module with `flowgen build`")
        return program

    def run_outputs(self, values: dict[str, Any], *, validate: bool | None = None,
                    executor: str | Executor = "inprocess", max_parallelism: int | None = None,
                    dask_address: str | None = None, observer: Observer | None = None) -> dict[str, Any]:
        from flowgen.runtime.executors import Executor, make_executor

        given = {k: v for k, v in values.items() if v is not DEFAULT}
        program = self.ir()
        inputs = prepare_inputs(self.interface, given, what=f"workflow {self.name}", deliver=False,
                                workflow=self.name)
        entry = program.entry
        if isinstance(executor, Executor):
            if max_parallelism is not None or dask_address is not None:
                raise ValueError("max_parallelism and dask_address configure an executor made by name; "
                                 "set them on the executor you passed instead")
            with run_scope():
                return Interpreter(program, observer, executor).run_workflow(entry, inputs)
        with make_executor(executor, max_parallelism=max_parallelism, dask_address=dask_address) as made, \
                run_scope():
            return Interpreter(program, observer, made).run_workflow(entry, inputs)


def deferred_workflow(name: str, function: str, interface_json: str, reason: str,
                      public: Callable[..., Any] | None = None) -> DeferredWorkflow:
    """``_W_wf = _m_deferred.deferred_workflow("mod.wf", "mod:wf", "{...}", "FG401 ...", wf)``."""
    if not reason:
        raise FlowgenError(f"workflow {name}: a deferred workflow names why it was deferred")
    return DeferredWorkflow(name, function, interface_json, reason, public)
