"""Running a ``@dynamic``'s plan: its body with each task call recorded, then the records run.

The generator emits a *plan* for a @dynamic whose body it can prove is pure computation
over its inputs and task calls (:mod:`flowgen.codegen.dynamic_plan`): the body's own code,
each call of a ``@task`` replaced by a call of that call site's *recorder*, arguments in the
task's parameter order. :class:`DynamicPlan` runs it in two phases, like the interpreter
(nothing runs while the body is traced):

1. **Record.** The plan runs with the node's validated inputs. A recorder appends a
   :class:`Ref` -- the node record *and* what the body holds for the call's output -- after
   checking each argument as the interpreter's record path accepts it: a ref of this run
   whose task's output type is (or is assignable to) the input's type, a constant of the
   exact scalar type (str, int, bool) the IR keeps as-is, or a list of such scalars for an
   unconstrained list of them (copied now, as the interpreter copies it). The call site is
   a constant of the plan (no frame walk).
2. **Run.** The records run in order (trace order is topological), each exactly as the
   interpreter's record path runs a plain task node (:mod:`flowgen.runtime.recorded`):
   inputs checked and copied, the function called, its output checked and copied, the same
   :class:`~flowgen.errors.TaskError` / validation errors naming node ``<path>.n<i>``, the
   task and its call site. Validation off: no checks and no copies, as a fast body.

**When the plan steps aside** (always before any node runs, so nothing is observable but
time): the user's module rebinds a task or a builtin the plan calls; a task has a cache,
retries, a timeout, a task context, several outputs, or inputs other than the call's; an
argument is anything but the three kinds above; a ref is used as a value (every operator,
conversion, comparison, hash, truth test, iteration, ``str``/``repr``/``format`` of a
:class:`Ref` raises, as a Promise's would or more); the body raises anything; it returns
anything but a ref. Then the records are dropped and the @dynamic runs on the interpreter's
own path (:class:`~flowgen.runtime.generated.nodes.DynamicNode`), which traces the real body
again: the generator proved the body has no effect outside itself, so running it twice is
unobservable, and every result and error (message, node, location) is the interpreter's.

**Copies** (as the interpreter, :mod:`flowgen.runtime.recorded`, plus one): a value read
exactly once, by one input of one later node, as the very type its task's output check
made it, is handed over without a second validate-and-copy; and a list constant, copied
when it was recorded and read by its one node only, is handed over as it is (its items
were checked then, and nobody else can see it).

``runs`` and ``fallbacks`` count what happened (``last_fallback`` says why): the tests
assert that a plan ran; ``enabled = False`` sends every run to the interpreter's path.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from itertools import repeat
from typing import Any, NoReturn

from flowgen.errors import FlowgenError, TaskError
from flowgen.ir.compat import is_assignable
from flowgen.ir.model import Program, SourceSpan, TaskSpec
from flowgen.ir.types import ListType, PrimitiveType, TypeSpec
from flowgen.ir.values import TypeMismatch, checker, input_checker
from flowgen.runtime.boundary import split_outputs
from flowgen.runtime.gc_policy import building_graph
from flowgen.runtime.generated.data import Site
from flowgen.runtime.generated.nodes import _positional
from flowgen.runtime.task_call import task_failure
from flowgen.runtime.task_context import uses_context

__all__ = ["DynamicPlan", "Ref"]

_EXACT: dict[str, type] = {"str": str, "int": int, "bool": bool}  # constants the IR keeps as they are
_CHECK_FREE: dict[str, type] = {"str": str, "int": int, "bool": bool, "float": float}  # valid as they are
_PLAIN = frozenset({str, int, float, bool, list, dict})  # the classes a plan's inputs may be (exactly)
_types: dict[TypeSpec, TypeSpec] = {}


def _canonical(spec: TypeSpec) -> TypeSpec:
    """One object per distinct type, so that equal types compare with ``is``."""
    return _types.setdefault(spec, spec)


def _exact_items(spec: TypeSpec) -> type | None:
    """For an unconstrained list of unconstrained str/int/bool: the item type (its constants are kept)."""
    if type(spec) is ListType and not spec.constraints:
        item = spec.item
        if type(item) is PrimitiveType and not item.constraints:
            return _EXACT.get(item.name)
    return None


def _all(values: list[Any], kind: type) -> bool:
    """Every item's type is ``kind`` (identity, at C speed)."""
    return all(map(operator.is_, map(type, values), repeat(kind)))



