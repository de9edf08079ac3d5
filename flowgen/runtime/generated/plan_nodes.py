"""The records of a ``@dynamic``'s plan and how they run (phase 2 of :mod:`.plans`).

A :class:`Ref` is one recorded task call: the node record (its call site, its arguments --
one or two in slots, more in a tuple -- how many inputs read it, and its value once run) and
what the plan's body holds for the call's output. Using a Ref as a value raises
:class:`Unusual` (the plan then steps aside; see :mod:`.plans`).

:class:`PlanTask` holds what every node of one task shares and makes its *node runners*:
``checked(ref, i, prefix, name)`` (validation on: each node exactly as the interpreter's
inlined path runs a plain task -- :mod:`flowgen.runtime.recorded` -- with its checks and
copies, its TaskError / OutputValidationError naming node ``prefix + "n<i>"``, and the
interpreter's general path when an input fails its check) and ``fast(...)`` (validation off:
values as they are). Both are closures specialised for one and two inputs, the common shapes.
:func:`run_checked` and :func:`run_fast` run a plan's records in order, releasing each as it
runs (a value lives while an unrun reader holds its record).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn

from flowgen.errors import FlowgenError, TaskError
from flowgen.ir.model import Program, TaskSpec
from flowgen.ir.types import ListType, PrimitiveType, TypeSpec
from flowgen.ir.values import TypeMismatch, checker, input_checker
from flowgen.runtime.boundary import split_outputs
from flowgen.runtime.generated.nodes import _positional
from flowgen.runtime.task_call import task_failure

__all__ = ["GENERAL", "Converted", "PlanTask", "Ref", "Unusual", "canonical", "exact_items", "run_checked", "run_fast"]

_EXACT: dict[str, type] = {"str": str, "int": int, "bool": bool}  # constants the IR keeps as they are
_CHECK_FREE: dict[str, type] = {"str": str, "int": int, "bool": bool, "float": float}  # valid as they are

_types: dict[TypeSpec, TypeSpec] = {}


def canonical(spec: TypeSpec) -> TypeSpec:
    """One object per distinct type, so that equal types compare with ``is``."""
    return _types.setdefault(spec, spec)


def exact_items(spec: TypeSpec) -> type | None:
    """For an unconstrained list of unconstrained str/int/bool: the item type (its constants are kept)."""
    if type(spec) is ListType and not spec.constraints:
        item = spec.item
        if type(item) is PrimitiveType and not item.constraints:
            return _EXACT.get(item.name)
    return None


GENERAL = object()  # an input failed its check: the node takes the interpreter's general path


class Unusual(Exception):
    """Raised while recording: the plan cannot prove this run equal to the interpreter's trace."""


def _unusual(*_: Any) -> NoReturn:
    raise Unusual("a task call's result used as a value")


class Ref:
    """A recorded task call: the node record (site, arguments, readers; its value once run) and
    what the body holds for its output. Using it as a value raises (see the module docstring)."""

    __slots__ = ("a0", "a1", "args", "readers", "site", "value")
    # made by the recorders without an __init__ (a Python frame per call is a third of their cost)
    site: Any
    a0: Any  # the arguments of a call of one or two (no tuple to allocate) ...
    a1: Any
    args: tuple[Any, ...] | None  # ... or of any other number (see _arguments)
    readers: int
    value: Any

    __bool__ = __len__ = __iter__ = __reversed__ = __contains__ = __getitem__ = __call__ = _unusual
    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __hash__ = _unusual  # type: ignore[assignment]
    __str__ = __repr__ = __format__ = __index__ = __int__ = __float__ = __complex__ = __round__ = _unusual
    __neg__ = __pos__ = __abs__ = __invert__ = __trunc__ = __floor__ = __ceil__ = _unusual
    __add__ = __sub__ = __mul__ = __matmul__ = __truediv__ = __floordiv__ = __mod__ = __divmod__ = _unusual
    __pow__ = __lshift__ = __rshift__ = __and__ = __xor__ = __or__ = _unusual
    __radd__ = __rsub__ = __rmul__ = __rmatmul__ = __rtruediv__ = __rfloordiv__ = __rmod__ = _unusual
    __rdivmod__ = __rpow__ = __rlshift__ = __rrshift__ = __rand__ = __rxor__ = __ror__ = _unusual
    # No __getattr__: a plan's body reads no attribute (the generator allows none), and on Python
    # 3.11 a class with __getattr__ gets no specialised attribute loads (several times slower).


class Converted:
    """A recorded argument that is a ref of another (assignable) type: its value is always checked
    (and converted) when the node runs. A plain :class:`Ref` argument is always of the input's type."""

    __slots__ = ("ref",)

    def __init__(self, ref: Ref) -> None:
        self.ref = ref


