"""``flowgen run FILE.py:WORKFLOW --input value ...``: run a workflow, pyflyte-style.

The workflow's inputs become options of their own (``flowgen run FILE.py:wf --help``
lists them with types and defaults). Values come from the command line, parsed by
declared type, or from ``--inputs FILE.json``; the command line wins.

Start-up: this module is imported for ``flowgen run --help`` as much as for a run, so its top
level holds only the command and its options. The IR, the DSL, the interpreter and the input
parsers are imported inside the functions that use them, once a target is given
(``tests/cli/test_startup_imports.py`` pins which modules ``run --help`` leaves unloaded).
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

import click

from flowgen.cli import startup
from flowgen.cli.errors import reporting_errors
from flowgen.errors import InputValidationError
from flowgen.runtime.executors import EXECUTOR_NAMES, make_executor

if TYPE_CHECKING:
    from flowgen.dsl.eager import Eager
    from flowgen.dsl.entities import Workflow
    from flowgen.ir.model import Interface, Program
    from flowgen.runtime.events import Observer
    from flowgen.runtime.executors import Executor
    from flowgen.runtime.progress import RunProgress

__all__ = [
    "COMMON_OPTIONS",
    "EXECUTOR_OPTIONS",
    "INPUT_OPTIONS",
    "apply_cache_options",
    "check_executor_options",
    "input_options",
    "run",
    "run_interpreted",
    "run_observed",
]

RUN_HELP = """Run a workflow: flowgen run FILE.py:WORKFLOW [--INPUT VALUE ...] [OPTIONS]

\b
TARGET is FILE.py:WORKFLOW or package.module:WORKFLOW. Each workflow input is an
option named after it; values are parsed by the input's declared type (JSON for
lists, dicts, dataclasses and models; member names or values for enums).
`flowgen run FILE.py:WORKFLOW --help` lists the inputs, their types and defaults.

\b
Examples:
  flowgen run examples/dynamic_workflows.py:wf --s1 Pear --s2 Earth
  flowgen run examples/dynamic_workflows.py:wf --inputs inputs.json --json
  flowgen run examples/dynamic_workflows.py:wf --s1 Pear --s2 Earth --executor dask