_GENERAL = object()  # an input failed its check: the node takes the interpreter's general path


class _Unusual(Exception):
    """Raised while recording: the plan cannot prove this run equal to the interpreter's trace."""


def _unusual(*_: Any) -> NoReturn:
    raise _Unusual("a task call's result used as a value")


class Ref:
    """A recorded task call: the node record (site, arguments, readers; its value once run) and
    what the body holds for its output. Using it as a value raises (see the module docstring)."""

    __slots__ = ("a0", "a1", "args", "readers", "site", "value")
    # made by the recorders without an __init__ (a Python frame per call is a third of their cost)
    site: _Site
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


class _Converted:
    """A recorded argument that is a ref of another (assignable) type: its value is always checked
    (and converted) when the node runs. A plain :class:`Ref` argument is always of the input's type."""

    __slots__ = ("ref",)

    def __init__(self, ref: Ref) -> None:
        self.ref = ref


class _Task:
    """What every call of one task shares: its function, checks, and how phase 2 runs a node of it."""

    def __init__(self, spec: TaskSpec, fn: Callable[..., Any]) -> None:
        interface = spec.interface
        self.spec = spec
        self.fn = fn
        self.single = interface.output_form == "single"
        out = interface.outputs[0] if self.single else None
        self.out: TypeSpec | None = _canonical(out.type) if out is not None else None
        self.out_name = out.name if out is not None else None
        self.targets = tuple(_canonical(p.type) for p in interface.inputs)
        # per input: its checker, its type, whether a value read once may skip the checker (it
        # validates and copies exactly as the output check did), and the type whose constants
        # need no check (unconstrained scalars; a list constant was checked when recorded)
        self.inputs = tuple(
            (input_checker(p.type), target, input_checker(p.type) is checker(p.type),
             _CHECK_FREE.get(p.type.name) if type(p.type) is PrimitiveType and not p.type.constraints else
             (list if _exact_items(p.type) is not None else None))
            for p, target in zip(interface.inputs, self.targets))
        self.out_check = checker(out.type) if out is not None else None
        self.out_exact = (_CHECK_FREE.get(out.type.name) if out is not None and type(out.type) is PrimitiveType
                          and not out.type.constraints else None)
        self.out_items = _exact_items(out.type) if out is not None else None
        self.names = tuple(p.name for p in interface.inputs)
        self.by_position = _positional(fn, list(self.names))

        self.checked = self._checked()
        self.fast = self._fast()

    def call(self, values: list[Any]) -> Any:
        return self.fn(*values) if self.by_position else self.fn(**dict(zip(self.names, values)))

    def _checked(self) -> Callable[[Ref, int, str, str], Any]:
        """``checked(ref, i, prefix, name)``: node ``prefix + "n<i>"`` run from its record, validation
        on; it sets ``ref.value`` and returns None, or returns _GENERAL (nothing ran) when an input
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
                        a0 = c0(a0.ref.value if type(a0) is _Converted else a0)
                except TypeMismatch:
                    return _GENERAL
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
                        a0 = c0(a0.ref.value if type(a0) is _Converted else a0)
                    if type(a1) is Ref:
                        a1 = a1.value if o1 and a1.readers == 1 else c1(a1.value)
                    elif type(a1) is not f1:
                        a1 = c1(a1.ref.value if type(a1) is _Converted else a1)
                except TypeMismatch:
                    return _GENERAL
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
                    elif type(value) is _Converted:
                        values.append(check(value.ref.value))
                    else:
                        values.append(value if type(value) is free else check(value))
            except TypeMismatch:
                return _GENERAL
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


class _Site:
    """One call site of the plan: its task, where it is, how its arguments are checked while recording."""

    def __init__(self, task: _Task, location: Site) -> None:
        self.task = task
        self.out = task.out
        self.checked = task.checked
        self.fast = task.fast
        self.location = location
        self.span = SourceSpan(file=location.location.file, line=location.location.line,
                               column=location.location.column or 0)
        self.params = tuple((target, _EXACT.get(target.name) if type(target) is PrimitiveType else None,
                             _exact_items(target)) for target in task.targets)
        self.accepts: dict[TypeSpec, bool] = {}

    def argument(self, i: int, value: Any) -> Any:
        """The slow half of a recorder's argument check: what the record keeps, or _Unusual."""
        target, exact, items = self.params[i]
        kind = type(value)
        if kind is Ref:
            out = value.site.out
            ok = self.accepts.get(out) if out is not None else False
            if ok is None:
                ok = self.accepts[out] = is_assignable(out, target)
            if not ok:
                raise _Unusual(f"a ref of another type as input {i} of {self.task.spec.name}")
            value.readers += 1
            return value if out is target else _Converted(value)
        if kind is exact:
            return value
        if items is not None and kind is list and _all(value, items):
            return value.copy()  # the value the interpreter's IR literal keeps
        raise _Unusual(f"a {kind.__name__} as input {i} of {self.task.spec.name}")

    def recorder(self, append: Callable[[Ref], None]) -> Callable[..., Ref]:
        """This site's recorder for one run (records go to ``append``)."""
        site, argument = self, self.argument
        if len(self.params) == 1:
            ((t0, e0, _),) = self.params

            def record1(a0: Any) -> Ref:
                k = type(a0)
                if k is Ref and a0.site.out is t0:
                    a0.readers += 1
                elif k is not e0:
                    a0 = argument(0, a0)
                ref = Ref()
                ref.site = site
                ref.a0 = a0
                ref.readers = 0
                append(ref)
                return ref

            return record1
        if len(self.params) == 2:
            ((t0, e0, _), (t1, e1, _)) = self.params

            def record2(a0: Any, a1: Any) -> Ref:
                k = type(a0)
                if k is Ref and a0.site.out is t0:
                    a0.readers += 1
                elif k is not e0:
                    a0 = argument(0, a0)
                k = type(a1)
                if k is Ref and a1.site.out is t1:
                    a1.readers += 1
                elif k is not e1:
                    a1 = argument(1, a1)
                ref = Ref()
                ref.site = site
                ref.a0 = a0
                ref.a1 = a1
                ref.readers = 0
                append(ref)
                return ref

            return record2

        def record(*args: Any) -> Ref:
            ref = Ref()
            ref.site = site
            ref.args = tuple(argument(i, a) for i, a in enumerate(args))
            ref.readers = 0
            append(ref)
            return ref

        return record