class PlanTask:
    """What every call of one task shares: its function, checks, and how phase 2 runs a node of it."""

    def __init__(self, spec: TaskSpec, fn: Callable[..., Any]) -> None:
        interface = spec.interface
        self.spec = spec
        self.fn = fn
        self.single = interface.output_form == "single"
        out = interface.outputs[0] if self.single else None
        self.out: TypeSpec | None = canonical(out.type) if out is not None else None
        self.out_name = out.name if out is not None else None
        self.targets = tuple(canonical(p.type) for p in interface.inputs)
        # per input: its checker, its type, whether a value read once may skip the checker (it
        # validates and copies exactly as the output check did), and the type whose constants
        # need no check (unconstrained scalars; a list constant was checked when recorded)
        self.inputs = tuple(
            (input_checker(p.type), target, input_checker(p.type) is checker(p.type),
             _CHECK_FREE.get(p.type.name) if type(p.type) is PrimitiveType and not p.type.constraints else
             (list if exact_items(p.type) is not None else None))
            for p, target in zip(interface.inputs, self.targets))
        self.out_check = checker(out.type) if out is not None else None
        self.out_exact = (_CHECK_FREE.get(out.type.name) if out is not None and type(out.type) is PrimitiveType
                          and not out.type.constraints else None)
        self.out_items = exact_items(out.type) if out is not None else None
        self.names = tuple(p.name for p in interface.inputs)
        self.by_position = _positional(fn, list(self.names))

        self.checked = self._checked()
        self.fast = self._fast()

    def call(self, values: list[Any]) -> Any:
        return self.fn(*values) if self.by_position else self.fn(**dict(zip(self.names, values)))

    def _checked(self) -> Callable[[Ref, int, str, str], Any]:
        """``checked(ref, i, prefix, name)``: node ``prefix + "n<i>"`` run from its record, validation
        on; it sets ``ref.value`` and returns None, or returns GENERAL (nothing ran) when an input
        failed its check (the general path reports it). Specialised for one and two inputs (the
        common shapes), generic otherwise."""
        fn, call, inputs, output = self.fn, self.call, self.inputs, self._output
        oe, oi = self.out_exact, self.out_items  # outputs valid as they are / lists of such items
        if len(inputs) == 1 and self.by_position:
            ((c0, _, o0, f0),) = inputs

            def checked1(ref: Ref, i: int, prefix: str, name: str) -> Any:
                a0 = ref.a0
                try:
                    if type(a0) is Ref:
                        a0 = a0.value if o0 and a0.readers == 1 else c0(a0.value)
                    elif type(a0) is not f0:
                        a0 = c0(a0.ref.value if type(a0) is Converted else a0)
                except TypeMismatch:
                    return GENERAL
                ref.a0 = None  # release the inputs
                try:
                    result = fn(a0)
                except FlowgenError:
                    raise
                except Exception as exc:
                    raise _failed(exc, ref.site, f"{prefix}n{i}", name) from exc
                if type(result) is oe:
                    ref.value = result
                    return None
                if oi is not None and type(result) is list:
                    for item in result:
                        if type(item) is not oi:
                            break
                    else:
                        ref.value = result.copy()
                        return None
                ref.value = output(ref, result, i, prefix, name)
                return None

            return checked1
        if len(inputs) == 2 and self.by_position:
            ((c0, _, o0, f0), (c1, _, o1, f1)) = inputs

            def checked2(ref: Ref, i: int, prefix: str, name: str) -> Any:
                a0 = ref.a0
                a1 = ref.a1
                try:
                    if type(a0) is Ref:
                        a0 = a0.value if o0 and a0.readers == 1 else c0(a0.value)
                    elif type(a0) is not f0:
                        a0 = c0(a0.ref.value if type(a0) is Converted else a0)
                    if type(a1) is Ref:
                        a1 = a1.value if o1 and a1.readers == 1 else c1(a1.value)
                    elif type(a1) is not f1:
                        a1 = c1(a1.ref.value if type(a1) is Converted else a1)
                except TypeMismatch:
                    return GENERAL
                ref.a0 = ref.a1 = None
                try:
                    result = fn(a0, a1)
                except FlowgenError:
                    raise
                except Exception as exc:
                    raise _failed(exc, ref.site, f"{prefix}n{i}", name) from exc
                if type(result) is oe:
                    ref.value = result
                    return None
                if oi is not None and type(result) is list:
                    for item in result:
                        if type(item) is not oi:
                            break
                    else:
                        ref.value = result.copy()
                        return None
                ref.value = output(ref, result, i, prefix, name)
                return None

            return checked2

        def checked(ref: Ref, i: int, prefix: str, name: str) -> Any:
            values = []
            try:
                for (check, _, once, free), value in zip(inputs, _arguments(ref)):
                    if type(value) is Ref:
                        values.append(value.value if once and value.readers == 1 else check(value.value))
                    elif type(value) is Converted:
                        values.append(check(value.ref.value))
                    else:
                        values.append(value if type(value) is free else check(value))
            except TypeMismatch:
                return GENERAL
            _release(ref)
            try:
                result = call(values)
            except FlowgenError:
                raise
            except Exception as exc:
                raise _failed(exc, ref.site, f"{prefix}n{i}", name) from exc
            ref.value = output(ref, result, i, prefix, name)
            return None

        return checked

    def _fast(self) -> Callable[[Ref, int, str, str], None]:
        """``fast(ref, i, prefix, name)``: node ``prefix + "n<i>"`` run from its record, validation
        off (values as they are, the result kept as it is); specialised for one and two inputs."""
        fn, call, single = self.fn, self.call, self.single
        if len(self.inputs) == 1 and self.by_position:

            def fast1(ref: Ref, i: int, prefix: str, name: str) -> None:
                a0 = ref.a0
                a0 = a0.value if type(a0) is Ref else _value(a0)
                ref.a0 = None
                try:
                    result = fn(a0)
                except FlowgenError:
                    raise
                except Exception as exc:
                    raise _failed(exc, ref.site, f"{prefix}n{i}", name) from exc
                ref.value = result if single else None

            return fast1
        if len(self.inputs) == 2 and self.by_position:

            def fast2(ref: Ref, i: int, prefix: str, name: str) -> None:
                a0, a1 = ref.a0, ref.a1
                a0 = a0.value if type(a0) is Ref else _value(a0)
                a1 = a1.value if type(a1) is Ref else _value(a1)
                ref.a0 = ref.a1 = None
                try:
                    result = fn(a0, a1)
                except FlowgenError:
                    raise
                except Exception as exc:
                    raise _failed(exc, ref.site, f"{prefix}n{i}", name) from exc
                ref.value = result if single else None

            return fast2

        def fast(ref: Ref, i: int, prefix: str, name: str) -> None:
            values = [_value(value) for value in _arguments(ref)]
            _release(ref)
            try:
                result = call(values)
            except FlowgenError:
                raise
            except Exception as exc:
                raise _failed(exc, ref.site, f"{prefix}n{i}", name) from exc
            ref.value = result if single else None

        return fast

    def _output(self, ref: Ref, result: Any, i: int, prefix: str, name: str) -> Any:
        """The checked value of a node's output (a fresh copy), or the interpreter's output error."""
        if type(result) is self.out_exact:
            return result
        items = self.out_items
        if items is not None and type(result) is list:
            for item in result:
                if type(item) is not items:
                    break
            else:
                return result.copy()
        try:
            if self.out_check is not None:
                return self.out_check(result)
            if result is None:
                return None
        except TypeMismatch:
            pass
        path, spec = f"{prefix}n{i}", self.spec
        outputs = split_outputs(spec.interface, result, what=f"task {spec.name} (node {path} of {name})",
                                **_facts(ref.site, path, name))
        return outputs[self.out_name] if self.out_name is not None else None


