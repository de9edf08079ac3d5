"""Workflow entries of generated modules: the public function's run, other executors, ``__main__``.

:class:`Workflow` (``_W_<name>``) is what a generated workflow's public function calls:
inputs validated (``prepare_inputs``), defaults filled, the checked or fast body run
in-process, outputs packed (``pack_outputs``) -- or, on a parallel executor or with an
observer, the module's embedded IR run on the interpreter. :func:`run` and
:func:`run_outputs` pick the executor as :func:`flowgen.run` does, and :func:`main` is
``python GENERATED.py WORKFLOW --name value ...``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import flowgen.runtime.generated.switch as switch
from flowgen.errors import FlowgenError
from flowgen.ir.codec import from_json
from flowgen.ir.model import Program, WorkflowSpec
from flowgen.runtime.boundary import pack_outputs, prepare_inputs
from flowgen.runtime.failures import run_with_handler
from flowgen.runtime.gc_policy import run_scope
from flowgen.runtime.generated.data import EmbeddedProgram, interface
from flowgen.runtime.generated.switch import DEFAULT
from flowgen.runtime.interpreter import Interpreter

if TYPE_CHECKING:
    from flowgen.runtime.events import Observer
    from flowgen.runtime.executors import Executor

__all__ = ["Workflow", "main", "run", "run_outputs", "workflow_of"]

_ENTRY_ATTRIBUTE = "__flowgen_generated__"


class Workflow:
    """The entry of one generated workflow: what its public function and ``__main__`` call.

    ``program`` is the module's embedded IR (runs on parallel executors); ``function`` is
    the workflow's public function, which :func:`run` accepts in place of this entry.
    """

    def __init__(self, name: str, interface_json: str, checked: Callable[..., dict[str, Any]],
                 fast: Callable[..., dict[str, Any]], program: EmbeddedProgram | None = None,
                 function: Callable[..., Any] | None = None) -> None:
        self.name = name
        self.interface = interface(interface_json)
        self.checked = checked
        self.fast = fast
        self.program = program
        if function is not None:
            setattr(function, _ENTRY_ATTRIBUTE, self)

    def run_outputs(self, values: dict[str, Any], *, validate: bool | None = None,
                    executor: str | Executor = "inprocess", max_parallelism: int | None = None,
                    dask_address: str | None = None, observer: Observer | None = None) -> dict[str, Any]:
        """Named outputs of a run on ``values`` (a DEFAULT value means: not given).

        ``executor`` and its options are those of :func:`flowgen.run`: ``inprocess`` runs the
        generated body (checked, or fast when validation is off); any other runs the embedded
        IR on that executor. With an ``observer`` the embedded IR runs on the interpreter on
        every executor, in-process too (the generated body has no observer hooks).
        """
        given = {k: v for k, v in values.items() if v is not DEFAULT}
        if executor == "inprocess" and max_parallelism is None and dask_address is None and observer is None:
            return self._run_in_process(given, validate)  # what calling the generated function does
        from flowgen.runtime.executors import Executor, make_executor

        if isinstance(executor, Executor):
            if max_parallelism is not None or dask_address is not None:
                raise ValueError("max_parallelism and dask_address configure an executor made by name; "
                                 "set them on the executor you passed instead")
            if executor.parallel or observer is not None:
                return self._run_interpreted(given, validate, executor, observer)
        elif executor != "inprocess" or observer is not None:
            with make_executor(executor, max_parallelism=max_parallelism, dask_address=dask_address) as made:
                return self._run_interpreted(given, validate, made, observer)
        else:
            make_executor(executor, max_parallelism=max_parallelism, dask_address=dask_address)  # checks the options
        return self._run_in_process(given, validate)

    def _run_in_process(self, given: dict[str, Any], validate: bool | None) -> dict[str, Any]:
        failing = self.program.failure_handling(self.name) if self.program is not None else None
        with run_scope():
            if switch.validating() if validate is None else validate:
                inputs = prepare_inputs(self.interface, given, what=f"workflow {self.name}", deliver=False,
                                        workflow=self.name)
                body = self.checked
            else:
                for param in self.interface.inputs:
                    if param.name not in given and param.has_default:
                        given[param.name] = from_json(param.default, param.type)
                inputs, body = given, self.fast
            if failing is None:
                return body("", **inputs)
            return self._run_handling_failures(failing, body, inputs)

    def _run_handling_failures(self, spec: WorkflowSpec, body: Callable[..., dict[str, Any]],
                               inputs: dict[str, Any]) -> dict[str, Any]:
        """A workflow with ``on_failure`` or FAIL_AFTER_EXECUTABLE_NODES_COMPLETE (flowgen.runtime.failures):
        the generated body runs, and the handler after a failure; a run that keeps going after a
        failure runs the embedded IR on the interpreter (straight-line code stops at its first error)."""
        assert self.program is not None
        interpreter = Interpreter(self.program.program(self.name))
        if spec.failure_policy != "fail_immediately":
            return interpreter.run_workflow(self.name, inputs)
        return run_with_handler(spec, inputs, lambda: body("", **inputs),
                                lambda handler, values: interpreter.run_graph(handler, interpreter.program.tasks,
                                                                              values, ""))

    def _run_interpreted(self, given: dict[str, Any], validate: bool | None, executor: Executor,
                         observer: Observer | None = None) -> dict[str, Any]:
        """The embedded IR on the interpreter: parallel executors, and observed runs (progress, report)."""
        if validate is False:
            where = f"on the {executor.name} executor" if executor.parallel else "in a run with an observer"
            raise FlowgenError(
                f"validation cannot be turned off {where}: values are validated and "
                "copied wherever they cross a node boundary there",
                workflow=self.name, hint="run in-process (the default) to use the fast, unvalidated body",
            )
        if self.program is None:
            what = f"on the {executor.name} executor" if executor.parallel else "with an observer"
            raise FlowgenError(
                f"this generated module predates executor support: it cannot run workflow {self.name} {what}",
                workflow=self.name, hint="regenerate it with `flowgen build`",
            )
        inputs = prepare_inputs(self.interface, given, what=f"workflow {self.name}", deliver=False,
                                        workflow=self.name)
        with run_scope():
            return Interpreter(self.program.program(self.name), observer, executor).run_workflow(self.name, inputs)

    def ir(self) -> Program | None:
        """The workflow's IR (its embedded program with this workflow as entry), if the module embeds one."""
        return None if self.program is None else self.program.program(self.name)

    def run(self, values: dict[str, Any], **execution: Any) -> Any:
        return pack_outputs(self.interface, self.run_outputs(values, **execution))


