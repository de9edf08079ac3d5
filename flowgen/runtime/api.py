"""Running a workflow from Python on a chosen executor: ``flowgen.run(wf, executor="threads", ...)``.

``wf(**inputs)`` keeps running in-process. :func:`run` is the documented call for
everything else::

    import flowgen
    result = flowgen.run(wf, executor="threads", max_parallelism=4, s1="Pear", s2="Earth")
    result = flowgen.run(wf, executor="dask")                       # a local cluster for this run
    result = flowgen.run(wf, executor="dask", dask_address="tcp://scheduler:8786")
    with make_executor("processes") as ex:                          # one pool for many runs
        a = flowgen.run(wf, executor=ex, s1="a", s2="b")

``executor`` is a name or an :class:`~flowgen.runtime.executors.Executor`; one made
here is started and shut down around the run, one passed in is left running.
The result is what ``wf(**inputs)`` returns, on every executor.
"""

from __future__ import annotations

from typing import Any

from flowgen.runtime.boundary import pack_outputs, prepare_inputs
from flowgen.runtime.events import Observer
from flowgen.runtime.executors import Executor, make_executor
from flowgen.runtime.interpreter import Interpreter

__all__ = ["run", "run_outputs"]


def run(workflow: Any, /, *, executor: str | Executor = "inprocess", max_parallelism: int | None = None,
        dask_address: str | None = None, observer: Observer | None = None, **inputs: Any) -> Any:
    """Run ``workflow`` with ``inputs`` on ``executor``; returns what calling the workflow returns."""
    outputs = run_outputs(workflow, inputs, executor=executor, max_parallelism=max_parallelism,
                          dask_address=dask_address, observer=observer)
    return pack_outputs(workflow.interface, outputs)


def run_outputs(workflow: Any, inputs: dict[str, Any], *, executor: str | Executor = "inprocess",
                max_parallelism: int | None = None, dask_address: str | None = None,
                observer: Observer | None = None) -> dict[str, Any]:
    """Like :func:`run`, with inputs as a dict and the named outputs returned (the CLI's entry)."""
    from flowgen.dsl.entities import Workflow

    if not isinstance(workflow, Workflow):
        raise TypeError(f"flowgen.run runs a @workflow, not {workflow!r}")
    program = workflow.compile_program()
    values = prepare_inputs(workflow.interface, inputs, what=f"workflow {workflow.name}", workflow=workflow.name)
    if isinstance(executor, Executor):
        if max_parallelism is not None or dask_address is not None:
            raise ValueError("max_parallelism and dask_address configure an executor made by name; "
                             "set them on the executor you passed instead")
        return Interpreter(program, observer, executor).run_workflow(program.entry, values)
    with make_executor(executor, max_parallelism=max_parallelism, dask_address=dask_address) as made:
        return Interpreter(program, observer, made).run_workflow(program.entry, values)