class DynamicPlan:
    """The plan of one @dynamic (see the module docstring): ``body`` is the generated plan
    function, ``module`` the user's module (its tasks and builtins are checked on every run),
    ``sites`` one ``(task name, parameters, line, column)`` per call site of ``file``."""

    def __init__(self, body: Callable[..., Any], module: Any, root: str, file: str, builtins: tuple[str, ...],
                 sites: tuple[tuple[str, tuple[str, ...], int, int], ...]) -> None:
        self.body = body
        self.module = module
        self.root = root
        self.file = file
        self.builtins = builtins
        self.site_specs = sites
        self.enabled = True  # False: always the interpreter's path (tests compare both)
        self.runs = 0
        self.fallbacks = 0
        self.last_fallback: str | None = None
        self._sites: tuple[_Site, ...] | None = None
        self._entities: tuple[tuple[str, Any], ...] = ()
        self._unusable: str | None = None
        self._outputs: dict[tuple[TypeSpec, TypeSpec], bool] = {}

    # -- preparing (once) ---------------------------------------------------------------------
    def _prepare(self) -> str | None:
        """Resolve the tasks in the user's module; why the plan cannot be used, or None."""
        namespace = vars(self.module)
        tasks: dict[str, _Task] = {}
        sites = []
        for name, params, line, column in self.site_specs:
            entity = namespace.get(name)
            task = tasks.get(name)
            if task is None:
                why = _unplannable(name, entity, params)
                if why is not None:
                    return why
                spec = entity.spec()
                task = tasks[name] = _Task(spec, getattr(entity, "fn", entity))
            sites.append(_Site(task, Site(self.root, self.file, line, column)))
        self._entities = tuple((name, namespace[name]) for name in tasks)
        self._sites = tuple(sites)
        return None

    def _usable(self) -> str | None:
        if self._sites is None and self._unusable is None:
            self._unusable = self._prepare()
        if self._unusable is not None:
            return self._unusable
        namespace = vars(self.module)
        for name, entity in self._entities:
            if namespace.get(name) is not entity:
                return f"{name} was rebound in {self.module.__name__}"
        for name in self.builtins:
            if name in namespace:
                return f"{self.module.__name__} defines {name}, a builtin the body calls"
        return None

    # -- running ------------------------------------------------------------------------------
    def run(self, spec: TaskSpec, prefix: str, inputs: dict[str, Any], *, checked: bool) -> dict[str, Any] | None:
        """The outputs of @dynamic ``spec`` (node paths ``prefix + "n<i>"``), or None when the plan
        stepped aside (nothing ran: the caller runs the @dynamic as the interpreter does)."""
        if not self.enabled:
            return None
        output = spec.interface.outputs[0]
        why = self._usable()
        if why is None and not all(type(value) in _PLAIN for value in inputs.values()):
            why = "an input is an instance of a subclass of a builtin type (its methods could run user code)"
        if why is None:
            records: list[Ref] = []
            append = records.append
            sites = self._sites
            assert sites is not None
            try:
                with building_graph():  # the collector paused while recording, the records frozen after
                    returned = self.body(tuple(site.recorder(append) for site in sites), **inputs)
            except Exception as exc:  # the interpreter's path traces the body again and says what it says
                why = f"the body raised {type(exc).__name__}: {exc}"
            else:
                if type(returned) is not Ref or not self._returns(returned.site.out, output.type):
                    why = "the body returned something other than a task call's result of its output type"
        if why is not None:
            self.fallbacks += 1
            self.last_fallback = why
            return None
        self.runs += 1
        returned.readers += 1  # the outputs read it
        if checked:
            _run_checked(records, spec.name, prefix)
        else:
            _run_fast(records, spec.name, prefix)
        return {output.name: returned.value}

    def _returns(self, out: TypeSpec | None, target: TypeSpec) -> bool:
        """Whether the interpreter binds a result of type ``out`` to the output type ``target``."""
        if out is None:
            return False
        key = (out, target)
        ok = self._outputs.get(key)
        if ok is None:
            ok = self._outputs[key] = is_assignable(out, target)
        return ok