def workflow_of(function: Any) -> Workflow:
    """The entry behind a generated workflow's public function (or the entry itself)."""
    if isinstance(function, Workflow):
        return function
    entry = getattr(function, _ENTRY_ATTRIBUTE, None)
    if not isinstance(entry, Workflow):
        raise TypeError(f"flowgen.runtime.generated.run runs a generated workflow function, not {function!r}")
    return entry


def run(function: Any, /, *, executor: str | Executor = "inprocess", max_parallelism: int | None = None,
        dask_address: str | None = None, validate: bool | None = None, **inputs: Any) -> Any:
    """Run a generated workflow on a chosen executor, as :func:`flowgen.run` runs a ``@workflow``.

    ``function`` is the workflow's function in its generated module; the result is what
    calling it returns. ``executor`` is a name (``inprocess``, ``threads``, ``processes``,
    ``dask``) or an :class:`~flowgen.runtime.executors.Executor`; one made here is started
    and shut down around the run, one passed in is left running. ``validate`` overrides
    the validation switch for this run (in-process only)::

        fg.run(mod.wf, executor="processes", max_parallelism=2, s1="Pear", s2="Earth")
    """
    entry = workflow_of(function)
    outputs = run_outputs(entry, inputs, executor=executor, max_parallelism=max_parallelism,
                          dask_address=dask_address, validate=validate)
    return pack_outputs(entry.interface, outputs)


def run_outputs(function: Any, inputs: dict[str, Any], *, executor: str | Executor = "inprocess",
                max_parallelism: int | None = None, dask_address: str | None = None,
                validate: bool | None = None) -> dict[str, Any]:
    """Like :func:`run`, with inputs as a dict and the named outputs returned."""
    return workflow_of(function).run_outputs(inputs, validate=validate, executor=executor,
                                             max_parallelism=max_parallelism, dask_address=dask_address)


# ----------------------------------------------------------------------------- __main__


def main(workflows: dict[str, Workflow], argv: list[str] | None = None, prog: str | None = None) -> None:
    """``python GENERATED.py WORKFLOW --name value ... [--json] [--inputs FILE] [--no-validate] [--executor NAME]``.

    Inputs are options parsed by their declared types and results are printed exactly as
    ``flowgen run`` does: the input, ``--inputs``/``--json`` and executor options
    (``--executor``, ``--max-parallelism``, ``--dask-address``) are those of
    :mod:`flowgen.cli.run`.
    """
    import click

    group = click.Group(
        name=prog or os.path.basename(sys.argv[0]),
        help="Run a workflow of this generated module: WORKFLOW --INPUT VALUE ... [--json]",
        context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    )
    for name, entry in workflows.items():
        group.add_command(_workflow_command(name, entry))
    group.main(args=argv, prog_name=prog or os.path.basename(sys.argv[0]), standalone_mode=True)


def _workflow_command(name: str, entry: Workflow) -> Any:
    import click

    from flowgen.cli.errors import reporting_errors
    from flowgen.cli.inputs import WorkflowCommand
    from flowgen.cli.output import print_result
    from flowgen.cli.run import (
        COMMON_OPTIONS,
        _load_inputs_file,
        apply_cache_options,
        apply_data_options,
        check_executor_options,
        input_options,
        run_observed,
    )

    params = input_options(entry.interface) + COMMON_OPTIONS + [
        click.Option(["--no-validate", "no_validate"], is_flag=True,
                     help="Skip validation and copying at node boundaries (the fast body; in-process only; "
                          "no progress bar or report)."),
    ]

    def callback(**options: Any) -> None:
        as_json = options.pop("as_json")
        inputs_file = options.pop("inputs_file")
        no_validate = options.pop("no_validate")
        report_path = options.pop("report_path")
        execution = {k: options.pop(k) for k in ("executor", "max_parallelism", "dask_address")}
        no_progress = options.pop("no_progress") or no_validate  # the fast body has no observer hooks
        check_executor_options(execution["executor"], execution["dask_address"])
        if no_validate and report_path is not None:
            raise click.UsageError("--report records the validated run: it cannot be used with --no-validate")
        apply_cache_options(options.pop("cache_dir"), options.pop("no_cache"))
        apply_data_options(options.pop("raw_data_prefix"))
        validate = False if no_validate else None
        with reporting_errors():
            values = _load_inputs_file(inputs_file, entry) if inputs_file else {}  # type: ignore[arg-type]
            values.update({k: v for k, v in options.items() if v is not None})

            def run_on(observer: Observer | None, executor: Executor) -> dict[str, Any]:
                return entry.run_outputs(values, validate=validate, executor=executor, observer=observer)

            outputs = run_observed(entry.ir, entry.name, run_on, report_path=report_path,
                                   no_progress=no_progress, **execution)
            print_result(entry.interface, outputs, as_json)

    return WorkflowCommand(name=name, params=params, callback=callback, help=f"Run workflow {entry.name}.")
