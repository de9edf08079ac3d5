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

The records and their node runners live in :mod:`.plan_nodes`; this module records (the
per-site recorders) and decides when the plan steps aside.

``runs`` and ``fallbacks`` count what happened (``last_fallback`` says why): the tests
assert that a plan ran; ``enabled = False`` sends every run to the interpreter's path.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from itertools import repeat
from typing import Any

from flowgen.ir.compat import is_assignable
from flowgen.ir.model import SourceSpan, TaskSpec
from flowgen.ir.types import PrimitiveType, TypeSpec
from flowgen.runtime.gc_policy import building_graph
from flowgen.runtime.generated.data import Site
from flowgen.runtime.generated.plan_nodes import (
    Converted,
    PlanTask,
    Ref,
    Unusual,
    exact_items,
    run_checked,
    run_fast,
)
from flowgen.runtime.task_context import uses_context

__all__ = ["DynamicPlan", "Ref"]

_EXACT: dict[str, type] = {"str": str, "int": int, "bool": bool}  # constants the IR keeps as they are
_PLAIN = frozenset({str, int, float, bool, list, dict})  # the classes a plan's inputs may be (exactly)


def _all(values: list[Any], kind: type) -> bool:
    """Every item's type is ``kind`` (identity, at C speed)."""
    return all(map(operator.is_, map(type, values), repeat(kind)))



class _Site:
    """One call site of the plan: its task, where it is, how its arguments are checked while recording."""

    def __init__(self, task: PlanTask, location: Site) -> None:
        self.task = task
        self.out = task.out
        self.checked = task.checked
        self.fast = task.fast
        self.location = location
        self.span = SourceSpan(file=location.location.file, line=location.location.line,
                               column=location.location.column or 0)
        self.params = tuple((target, _EXACT.get(target.name) if type(target) is PrimitiveType else None,
                             exact_items(target)) for target in task.targets)
        self.accepts: dict[TypeSpec, bool] = {}

    def argument(self, i: int, value: Any) -> Any:
        """The slow half of a recorder's argument check: what the record keeps, or Unusual."""
        target, exact, items = self.params[i]
        kind = type(value)
        if kind is Ref:
            out = value.site.out
            ok = self.accepts.get(out) if out is not None else False
            if ok is None:
                ok = self.accepts[out] = is_assignable(out, target)
            if not ok:
                raise Unusual(f"a ref of another type as input {i} of {self.task.spec.name}")
            value.readers += 1
            return value if out is target else Converted(value)
        if kind is exact:
            return value
        if items is not None and kind is list and _all(value, items):
            return value.copy()  # the value the interpreter's IR literal keeps
        raise Unusual(f"a {kind.__name__} as input {i} of {self.task.spec.name}")

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
        tasks: dict[str, PlanTask] = {}
        sites = []
        for name, params, line, column in self.site_specs:
            entity = namespace.get(name)
            task = tasks.get(name)
            if task is None:
                why = _unplannable(name, entity, params)
                if why is not None:
                    return why
                spec = entity.spec()
                task = tasks[name] = PlanTask(spec, getattr(entity, "fn", entity))
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
            run_checked(records, spec.name, prefix)
        else:
            run_fast(records, spec.name, prefix)
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