def _unplannable(name: str, entity: Any, params: tuple[str, ...]) -> str | None:
    """Why task ``name`` of the user's module cannot run from a plan (None: it can)."""
    if getattr(entity, "kind", None) != "task" or getattr(entity, "extra_bindings", None) is not None:
        return f"{name} is not a plain task"
    spec = entity.spec()
    if spec.name != getattr(entity, "name", None):
        return f"{name} is not a plain task"
    if spec.cache is not None or spec.retries or spec.timeout_seconds is not None:
        return f"task {spec.name} has a cache, retries or a timeout"
    if spec.interface.output_form not in ("single", "none"):
        return f"task {spec.name} has several outputs"
    if tuple(p.name for p in spec.interface.inputs) != params:
        return f"task {spec.name}'s inputs are not the parameters the plan was generated for"
    if uses_context(getattr(entity, "fn", entity)):
        return f"task {spec.name} takes a task context"
    return None


def _value(argument: Any) -> Any:
    """What a recorded argument stands for: a ref's value, or the constant itself."""
    kind = type(argument)
    return argument.value if kind is Ref else argument.ref.value if kind is _Converted else argument


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


def _failed(exc: Exception, site: _Site, path: str, name: str) -> TaskError:
    spec = site.task.spec
    return task_failure(exc, 1, {"what": f"task {spec.name} (node {path} of {name})", **_facts(site, path, name)})


def _facts(site: _Site, path: str, name: str) -> dict[str, Any]:
    return {"workflow": name, "node": path, "task": site.task.spec.name, "location": site.location.location}


def _run_checked(records: list[Ref], name: str, prefix: str) -> None:
    """Phase 2, validation on: each node as the interpreter's inlined path runs a plain task."""
    for i, ref in enumerate(records):
        records[i] = None  # type: ignore[call-overload]  # the readers' references keep it alive
        if ref.site.checked(ref, i, prefix, name) is not None:
            ref.value = _general(ref, name, f"{prefix}n{i}")
            ref.readers = -1  # possibly shared (as the interpreter's general path): its readers copy it


def _run_fast(records: list[Ref], name: str, prefix: str) -> None:
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
