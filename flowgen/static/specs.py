"""Tasks, dynamics and workflows from their definitions: decorators, interfaces, options.

The reference is what ``flowgen.dsl`` builds from the live function
(``Task.__init__``, ``interface_of``); this module derives the same
:class:`~flowgen.ir.model.TaskSpec` / :class:`~flowgen.ir.model.Interface` from
a :class:`~flowgen.static.summary.FunctionInfo`. Problems are returned as data
anchored to a part of the definition (a parameter, the return annotation, a
decorator) so the caller can locate them in the module it is checking.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import libcst as cst

from flowgen.ir.model import CacheConfig, Interface, Output, Param, SourceSpan, TaskSpec
from flowgen.ir.overrides import override_problems
from flowgen.ir.types import OpaqueType, RecordType, TupleType, TypeSpec
from flowgen.ir.values import has_opaque
from flowgen.static.annotations import TypeResolver, UnsupportedType
from flowgen.static.checks import INVALID_OPTION, MISSING_ANNOTATION, OPAQUE_VALUE, UNSUPPORTED_TYPE, Check
from flowgen.static.literals import LiteralMismatch, encode
from flowgen.static.summary import DecoratorInfo, FunctionInfo
from flowgen.static.symbols import ClassRef, ExternalRef, FunctionRef, Project

__all__ = ["FLYTE_ONLY_OPTIONS", "TASK_OPTIONS", "Entity", "EntityKind", "Problem", "SpecBuilder"]

EntityKind = Literal["task", "dynamic", "workflow"]

# Same set as flowgen.dsl.options.FLYTE_ONLY_OPTIONS (a test keeps them equal): accepted and ignored.
FLYTE_ONLY_OPTIONS = frozenset({
    "requests", "limits", "resources", "container_image", "environment", "secret_requests", "enable_deck",
    "deck_fields", "interruptible", "docs", "pod_template", "pod_template_name", "task_config", "accelerator",
    "execution_mode", "node_dependency_hints", "task_resolver", "disable_deck", "cache_serialize",
    "shared_memory", "labels", "annotations", "failure_policy", "on_failure", "max_parallelism",
})
TASK_OPTIONS = frozenset({"name", "cache", "cache_version", "cache_ignore_input_vars", "retries", "timeout"})
_WORKFLOW_OPTIONS = frozenset({"name"})
# Cluster options the runtime validates locally, by the rule in flowgen.ir.overrides: units, requests <= limits.
_VALIDATED_CLUSTER_OPTIONS = frozenset({"requests", "limits", "container_image"})

Anchor = tuple[str, int]  # ("param", i), ("return", 0), ("decorator", i), ("function", 0)


@dataclass(frozen=True)
class Problem:
    check: Check
    message: str
    anchor: Anchor
    hint: str | None = None


@dataclass
class Entity:
    """A flowgen-decorated function, as the static front end sees it."""

    kind: EntityKind
    ref: FunctionRef
    name: str
    function: str
    interface: Interface | None
    source: SourceSpan
    spec: TaskSpec | None = None  # tasks and dynamics
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # reported, but the entity is usable

    @property
    def ok(self) -> bool:
        return self.interface is not None and not self.problems


class NotConstant(Exception):
    """An expression whose value the static front end cannot compute."""


ConstantEvaluator = Callable[[cst.BaseExpression, str], Any]

_KINDS: dict[str, EntityKind] = {"flowgen.task": "task", "flowgen.dynamic": "dynamic", "flowgen.workflow": "workflow"}


class SpecBuilder:
    def __init__(self, project: Project, types: TypeResolver, constant: ConstantEvaluator) -> None:
        self.project = project
        self.types = types
        self.constant = constant
        self._entities: dict[tuple[str, str], Entity | None] = {}

    def decorator_kind(self, info: FunctionInfo, module: str) -> tuple[EntityKind, int, DecoratorInfo] | None:
        for i, d in enumerate(info.decorators):
            ref = self.project.resolve_expr(module, d.target)
            if isinstance(ref, ExternalRef) and ref.qualname in _KINDS:
                return _KINDS[ref.qualname], i, d
        return None

    def entity(self, ref: FunctionRef) -> Entity | None:
        """The task/dynamic/workflow a function is, or None for a plain function."""
        key = (ref.module, ref.info.name)
        if key not in self._entities:
            self._entities[key] = self._build(ref)
        return self._entities[key]

    def _build(self, ref: FunctionRef) -> Entity | None:
        info = ref.info
        found = self.decorator_kind(info, ref.module)
        if found is None:
            return None
        kind, index, decorator = found
        summary = self.project.module(ref.module)
        path = os.path.abspath(summary.path) if summary is not None else ref.module
        function = f"{ref.module}:{info.name}"
        entity = Entity(kind=kind, ref=ref, name=f"{ref.module}.{info.name}", function=function, interface=None,
                        source=SourceSpan(file=path, line=info.line, column=0))
        options = self._options(decorator, index, ref.module, entity)
        if isinstance(options.get("name"), str):
            entity.name = options["name"]
        entity.interface = self._interface(info, ref.module, kind, entity)
        if kind != "workflow" and entity.interface is not None:
            entity.spec = self.task_spec(entity, options, index)
        return entity

    # -- options ------------------------------------------------------------------------------
    def _options(self, decorator: DecoratorInfo, index: int, module: str, entity: Entity) -> dict[str, Any]:
        allowed = TASK_OPTIONS if entity.kind != "workflow" else _WORKFLOW_OPTIONS
        options: dict[str, Any] = {}
        cluster: dict[str, Any] = {}
        what = f"@{entity.kind} {entity.name}"
        for arg in decorator.args:
            if arg.keyword is None:
                entity.problems.append(Problem(INVALID_OPTION, f"{what}: options are passed by keyword",
                                               ("decorator", index)))
                continue
            key = arg.keyword.value
            if key == "metadata" and entity.kind != "workflow":  # flytekit's TaskMetadata(retries=..., ...)
                self._metadata(arg.value, module, options, what, index, entity)
                continue
            if key in FLYTE_ONLY_OPTIONS:
                if key in _VALIDATED_CLUSTER_OPTIONS:  # the runtime checks these at definition (dsl.cluster_config)
                    with contextlib.suppress(NotConstant):  # not computable here: the runtime still checks it
                        cluster[key] = self.constant(arg.value, module)
                continue
            if key not in allowed:
                entity.problems.append(Problem(INVALID_OPTION, f"{what}: unknown option(s) {key}",
                                               ("decorator", index), f"known options: {', '.join(sorted(allowed))}"))
                continue
            try:
                options[key] = self.constant(arg.value, module)
            except NotConstant as exc:
                entity.problems.append(Problem(INVALID_OPTION, f"{what}: option {key} must be a constant ({exc})",
                                               ("decorator", index)))
        given = {k: v for k, v in cluster.items() if v is not None}
        for _, message in override_problems(given) if given else ():
            entity.problems.append(Problem(INVALID_OPTION, f"{what}: {message}", ("decorator", index)))
        return options

    def _metadata(self, value: cst.BaseExpression, module: str, options: dict[str, Any], what: str, index: int,
                  entity: Entity) -> None:
        """The options ``metadata=TaskMetadata(...)`` stands for (flowgen.dsl.task_metadata)."""
        callee = self.project.resolve_expr(module, value.func) if isinstance(value, cst.Call) else None
        if not (isinstance(callee, ExternalRef) and callee.qualname.startswith("flowgen.")
                and callee.qualname.endswith(".TaskMetadata")):
            entity.problems.append(Problem(INVALID_OPTION, f"{what}: metadata must be a TaskMetadata(...)",
                                           ("decorator", index)))
            return
        assert isinstance(value, cst.Call)
        for arg in value.args:
            key = arg.keyword.value if arg.keyword is not None else None
            if key not in TASK_OPTIONS or key == "name":
                continue
            if key in options:
                entity.problems.append(Problem(INVALID_OPTION, f"{what}: {key} given both directly and in "
                                               "metadata=TaskMetadata(...)", ("decorator", index)))
                continue
            try:
                options[key] = self.constant(arg.value, module)
            except NotConstant as exc:
                entity.problems.append(Problem(INVALID_OPTION, f"{what}: TaskMetadata {key} must be a constant "
                                               f"({exc})", ("decorator", index)))

    def task_spec(self, entity: Entity, options: dict[str, Any], index: int) -> TaskSpec | None:
        what = f"@{entity.kind} {entity.name}"
        interface = entity.interface
        assert interface is not None

        def problem(message: str) -> None:
            entity.problems.append(Problem(INVALID_OPTION, f"{what}: {message}", ("decorator", index)))

        retries = options.get("retries", 0)
        if not isinstance(retries, int) or isinstance(retries, bool) or retries < 0:
            problem(f"retries must be a non-negative int, not {retries!r}")
            retries = 0
        timeout = options.get("timeout")
        seconds: float | None = None
        if timeout is not None:
            if isinstance(timeout, dt.timedelta):
                seconds = timeout.total_seconds()
            elif isinstance(timeout, (int, float)) and not isinstance(timeout, bool):
                seconds = float(timeout)
            else:
                problem(f"timeout must be seconds or a timedelta, not {timeout!r}")
            if seconds is not None and seconds <= 0:
                problem(f"timeout must be positive, not {timeout!r}")
                seconds = None
        cache = self._cache(options, interface, problem)
        return TaskSpec(name=entity.name, kind=entity.kind, function=entity.function,  # type: ignore[arg-type]
                        interface=interface, cache=cache, retries=retries, timeout_seconds=seconds,
                        source=entity.source)

    def _cache(self, options: dict[str, Any], interface: Interface, problem: Callable[[str], None]) -> CacheConfig | None:
        cache = options.get("cache", False)
        version = options.get("cache_version", "")
        ignored_option = options.get("cache_ignore_input_vars", ())
        ignored = tuple(ignored_option) if isinstance(ignored_option, (tuple, list)) else ()
        if isinstance(cache, CacheOption):
            version = cache.version if cache.version is not None else version
            names = (cache.ignored_inputs,) if isinstance(cache.ignored_inputs, str) else tuple(cache.ignored_inputs)
            ignored = (*ignored, *names)
        elif cache is True:
            pass
        elif cache is False or cache is None:
            return None
        else:
            problem(f"cache must be True, False or Cache(...), not {cache!r}")
            return None
        unknown = sorted(set(ignored) - {p.name for p in interface.inputs})
        if unknown:
            problem(f"ignored cache input(s) {', '.join(unknown)} are not inputs")
        return CacheConfig(version=version or "", ignored_inputs=tuple(sorted(set(ignored))))

    # -- interface ----------------------------------------------------------------------------
    def _type(self, expr: cst.BaseExpression, module: str, what: str, anchor: Anchor,
              entity: Entity) -> TypeSpec | None:
        try:
            return self.types.spec(expr, module)
        except UnsupportedType as exc:
            entity.problems.append(Problem(UNSUPPORTED_TYPE, f"{what}: {exc}", anchor))
            return None
        except RecursionError:
            entity.problems.append(Problem(UNSUPPORTED_TYPE, f"{what}: annotation nested too deeply", anchor))
            return None

    def _interface(self, info: FunctionInfo, module: str, kind: str, entity: Entity) -> Interface | None:
        qualname = info.name
        inputs: list[Param] = []
        ok = True
        for i, p in enumerate(info.params):
            anchor: Anchor = ("param", i)
            if p.kind in ("varargs", "varkw"):
                star = "*" if p.kind == "varargs" else "**"
                entity.problems.append(Problem(
                    MISSING_ANNOTATION,
                    f"{kind} {qualname} takes {star}{p.name}; tasks and workflows need named parameters", anchor))
                ok = False
                continue
            spec: TypeSpec | None
            if p.annotation is None:
                spec = OpaqueType()  # untyped, as Flyte takes it: an opaque value
            else:
                spec = self._type(p.annotation, module, f"input {p.name!r} of {kind} {qualname}", anchor, entity)
            if spec is None:
                ok = False
                continue
            if p.default is None:
                inputs.append(Param(name=p.name, type=spec))
                continue
            try:
                value = self.constant(p.default, module)
                default = encode(value, spec)
            except NotConstant as exc:
                entity.problems.append(Problem(INVALID_OPTION, f"default of input {p.name!r} of {kind} {qualname} "
                                               f"cannot be computed statically ({exc})", anchor))
                ok = False
                continue
            except LiteralMismatch as exc:
                entity.problems.append(Problem(INVALID_OPTION, f"default of input {p.name!r} of {kind} {qualname}: "
                                               f"{exc.describe()}", anchor))
                ok = False
                continue
            inputs.append(Param(name=p.name, type=spec, has_default=True, default=default))
        if info.returns is None:  # no return annotation: no outputs, as in Flyte
            outputs: tuple[tuple[Output, ...], str, str | None] | None = ((), "none", None)
        else:
            outputs = self._outputs(info.returns, module, f"return type of {kind} {qualname}", entity)
        if outputs is None or not ok:
            return None
        items, form, ref = outputs
        opaque = [(("param", i), f"input {p.name!r}") for i, (p, param) in enumerate(zip(info.params, inputs))
                  if has_opaque(param.type)]
        opaque += [(("return", 0), f"output {o.name!r}") for o in items if has_opaque(o.type)]
        if opaque:  # one warning per definition, at its first opaque value
            names = ", ".join(w for _, w in opaque)
            entity.warnings.append(Problem(OPAQUE_VALUE, f"{kind} {qualname}: {names} opaque (typing.Any, untyped or "
                                           "a class outside the type language): not type-checked, pickled between "
                                           "processes, never served from the cache", opaque[0][0]))
        return Interface(inputs=tuple(inputs), outputs=items, output_form=form, output_ref=ref)  # type: ignore[arg-type]

    def _outputs(self, returns: cst.BaseExpression, module: str, what: str,
                 entity: Entity) -> tuple[tuple[Output, ...], str, str | None] | None:
        anchor: Anchor = ("return", 0)
        if isinstance(returns, cst.Name) and returns.value == "None":
            return (), "none", None
        if isinstance(returns, cst.Tuple):  # Flyte's ``-> (int, str)``
            specs = [self._type(e.value, module, f"{what}, item {i}", anchor, entity)
                     for i, e in enumerate(returns.elements)]
            if any(s is None for s in specs):
                return None
            return tuple(Output(name=f"o{i}", type=s) for i, s in enumerate(specs) if s is not None), "tuple", None
        target = returns
        if isinstance(target, (cst.Name, cst.Attribute)):
            resolved = self.project.resolve_expr(module, target)
            if isinstance(resolved, ClassRef) and self.types.class_kind(resolved) == "namedtuple":
                fields = []
                for owner, name, annotation, _ in self.types.record_fields(resolved, "namedtuple"):
                    spec = self._type(annotation, owner.module, f"{what}, field {name!r}", anchor, entity)
                    if spec is None:
                        return None
                    fields.append(Output(name=name, type=spec))
                return tuple(fields), "namedtuple", resolved.ref
            if isinstance(resolved, ExternalRef) and resolved.qualname == "types.NoneType":
                return (), "none", None
        spec = self._type(returns, module, what, anchor, entity)
        if spec is None:
            return None
        if isinstance(spec, TupleType):
            return tuple(Output(name=f"o{i}", type=s) for i, s in enumerate(spec.items)), "tuple", None
        if isinstance(spec, RecordType) and spec.flavor == "namedtuple":  # NamedTuple("Name", [...])
            return tuple(Output(name=f.name, type=f.type) for f in spec.fields), "namedtuple", spec.ref
        return (Output(name="o0", type=spec),), "single", None




@dataclass(frozen=True)
class CacheOption:
    """The static value of ``flowgen.Cache(version=..., ignored_inputs=...)``."""

    version: str | None = None
    ignored_inputs: tuple[str, ...] | str = ()
    serialize: bool = False
