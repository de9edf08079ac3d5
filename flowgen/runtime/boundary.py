"""What happens to values at a node boundary, shared by the interpreter and generated code.

* :func:`prepare_inputs` validates the inputs of a workflow or task call (all of
  them, reporting every bad one at once), fills defaults, and copies.
* :func:`split_outputs` turns what a task function returned into named outputs,
  validated and copied.
* :func:`pack_outputs` turns named outputs back into what the caller gets: a
  value, a tuple, an instance of the user's NamedTuple, or None.
* :func:`check_outputs` validates (and copies) the named outputs of a sub-workflow,
  a ``@dynamic`` or a ``conditional`` against the outputs they declare.
* :func:`take_path` takes ``value.attr`` / ``value[key]`` steps of a binding's path,
  failing with a located error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

from flowgen.errors import InputValidationError, OutputValidationError
from flowgen.ir import refs
from flowgen.ir.codec import from_json
from flowgen.ir.model import Interface, Output
from flowgen.ir.types import render_type
from flowgen.ir.values import TypeMismatch, checker, deliver_value, describe_value, has_data, input_checker

__all__ = ["bare_to_tuple", "check_outputs", "default_value", "pack_outputs", "prepare_inputs", "split_outputs", "take_path"]


def default_value(interface: Interface, name: str) -> Any:
    param = interface.input(name)
    assert param is not None and param.has_default
    return _default(param.type, param.default)


def _default(spec: Any, data: Any) -> Any:
    value = from_json(data, spec)
    return checker(spec)(value) if has_data(spec) else value  # a default file is stored like any value


def prepare_inputs(
    interface: Interface, values: dict[str, Any], *, what: str, deliver: bool = True, **facts: Any
) -> dict[str, Any]:
    """Validated copies of ``values`` with defaults filled; every problem reported at once.

    ``deliver``: the values go to user code (a task or ``@dynamic`` body), so stored tables
    typed ``DataFrame``/``Table`` are read into fresh frames; a workflow's own inputs keep
    them stored (``deliver=False``).
    """
    out: dict[str, Any] = {}
    problems: list[str] = []
    first: str | None = None
    check_of = input_checker if deliver else checker
    for param in interface.inputs:
        if param.name in values:
            try:
                out[param.name] = check_of(param.type)(values[param.name])
            except TypeMismatch as exc:
                problems.append(f"input {param.name!r}: {exc.describe()}")
                first = first or param.name
        elif param.has_default:
            value = _default(param.type, param.default)
            out[param.name] = deliver_value(value, param.type) if deliver else value
        else:
            problems.append(f"input {param.name!r} ({render_type(param.type)}) is missing")
            first = first or param.name
    unknown = sorted(set(values) - {p.name for p in interface.inputs})
    for name in unknown:
        known = ", ".join(p.name for p in interface.inputs) or "none"
        problems.append(f"unknown input {name!r} (inputs: {known})")
        first = first or name
    if problems:
        raise InputValidationError(
            f"{what}: rejected its inputs before anything ran:\n  " + "\n  ".join(problems),
            input=first,
            **facts,
        )
    return out


def split_outputs(interface: Interface, result: Any, *, what: str, **facts: Any) -> dict[str, Any]:
    """Named, validated copies of the outputs in a task's return value."""
    form = interface.output_form
    outputs = interface.outputs
    if form == "single":
        out = outputs[0]
        try:
            return {out.name: checker(out.type)(result)}
        except TypeMismatch as exc:
            raise OutputValidationError(f"{what} returned a bad value: {exc.describe()}", **facts) from None
    if form == "none":
        return {}  # as in Flyte: a task without outputs drops whatever its body returned
    if form == "namedtuple" and len(outputs) == 1:
        result = bare_to_tuple(result)
    if not isinstance(result, tuple) or len(result) != len(outputs):
        raise OutputValidationError(
            f"{what} must return {len(outputs)} values ({', '.join(o.name for o in outputs)}), "
            f"got {describe_value(result)}",
            **facts,
        )
    named: dict[str, Any] = {}
    for out, value in zip(outputs, result):
        try:
            named[out.name] = checker(out.type)(value)
        except TypeMismatch as exc:
            raise OutputValidationError(
                f"{what} returned a bad value for output {out.name!r}: {exc.describe()}", **facts
            ) from None
    return named


def bare_to_tuple(result: Any) -> Any:
    """A one-field NamedTuple output returned as a bare value is wrapped, as in Flyte; the NamedTuple
    itself (or a one-item tuple) is taken as it is."""
    return result if isinstance(result, tuple) and len(result) == 1 else (result,)


def pack_outputs(interface: Interface, outputs: dict[str, Any]) -> Any:
    """What a Python caller gets: a value, a tuple, the user's NamedTuple or None (stored tables
    typed ``DataFrame``/``Table`` read into frames)."""
    form = interface.output_form
    if form == "none":
        return None
    if form == "single":
        out = interface.outputs[0]
        return deliver_value(outputs[out.name], out.type)
    values = [deliver_value(outputs[o.name], o.type) for o in interface.outputs]
    if form == "namedtuple" and interface.output_ref is not None:
        return refs.resolve(interface.output_ref)(*values)
    return tuple(values)


def deliver_inputs(interface: Interface, stored: dict[str, Any]) -> dict[str, Any]:
    """Stored inputs (``prepare_inputs(..., deliver=False)``) as user code receives them."""
    return {p.name: deliver_value(stored[p.name], p.type) for p in interface.inputs if p.name in stored}


def attach_output_hashes(spec: Any, result: Any, outputs: dict[str, Any]) -> None:
    """Give each stored output whose annotation has a ``HashMethod`` the hash of what the task returned."""
    if not any(has_data(o.type) for o in spec.interface.outputs):
        return
    from flowgen.data.cache_bytes import attach_hash
    from flowgen.data.hashing import hash_methods

    methods = hash_methods(spec.function)
    if not methods:
        return
    form = spec.interface.output_form
    for i, out in enumerate(spec.interface.outputs):
        method = methods.get(out.name)
        if method is not None:
            returned = result if form == "single" else result[i]
            attach_hash(outputs[out.name], method, returned)


class DeclaresOutputs(Protocol):
    """An interface, or a ``conditional`` node: anything that declares typed outputs."""

    @property
    def outputs(self) -> tuple[Output, ...]: ...


def check_outputs(declared: DeclaresOutputs, outputs: dict[str, Any], what: str,
                  facts: dict[str, Any]) -> dict[str, Any]:
    """Validated copies of ``outputs``, one per output ``declared`` declares."""
    checked = {}
    for out in declared.outputs:
        try:
            checked[out.name] = checker(out.type)(outputs[out.name])
        except TypeMismatch as exc:
            raise OutputValidationError(f"{what} output {out.name!r}: {exc.describe()}", **facts) from None
    return checked


def take_path(value: Any, steps: Iterable[tuple[str, Any]], describe: Callable[[], str]) -> Any:
    """``value.a[0]`` for steps ``("attr", "a"), ("index", 0)``; a step that fails is an
    :class:`InputValidationError` led by ``describe()``."""
    for kind, key in steps:
        try:
            value = getattr(value, key) if kind == "attr" else value[key]
        except (AttributeError, IndexError, KeyError, TypeError) as exc:
            text = f".{key}" if kind == "attr" else f"[{key!r}]"
            raise InputValidationError(f"{describe()}: cannot take {text}: {type(exc).__name__}: {exc}") from None
    return value
