"""One plain task node of a recorded @dynamic sub-DAG, as straight-line code made once per task.

:func:`flowgen.runtime.recorded.run_records` runs a recorded sub-DAG node by node. For a
plain task (no cache, retries, timeout or task context; one output or none) every node
does the same few steps -- read each input (an upstream record's value, a bound IR input,
or a constant), validate and copy it, call the function, validate and copy its result --
and a generic loop over the inputs costs about as much as the steps themselves. So each
such task gets a *runner*, generated from its interface once and kept with its plan::

    def run(record, i, ctx):
        args = record._args
        record._args = None                 # release the inputs
        v0, v1 = args
        try:
            if type(v0) is RP:
                if v0._readers == 1 and v0._info.out_type is T0:
                    x0 = v0._value          # read once: see "Copies" in recorded.py
                else:
                    x0 = c0(v0._value)
            elif type(v0) is BOUND:
                x0 = c0(ctx.bound(v0, i))
            else:
                x0 = c0(v0)
            ...
        except TypeMismatch:
            return ctx.general(record, args, i)   # the general path reports it
        try:
            result = fn(freq_list=x0, list_index=x1)
        except FlowgenError:
            raise
        except Exception as exc:
            raise ctx.failed(exc, i, record) from exc
        try:
            record._value = cout(result)
        except TypeMismatch:
            record._value = ctx.outputs(result, i, record)  # raises the OutputValidationError

It does exactly what the generic loop did (same checks in the same order, same errors
through ``ctx``, which holds the run's @dynamic name, node prefix and driver), except that
a plain scalar (``str``, ``int``, ``float``, ``bool`` without constraints) of exactly its
class is not handed to its checker: the checker would give it back unchanged
(``x1 = v1 if type(v1) is E1 else c1(v1)``; ``result if type(result) is EOUT else cout(result)``),
and a scalar read once needs no look at its readers (it is immutable, its check idempotent). With
validation off (``checked=False``, a generated module's fast mode) the runner hands values
over as they are and keeps the result as it is. Tasks that are not plain run every node
through ``ctx.general`` (``Interpreter.run_task``: cache, retries, timeout, context).

The source is registered with :mod:`linecache` under a name inside flowgen's directory, so
a traceback shows it and a task's own traceback (``user_traceback``) leaves it out.
"""

from __future__ import annotations

import keyword
import linecache
import os
from collections.abc import Callable
from typing import Any

from flowgen.errors import FlowgenError
from flowgen.ir.types import PrimitiveType
from flowgen.ir.values import TypeMismatch

__all__ = ["make_runner"]

_HERE = os.path.dirname(os.path.abspath(__file__))

# Scalars whose checker (flowgen.ir.values) returns a value of exactly this class as it is.
_EXACT = {"str": str, "int": int, "float": float, "bool": bool}


def _exact(spec: Any) -> type | None:
    """The class whose instances ``checker(spec)`` gives back unchanged without a look, else None."""
    if type(spec) is PrimitiveType and not spec.constraints:
        return _EXACT.get(spec.name)
    return None


def make_runner(task: str, inputs: tuple[tuple[str, Any, Any, bool], ...], fn: Callable[..., Any],
                out_check: Callable[[Any], Any] | None, out_type: Any, single: bool, checked: bool,
                record_type: type, bound_type: type) -> Callable[[Any, int, Any], None]:
    """The runner of plain task ``task``: ``run(record, i, ctx)`` runs node ``n<i>`` and sets its ``_value``.

    ``inputs`` per parameter: name, checker, type, and whether a value read once may skip the
    checker; ``out_check`` and ``out_type`` the output's checker and type (None for a task
    without outputs)."""
    values = [f"v{i}" for i in range(len(inputs))]
    namespace: dict[str, Any] = {"RP": record_type, "BOUND": bound_type, "TypeMismatch": TypeMismatch,
                                 "FlowgenError": FlowgenError, "fn": fn, "cout": out_check}
    lines = ["def run(record, i, ctx):", "    args = record._args", "    record._args = None  # release the inputs"]
    if values:
        lines.append(f"    {', '.join(values)}, = args")
    if checked and values:
        lines.append("    try:")
        for k, (v, (_, check, target, once)) in enumerate(zip(values, inputs)):
            namespace[f"c{k}"], namespace[f"T{k}"] = check, target
            exact = _exact(target)
            if exact is not None:  # the checker gives back an exact scalar as it is: skip the call
                namespace[f"E{k}"] = exact
            lines.append(f"        if type({v}) is RP:")
            if exact is not None:  # read once or not: an immutable scalar, and its check is idempotent
                lines += [f"            x{k} = {v}._value", f"            if type(x{k}) is not E{k}:",
                          f"                x{k} = c{k}(x{k})"]
            elif once:
                lines += [f"            if {v}._readers == 1 and {v}._info.out_type is T{k}:",
                          f"                x{k} = {v}._value",
                          "            else:",
                          f"                x{k} = c{k}({v}._value)"]
            else:
                lines.append(f"            x{k} = c{k}({v}._value)")
            lines += [f"        elif type({v}) is BOUND:",
                      f"            x{k} = c{k}(ctx.bound({v}, i))",
                      "        else:",
                      f"            x{k} = {v} if type({v}) is E{k} else c{k}({v})" if exact is not None else
                      f"            x{k} = c{k}({v})"]
        lines += ["    except TypeMismatch:", "        return ctx.general(record, args, i)  # the general path reports it"]
    else:
        for k, v in enumerate(values):
            lines.append(f"    x{k} = {v}._value if type({v}) is RP else ctx.bound({v}, i) if type({v}) is BOUND else {v}")
    names = [name for name, _, _, _ in inputs]
    if all(name.isidentifier() and not keyword.iskeyword(name) for name in names):
        call = ", ".join(f"{name}=x{k}" for k, name in enumerate(names))
    else:
        call = "**{" + ", ".join(f"{name!r}: x{k}" for k, name in enumerate(names)) + "}"
    lines += ["    try:", f"        result = fn({call})", "    except FlowgenError:", "        raise",
              "    except Exception as exc:", "        raise ctx.failed(exc, i, record) from exc"]
    if not single:
        lines.append("    record._value = None" if not checked else
                     "    record._value = None  # as in Flyte: whatever a task without outputs returns is dropped")
    elif not checked:
        lines.append("    record._value = result")
    else:
        exact = _exact(out_type)
        namespace["EOUT"] = exact
        check = "result if type(result) is EOUT else cout(result)" if exact is not None else "cout(result)"
        lines += ["    try:", f"        record._value = {check}", "    except TypeMismatch:",
                  "        record._value = ctx.outputs(result, i, record)  # raises the OutputValidationError"]
    source = "\n".join(lines) + "\n"
    filename = os.path.join(_HERE, f"<record runner of {task}{'' if checked else ', unchecked'}>")
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), namespace)
    run: Callable[[Any, int, Any], None] = namespace["run"]
    return run