\b
Executors: inprocess (default), threads, processes, dask (a local cluster for the
run, or --dask-address HOST:PORT of a running scheduler). On a terminal, runs
longer than a second show a progress bar and end with a summary; Ctrl-C cancels
running work, keeps what finished (cached results stay) and exits 130.
"""

INPUT_OPTIONS = [
    click.Option(["--inputs", "inputs_file"], type=click.Path(dir_okay=False),
                 help="JSON file with an object of input values (command-line values override it)."),
    click.Option(["--json", "as_json"], is_flag=True,
                 help="Print the result as JSON: a single output's value, or an object of named outputs."),
]
"""Where inputs come from and how the result prints (generated modules' scripts share these)."""

EXECUTOR_OPTIONS = [
    click.Option(["--executor"], type=click.Choice(EXECUTOR_NAMES), default="inprocess", show_default=True,
                 help="Where tasks run: in this process, on threads, in worker processes, or on Dask."),
    click.Option(["--max-parallelism"], type=click.IntRange(min=1), default=None,
                 help="At most this many tasks at once (default: threads min(32, CPUs+4); processes and "
                      "dask: CPUs)."),
    click.Option(["--dask-address"], default=None,
                 help="Address of a running Dask scheduler (with --executor dask; default: a local cluster)."),
]
"""How an executor is selected (generated modules' scripts share these)."""

COMMON_OPTIONS = [
    *INPUT_OPTIONS,
    click.Option(["--cache-dir"], type=click.Path(file_okay=False), default=None,
                 help="Task cache directory (default: $FLOWGEN_CACHE_DIR, else ~/.cache/flowgen)."),
    click.Option(["--no-cache"], is_flag=True, help="Run every task, ignoring and not filling the cache."),
    click.Option(["--raw-data-prefix"], default=None, metavar="URL",
                 help="Where files, folders and tables are stored between tasks: any fsspec URL (s3://bucket/path, "
                      "gs://..., a local folder). Default: $FLOWGEN_RAW_DATA_PREFIX, else a folder per run under "
                      "the cache directory."),
    click.Option(["--report", "report_path"], type=click.Path(dir_okay=False), default=None,
                 help="Write a self-contained HTML report of the run (graph, timeline, every node) to this file."),
    *EXECUTOR_OPTIONS,
    click.Option(["--no-progress"], is_flag=True, help="No progress bar or end-of-run summary on the terminal."),
]


_TARGET_SHAPE = re.compile(r"^[^-].*:[A-Za-z_][A-Za-z0-9_]*$")


def check_executor_options(executor: str, dask_address: str | None) -> None:
    """Reject option combinations ``make_executor`` would refuse, as a usage error."""
    if dask_address is not None and executor != "dask":
        raise click.UsageError("--dask-address needs --executor dask")


def _load_inputs_file(path: str, workflow: Workflow | Eager) -> dict[str, Any]:
    from flowgen.cli.inputs import MAX_DEPTH, NON_FINITE, non_finite, too_deep
    from flowgen.ir.codec import from_json
    from flowgen.ir.values import TypeMismatch

    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        deep = too_deep(text)
        if deep is not None:
            levels, key = deep
            raise InputValidationError(f"{path}: " + (f"input {key!r}: " if key else "")
                                       + f"JSON nested {levels} levels deep: at most {MAX_DEPTH} levels are accepted",
                                       workflow=workflow.name)
        data = json.loads(text)
    except OSError as exc:
        raise click.BadParameter(f"cannot read {path}: {exc.strerror}", param_hint="--inputs") from None
    except json.JSONDecodeError as exc:
        raise click.BadParameter(f"{path}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}",
                                 param_hint="--inputs") from None
    except UnicodeDecodeError as exc:
        raise click.BadParameter(f"{path}: not UTF-8 text (byte {exc.start}): JSON files are UTF-8",
                                 param_hint="--inputs") from None
    if not isinstance(data, dict):
        raise click.BadParameter(f"{path} must hold a JSON object of inputs", param_hint="--inputs")
    values: dict[str, Any] = {}
    problems = []
    for name, item in data.items():
        param = workflow.interface.input(name)
        if param is None:
            problems.append(f"unknown input {name!r}")
            continue
        where = non_finite(item)
        if where is not None:
            problems.append(f"input {name!r}{where}: {NON_FINITE}")
            continue
        try:
            values[name] = from_json(item, param.type)
        except TypeMismatch as exc:
            problems.append(f"input {name!r}: {exc.describe()}")
    if problems:
        raise InputValidationError(f"{path}: " + "; ".join(problems), workflow=workflow.name)
    return values


def input_options(interface: Interface) -> list[click.Parameter]:
    """One option per workflow input (``--name VALUE``), parsed by its declared type."""
    from flowgen.cli.inputs import InputType
    from flowgen.ir.types import render_type

    params: list[click.Parameter] = []
    for p in interface.inputs:
        default_text = json.dumps(p.default) if p.has_default else None
        params.append(click.Option(
            [f"--{p.name}", p.name], type=InputType(p.type), default=None,
            help=f"{render_type(p.type)}" + (f" (default: {default_text})" if p.has_default else " (required)"),
        ))
    return params


def workflow_command(workflow: Workflow | Eager, target: str) -> click.Command:
    """A click command whose options are the workflow's inputs plus the common run options."""
    from flowgen.cli.inputs import WorkflowCommand

    params = input_options(workflow.interface) + COMMON_OPTIONS

    def callback(**options: Any) -> None:
        as_json = options.pop("as_json")
        inputs_file = options.pop("inputs_file")
        report_path = options.pop("report_path")
        execution = {k: options.pop(k) for k in ("executor", "max_parallelism", "dask_address", "no_progress")}
        apply_cache_options(options.pop("cache_dir"), options.pop("no_cache"))
        apply_data_options(options.pop("raw_data_prefix"))
        ctx = click.get_current_context()
        with reporting_errors():
            values = _load_inputs_file(inputs_file, workflow) if inputs_file else {}
            # Given on the command line, even as `null` (an Optional input may be None on purpose).
            values.update({k: v for k, v in options.items()
                           if ctx.get_parameter_source(k) is not click.core.ParameterSource.DEFAULT})
            run_workflow_cli(workflow, values, as_json, report_path, **execution)

    doc = (workflow.fn.__doc__ or "").strip()
    return WorkflowCommand(name=target, params=params, callback=callback,
                           help=f"Run workflow {workflow.name}.\n\n{doc}" if doc else f"Run workflow {workflow.name}.")


def apply_data_options(raw_data_prefix: str | None) -> None:
    """``--raw-data-prefix``: the store this run's files and tables go to (workers are told it)."""
    if raw_data_prefix is None:
        return
    from flowgen.data.store import StoreError, set_raw_data_prefix

    try:
        set_raw_data_prefix(raw_data_prefix)
    except StoreError as exc:
        raise click.BadParameter(str(exc), param_hint="--raw-data-prefix") from None


def apply_cache_options(cache_dir: str | None, no_cache: bool) -> None:
    """``--cache-dir`` and ``--no-cache``: where the task cache lives for this process, or no cache."""
    from flowgen.runtime.cache import set_cache_dir, set_cache_enabled

    set_cache_dir(cache_dir)
    if no_cache:
        set_cache_enabled(False)


def _load_workflow_or_eager(target: str) -> Workflow | Eager:
    """The @workflow at ``target``, or an @eager workflow there (flytekit's ``pyflyte run`` runs both)."""
    from flowgen.cli.target import TargetError, load_module, load_target, split_target
    from flowgen.dsl.eager import Eager
    from flowgen.dsl.entities import Workflow

    try:
        return load_target(target, (Workflow,))  # type: ignore[no-any-return]
    except TargetError:
        module_spec, name = split_target(target)
        found = getattr(load_module(module_spec), name, None)
        if isinstance(found, Eager):
            return found
        raise


def run_workflow_cli(workflow: Workflow | Eager, values: dict[str, Any], as_json: bool, report_path: str | None = None,
                     executor: str = "inprocess", max_parallelism: int | None = None,
                     dask_address: str | None = None, no_progress: bool = False) -> None:
    from flowgen.cli.output import print_result
    from flowgen.dsl.eager import Eager
    from flowgen.runtime.boundary import prepare_inputs

    check_executor_options(executor, dask_address)
    startup.resume()  # the workflow is loaded: its tasks run with the collector on
    if isinstance(workflow, Eager):  # its nodes are decided as it runs: progress, but no IR for --report
        outputs = run_observed(lambda: None, workflow.name,
                               lambda observer, chosen: workflow.run_eager(values, executor=chosen, observer=observer),
                               report_path=report_path, executor=executor, max_parallelism=max_parallelism,
                               dask_address=dask_address, no_progress=no_progress)
        print_result(workflow.interface, outputs, as_json)
        return
    program = workflow.compile_program()
    inputs = prepare_inputs(workflow.interface, values, what=f"workflow {workflow.name}", deliver=False,
                            workflow=workflow.name)

    def interpret(observer: Observer | None, chosen: Executor) -> dict[str, Any]:
        return run_interpreted(program, inputs, observer, chosen)

    outputs = run_observed(lambda: program, workflow.name, interpret, report_path=report_path, executor=executor,
                           max_parallelism=max_parallelism, dask_address=dask_address, no_progress=no_progress)
    print_result(workflow.interface, outputs, as_json)


def run_interpreted(program: Program, inputs: dict[str, Any], observer: Observer | None,
                    executor: Executor) -> dict[str, Any]:
    """Run ``program``'s entry on the interpreter; names the nodes served from the cache on stderr."""
    from flowgen.runtime.gc_policy import run_scope
    from flowgen.runtime.interpreter import Interpreter

    interpreter = Interpreter(program, observer, executor)
    try:
        with run_scope():
            return interpreter.run_workflow(program.entry, inputs)
    finally:
        _report_cache_hits(interpreter.cached_nodes)


def run_observed(program_of: Callable[[], Program | None], label: str,
                 run_on: Callable[[Observer | None, Executor], dict[str, Any]], *,
                 report_path: str | None = None, executor: str = "inprocess", max_parallelism: int | None = None,
                 dask_address: str | None = None, no_progress: bool = False) -> dict[str, Any]:
    """What ``flowgen run`` wraps around a run: the executor, ``--report``, progress, Ctrl-C.

    ``run_on(observer, executor)`` runs the workflow and returns its named outputs; the
    observer is None when nothing listens (no report, no bar shown, no local pool to
    summarize), so an in-process run can take an observer-free path. ``program_of()`` is
    the run's IR, for the report and the node count, asked for only when one of them is
    wanted (None: no report, no progress). Ctrl-C
    prints the summary and exits 130; the summary also follows a run the bar was shown for.
    """
    check_executor_options(executor, dask_address)
    on_terminal = not no_progress and sys.stderr.isatty()
    counted = on_terminal or executor in ("threads", "processes")
    program = program_of() if report_path is not None or counted else None
    if report_path is not None and program is None:
        raise click.UsageError("--report needs the workflow's IR, which this run does not have")
    report: Any = nullcontext()
    if report_path is not None and program is not None:
        from flowgen.report import recording  # only for --report: the HTML report and its renderer

        report = recording(program, report_path,
                           announce=lambda path: click.echo(f"wrote run report {path}", err=True))
    # Progress is counted when it can be shown, and on local pools (for the summary after Ctrl-C);
    # off a terminal, in-process runs keep the interpreter's observer-free fast path and Dask runs
    # the driver's few-callbacks mode: after Ctrl-C they give the counts they kept as they stopped.
    progress = None
    if program is not None and counted:
        from flowgen.runtime.progress import ObserverGroup, RunProgress, count_nodes  # rich, when counted

        progress = RunProgress(count_nodes(program), show_bar=on_terminal, label=label)
    span = [time.perf_counter(), 0.0]  # as the progress counters: from the executor's start to the stop
    try:
        with report as observer, make_executor(executor, max_parallelism=max_parallelism,
                                               dask_address=dask_address) as chosen, progress or nullcontext():
            span[0] = time.perf_counter()
            try:
                outputs = run_on(ObserverGroup(observer, progress) if progress else observer, chosen)
            finally:
                span[1] = time.perf_counter()
    except KeyboardInterrupt as stop:
        _summarize_interrupted(progress, executor, stop, label, max(span[1] - span[0], 0.0))
        raise SystemExit(130) from None
    except BaseException:
        if progress is not None and progress.shown:
            click.echo(progress.summary(executor=executor), err=True)
        raise
    if progress is not None and (progress.shown or (on_terminal and progress.wall_time > progress.delay)):
        click.echo(progress.summary(executor=executor), err=True)
    return outputs


def _summarize_interrupted(progress: RunProgress | None, executor: str, stop: KeyboardInterrupt, label: str,
                           wall_time: float) -> None:
    """The summary after Ctrl-C: from the progress counters when the run was observed, else from the
    tally an unobserved run (in-process, Dask) kept as it stopped (flowgen.runtime.interrupts)."""
    if progress is not None:
        progress.stop()
        click.echo(progress.summary(executor=executor, interrupted=True), err=True)
        return
    tally = getattr(stop, "flowgen_tally", None)
    if tally is not None and tally.counted:
        from flowgen.runtime.progress import RunProgress  # rich: only now

        counted = RunProgress.from_tally(tally, label=label, wall_time=wall_time)
        click.echo(counted.summary(executor=executor, interrupted=True), err=True)
    else:
        click.echo(f"interrupted (run on {executor}; nodes not counted)", err=True)


def _report_cache_hits(paths: list[str]) -> None:
    if paths:
        shown = ", ".join(paths[:10]) + (f", ... ({len(paths) - 10} more)" if len(paths) > 10 else "")
        click.echo(f"served from the cache: {len(paths)} node(s): {shown}", err=True)


class RunCommand(click.Command):
    """``flowgen run``: its options belong to each workflow's own command (built once the target
    is known), so its help lists those every workflow shares (:data:`COMMON_OPTIONS`) by hand."""

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [record for param in COMMON_OPTIONS if (record := param.get_help_record(ctx)) is not None]
        rows.append(("--INPUT VALUE", "Each workflow input, by name (`flowgen run FILE.py:WORKFLOW --help` lists them)."))
        rows.append(("-h, --help", "Show this message and exit (after a target: that workflow's inputs and options)."))
        with formatter.section("Options"):
            formatter.write_dl(rows)


@click.command(
    "run",
    cls=RunCommand,
    help=RUN_HELP,
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []},
    add_help_option=False,
)
@click.argument("target", required=False)
@click.pass_context
def run(ctx: click.Context, target: str | None) -> None:
    args = list(ctx.args)
    if target is not None and target.startswith("-") and target not in ("--help", "-h"):
        # Options first (`flowgen run --executor threads FILE.py:wf --x 1`): the target is the first
        # argument that looks like one; everything else goes to the workflow's command, in order.
        everything = [target, *args]
        found = next((i for i, a in enumerate(everything) if _TARGET_SHAPE.match(a)), None)
        if found is not None:
            target = everything.pop(found)
            args = everything
    if target is None or target in ("--help", "-h"):
        click.echo(ctx.get_help())
        ctx.exit(0 if target else 2)
    assert target is not None
    with reporting_errors():
        workflow = _load_workflow_or_eager(target)
    command = workflow_command(workflow, target)
    command.main(args=args, prog_name=f"{ctx.find_root().info_name} run {target}", standalone_mode=True)