def _value(argument: Any) -> Any:
    """What a recorded argument stands for: a ref's value, or the constant itself."""
    kind = type(argument)
    return argument.value if kind is Ref else argument.ref.value if kind is Converted else argument


def _arguments(ref: Ref) -> tuple[Any, ...]:
    """A record's arguments in parameter order (a call of one or two keeps them in slots)."""
    count = len(ref.site.params)
    if count == 1:
        return (ref.a0,)
    if count == 2:
        return (ref.a0, ref.a1)
    assert ref.args is not None, "a record's arguments are read before it runs"
    return ref.args


def _release(ref: Ref) -> None:
    ref.a0 = ref.a1 = ref.args = None


def _failed(exc: Exception, site: Any, path: str, name: str) -> TaskError:
    spec = site.task.spec
    return task_failure(exc, 1, {"what": f"task {spec.name} (node {path} of {name})", **_facts(site, path, name)})


def _facts(site: Any, path: str, name: str) -> dict[str, Any]:
    return {"workflow": name, "node": path, "task": site.task.spec.name, "location": site.location.location}


def run_checked(records: list[Ref], name: str, prefix: str) -> None:
    """Phase 2, validation on: each node as the interpreter's inlined path runs a plain task."""
    for i, ref in enumerate(records):
        records[i] = None  # type: ignore[call-overload]  # the readers' references keep it alive
        if ref.site.checked(ref, i, prefix, name) is not None:
            ref.value = _general(ref, name, f"{prefix}n{i}")
            ref.readers = -1  # possibly shared (as the interpreter's general path): its readers copy it


def run_fast(records: list[Ref], name: str, prefix: str) -> None:
    """Phase 2, validation off: plain calls, no checks and no copies (a fast body's semantics)."""
    for i, ref in enumerate(records):
        records[i] = None  # type: ignore[call-overload]
        ref.site.fast(ref, i, prefix, name)


def _general(ref: Ref, name: str, path: str) -> Any:
    """A node whose input the inlined path rejected: the interpreter's general path reports it."""
    from flowgen.runtime.interpreter import Interpreter

    site = ref.site
    spec = site.task.spec
    given = {p.name: _value(value)
             for p, value in zip(spec.interface.inputs, _arguments(ref))}
    _release(ref)
    driver = Interpreter(Program.model_construct(ir_version=1, entry=name, workflows={}, tasks={spec.name: spec}))
    outputs = driver.run_task(spec, site.task.fn, given, name, path, site.span)
    return outputs[site.task.out_name] if site.task.out_name is not None else None
