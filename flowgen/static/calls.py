"""Calls: evaluate the arguments, then dispatch on what is called.

Entities, partials, mapped tasks and launch plans go to :mod:`binding`,
:mod:`map_tasks` and :mod:`launch_plans`; builtins and methods run on constants
(a fixed allow-list, nothing touching the outside world); functions of other
libraries are :class:`Opaque` in a ``@dynamic`` and FG401 in a workflow; a
Promise passed where its value is needed is FG107, also to a project's plain helper
function whose annotation asks for a value (:mod:`helper_calls`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import libcst as cst

from flowgen.ir.model import UnaryCheck
from flowgen.ir.overrides import override_problems
from flowgen.ir.types import ListType, TypeSpec, primitive, render_type
from flowgen.static.abstract_values import (
    SIZE_LIMIT,
    BoundMethod,
    ClassValue,
    EntityValue,
    ExternalValue,
    MapTaskValue,
    OutsideSubset,
    PartialValue,
    PlainFunction,
    contains_opaque,
    describe,
    may_be_bool,
    size_of,
)
from flowgen.static.annotations import UnsupportedType
from flowgen.static.body_base import BodyState
from flowgen.static.checks import (
    DUPLICATE_INPUT,
    INVALID_OPTION,
    PROMISE_FORMATTING,
    PROMISE_ITERATION,
    PROMISE_TRUTHINESS,
    PROMISE_VALUE_NEEDED,
    RAISES,
    TYPE_MISMATCH,
)
from flowgen.static.conditionals import Section, ThenStep
from flowgen.static.flyte_objects import LaunchPlanValue
from flowgen.static.helper_calls import helper_misuse
from flowgen.static.launch_plans import FLYTE_BUILDERS
from flowgen.static.specs import CacheOption, NotConstant
from flowgen.static.symbols import ClassRef
from flowgen.static.values import (
    BuiltRecord,
    ConditionValue,
    Misuse,
    NamedOutputs,
    Opaque,
    PromiseValue,
    contains_placeholder,
)

__all__ = [
    "ITERATING",
    "RESULT_TYPES",
    "SAFE_BUILTINS",
    "STORING_METHODS",
    "VALUE_FUNCTIONS",
    "VALUE_MODULES",
    "VALUE_NEEDED",
    "CallsMixin",
    "needs_values",
]


SAFE_BUILTINS: dict[str, Callable[..., Any]] = {
    name: getattr(__builtins__, name) if not isinstance(__builtins__, dict) else __builtins__[name]
    for name in ("len", "int", "float", "str", "bool", "range", "abs", "round", "min", "max", "chr", "ord",
                 "hex", "oct", "bin", "divmod", "list", "tuple", "set", "frozenset", "sorted", "reversed",
                 "enumerate", "zip", "sum", "any", "all", "dict", "repr", "format", "bytes")
}


VALUE_NEEDED = {"len", "int", "float", "complex", "range", "abs", "round", "min", "max", "chr", "ord", "hex", "oct", "bin",
                 "divmod", "bytes", "print", "pow", "hash"}


ITERATING = {"list", "tuple", "set", "frozenset", "sorted", "reversed", "enumerate", "zip", "sum", "any", "all",
              "dict", "iter", "next"}


RESULT_TYPES = {"len": "int", "int": "int", "float": "float", "str": "str", "bool": "bool", "repr": "str",
                 "format": "str", "ord": "int", "chr": "str", "hex": "str", "oct": "str", "bin": "str"}


STORING_METHODS = frozenset({"append", "extend", "insert", "update", "setdefault", "add"})


VALUE_MODULES = ("math.", "cmath.", "statistics.", "operator.")


VALUE_FUNCTIONS = frozenset({"json.dumps", "json.dump", "decimal.Decimal", "fractions.Fraction"})


def needs_values(qualname: str) -> bool:
    return qualname in VALUE_FUNCTIONS or qualname.startswith(VALUE_MODULES)


class CallsMixin(BodyState):
    """Calls: argument evaluation, dispatch on the callee, builtins, methods, external functions."""

    def ev_Call(self, node: cst.Call) -> Any:
        func = self.ev(node.func)
        if isinstance(func, ExternalValue) and func.qualname in FLYTE_BUILDERS:  # arguments read from the CST
            if func.qualname == "flowgen.Echo":
                return self.make_echo(node)
            return self.make_launch_plan(func.qualname, node)
        try:
            args, kwargs, arg_nodes = self.arguments(node)
        except (Misuse, OutsideSubset):
            receiver = func.receiver if isinstance(func, BoundMethod) else None
            if isinstance(receiver, ThenStep):
                receiver = receiver.section
            if isinstance(receiver, Section):
                receiver.reported = True  # an error inside if_(...)/then(...): the chain was never followed
            raise
        return self.call(func, tuple(args), kwargs, node, arg_nodes)

    def arguments(self, node: cst.Call) -> tuple[list[Any], dict[str, Any], dict[Any, cst.CSTNode]]:
        """The evaluated arguments of a call, and the node each came from (by position or keyword)."""
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        arg_nodes: dict[Any, cst.CSTNode] = {}
        for arg in node.args:
            if arg.star == "*":
                value = self.ev(arg.value)
                if isinstance(value, PromiseValue):
                    raise Misuse(PROMISE_ITERATION, f"unpacking `*{self.code(arg.value)}`: {value.describe()}",
                                 None, arg)
                if isinstance(value, Opaque):
                    raise OutsideSubset(f"`*{self.code(arg.value)}` cannot be computed statically", arg)
                args.extend(self.iterate(value, arg.value))
            elif arg.star == "**":
                value = self.ev(arg.value)
                if isinstance(value, PromiseValue):
                    raise Misuse(PROMISE_ITERATION, f"converting a Promise to a dict (`**{self.code(arg.value)}`): "
                                 f"{value.describe()}", "pass it to a task", arg)
                if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
                    raise OutsideSubset(f"`**{self.code(arg.value)}` cannot be computed statically", arg)
                for k, v in value.items():
                    if k in kwargs:
                        raise Misuse(DUPLICATE_INPUT, f"keyword argument {k!r} given twice", None, arg)
                    kwargs[k] = v
            elif arg.keyword is not None:
                key = arg.keyword.value
                if key in kwargs:
                    raise Misuse(DUPLICATE_INPUT, f"keyword argument {key!r} given twice", None, arg)
                kwargs[key] = self.ev(arg.value)
                arg_nodes[key] = arg.value
            else:
                arg_nodes[len(args)] = arg.value
                args.append(self.ev(arg.value))
        return args, kwargs, arg_nodes

    def call(self, func: Any, args: tuple[Any, ...], kwargs: dict[str, Any], node: cst.Call,
             arg_nodes: dict[Any, cst.CSTNode]) -> Any:
        if isinstance(func, EntityValue):
            return self.call_entity(func.entity, args, kwargs, node, arg_nodes)
        if isinstance(func, PartialValue):
            shifted = {k + len(func.args) if isinstance(k, int) else k: v for k, v in arg_nodes.items()}
            return self.call(func.func, (*func.args, *args), {**func.kwargs, **kwargs}, node, shifted)
        if isinstance(func, MapTaskValue):
            return self.call_map(func, args, kwargs, node, arg_nodes)
        if isinstance(func, LaunchPlanValue):
            return self.call_launch_plan(func, args, kwargs, node, arg_nodes)
        if isinstance(func, BoundMethod):
            return self.call_method(func, args, kwargs, node, arg_nodes)
        if isinstance(func, ExternalValue):
            return self.call_external(func.qualname, args, kwargs, node)
        if isinstance(func, PlainFunction):
            refused = helper_misuse(self.compiler.types, func.ref, args, kwargs, node, arg_nodes)
            if refused is not None:
                raise refused
            self.reject_placeholders(args, kwargs, node, f"{func.ref.info.name}()")
            raise OutsideSubset(f"call of the plain function {func.ref.info.name}(); the static compiler does not "
                                "follow calls into plain Python functions", node)
        if isinstance(func, ClassValue):
            kind = self.compiler.types.class_kind(func.ref)
            if kind == "namedtuple":
                return self.construct_namedtuple(func.ref, args, kwargs, node)
            if kind in ("dataclass", "pydantic") and self.mode == "workflow":
                try:
                    spec = self.compiler.types.class_spec(func.ref)
                except (UnsupportedType, RecursionError):
                    spec = None
                if spec is not None:
                    return BuiltRecord(spec, f"the {func.ref.info.name}(...) built here")
            raise OutsideSubset(f"constructing {func.ref.info.name}(...) in a workflow body is outside the static "
                                "subset", node)
        if isinstance(func, (PromiseValue, ConditionValue)):
            raise Misuse(PROMISE_VALUE_NEEDED, f"calling a Promise: {describe(func)}",
                         "Promises are values; pass it to a task", node)
        if isinstance(func, Opaque):
            return Opaque(None, f"result of {self.code(node.func)}()", real=func.real, poisoned=func.poisoned)
        raise Misuse(RAISES, f"`{self.code(node.func)}` is not callable", None, node)

    def construct_namedtuple(self, ref: ClassRef, args: tuple[Any, ...], kwargs: dict[str, Any],
                             node: cst.Call) -> NamedOutputs:
        """``Point(x=p, y=1)`` for a NamedTuple: a tuple of its fields, as the tracer holds it."""
        fields = self.compiler.types.record_fields(ref, "namedtuple")
        names = [f[1] for f in fields]
        if len(args) > len(names):
            raise Misuse(RAISES, f"{ref.info.name}() takes {len(names)} fields but {len(args)} were given", None,
                         node)
        values: dict[str, Any] = dict(zip(names, args))
        for key, value in kwargs.items():
            if key not in names or key in values:
                raise Misuse(RAISES, f"{ref.info.name}() got an unexpected or repeated field {key!r}", None, node)
            values[key] = value
        defaults = {f.name: f.default for f in ref.info.fields if f.default is not None}
        for name in names:
            if name not in values:
                if name not in defaults:
                    raise Misuse(RAISES, f"{ref.info.name}() is missing field {name!r}", None, node)
                try:
                    values[name] = self.compiler.constant(defaults[name], ref.module)
                except NotConstant as exc:
                    raise OutsideSubset(f"default of {ref.info.name}.{name} cannot be computed statically ({exc})",
                                        node) from None
        return NamedOutputs(tuple(values[n] for n in names), tuple(names), ref.ref)

    def reject_placeholders(self, args: tuple[Any, ...], kwargs: dict[str, Any], node: cst.CSTNode,
                            what: str) -> None:
        for value in (*args, *kwargs.values()):
            if contains_placeholder(value) and self.mode != "constant":
                raise OutsideSubset(f"{what} receives a Promise; the static compiler cannot tell what it does with "
                                    "it", node)

    def call_external(self, qualname: str, args: tuple[Any, ...], kwargs: dict[str, Any], node: cst.Call) -> Any:
        if qualname.startswith("builtins."):
            return self.call_builtin(qualname[len("builtins."):], args, kwargs, node)
        if qualname == "flowgen.map_task":
            return self.make_map_task(args, kwargs, node)
        if qualname == "flowgen.conditional":
            return self.make_section(args, kwargs, node)
        if qualname == "functools.partial":
            if not args:
                raise Misuse(RAISES, "partial() needs a function", None, node)
            return PartialValue(args[0], tuple(args[1:]), dict(kwargs))
        if qualname == "flowgen.Cache":
            return CacheOption(**kwargs) if not args else CacheOption(*args, **kwargs)
        if qualname == "flowgen.Resources":  # read by with_overrides() (flowgen.ir.overrides)
            return {**dict(zip(("cpu", "mem", "gpu", "ephemeral_storage"), args)), **kwargs}
        if qualname in ("datetime.timedelta", "datetime.date", "datetime.datetime") and not (
            contains_placeholder(args) or contains_placeholder(kwargs)
        ):
            cls = {"datetime.timedelta": dt.timedelta, "datetime.date": dt.date,
                   "datetime.datetime": dt.datetime}[qualname]
            if all(isinstance(v, (int, float)) for v in (*args, *kwargs.values())):
                try:
                    return cls(*args, **kwargs)
                except (TypeError, ValueError, OverflowError) as exc:
                    raise Misuse(RAISES, f"{qualname}(...) raises {type(exc).__name__}: {exc}", None, node) from None
        if qualname == "typing.cast" and len(args) == 2:
            return args[1]
        if needs_values(qualname):
            direct = next((v for v in (*args, *kwargs.values()) if isinstance(v, (PromiseValue, ConditionValue))),
                          None)
            if direct is not None:
                raise Misuse(PROMISE_VALUE_NEEDED, f"`{qualname}()` needs the value of a Promise: "
                             f"{describe(direct)}", "pass it to a task that does this", node)
        self.reject_placeholders(args, kwargs, node, f"{qualname.rpartition('.')[2]}()")
        if self.mode == "constant":
            raise OutsideSubset(f"{qualname}() cannot be evaluated statically", node)
        return Opaque(None, f"the result of {qualname}()", real=self.mode == "dynamic")

    def call_builtin(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any], node: cst.Call) -> Any:
        values = (*args, *kwargs.values())
        direct = next((v for v in values if isinstance(v, (PromiseValue, ConditionValue))), None)
        if direct is not None:
            if name in ("str", "format", "ascii"):
                raise Misuse(PROMISE_FORMATTING, f"`{name}()` of a Promise: {describe(direct)}", None, node)
            if name == "repr" and isinstance(direct, PromiseValue):
                return repr(direct)
            if name == "dict" and args and isinstance(args[0], PromiseValue):
                raise Misuse(PROMISE_ITERATION, f"converting a Promise to a dict (`{self.code(node)}`): "
                             f"{args[0].describe()}", "pass it to a task", node)
            if name == "bool":
                raise Misuse(PROMISE_TRUTHINESS, f"`bool()` of a Promise: {describe(direct)}", None, node)
            if name in ITERATING:
                raise Misuse(PROMISE_ITERATION, f"`{name}()` iterates over a Promise: {describe(direct)}",
                             "use map_task() to run a task per item, or make this a @dynamic", node)
            if name in VALUE_NEEDED:
                raise Misuse(PROMISE_VALUE_NEEDED, f"`{name}()` needs the value of a Promise: {describe(direct)}",
                             None, node)
            raise OutsideSubset(f"`{name}()` of a Promise is outside the static subset", node)
        if name == "print":
            if any(contains_placeholder(v) for v in values):
                raise Misuse(PROMISE_FORMATTING, "`print()` formats a Promise", None, node)
            return None
        opaque = next((v for v in values if isinstance(v, Opaque)), None)
        if opaque is not None or any(contains_opaque(v) is not None for v in values):
            base = opaque if opaque is not None else contains_opaque(values)
            assert base is not None
            result = RESULT_TYPES.get(name)
            type_: TypeSpec | None = primitive(result) if result else None
            if name == "range":
                type_ = ListType(item=primitive("int"))
            elif name in ("list", "sorted", "tuple") and args and isinstance(args[0], Opaque):
                type_ = args[0].type
            return Opaque(type_, f"{name}(...)", real=base.real, poisoned=base.poisoned)
        fn = SAFE_BUILTINS.get(name)
        if fn is None:
            if name == "isinstance":
                raise OutsideSubset("isinstance() in a workflow body is outside the static subset", node)
            raise OutsideSubset(f"`{name}()` is not evaluated statically", node)
        if name == "range":
            try:
                r = range(*args, **kwargs)
            except TypeError as exc:
                raise Misuse(RAISES, f"range() raises TypeError: {exc}", None, node) from None
            if len(r) > SIZE_LIMIT:
                raise OutsideSubset("range too long to unroll statically", node)
            return r
        if name in ("str", "repr", "format") and any(contains_placeholder(v) for v in values):
            raise Misuse(PROMISE_FORMATTING, f"`{name}()` of a value holding Promises", None, node)
        for v in values:
            if isinstance(v, (range,)) and len(v) > SIZE_LIMIT:
                raise OutsideSubset(f"{name}() over a range too long to evaluate statically", node)
        try:
            result = fn(*args, **kwargs)
        except Misuse as m:
            m.node = m.node or node
            raise
        except (TypeError, ValueError, ZeroDivisionError, OverflowError, KeyError, IndexError) as exc:
            raise Misuse(RAISES, f"`{name}()` raises {type(exc).__name__}: {exc}", None, node) from None
        if name in ("enumerate", "zip", "reversed"):
            return list(result)
        return result

    def check_overrides(self, options: dict[str, Any], node: cst.Call) -> None:
        """``with_overrides(...)``: the tracer's rule (:mod:`flowgen.ir.overrides`) on the known values."""
        def known(value: Any) -> bool:
            return not isinstance(value, Opaque)

        given = {k: ({f: x for f, x in v.items() if known(x)} if isinstance(v, dict) else v)
                 for k, v in options.items() if known(v)}
        problems = override_problems(given, is_promise=lambda v: isinstance(v, (PromiseValue, ConditionValue)))
        if problems:
            raise Misuse(INVALID_OPTION, "with_overrides(): " + "; ".join(m for _, m in problems),
                         "overrides take constants: Resources(cpu=\"1\", mem=\"512Mi\"), retries=2, timeout=60",
                         node)

    def call_method(self, method: BoundMethod, args: tuple[Any, ...], kwargs: dict[str, Any], node: cst.Call,
                    arg_nodes: dict[Any, cst.CSTNode]) -> Any:
        receiver, name = method.receiver, method.name
        if isinstance(receiver, PromiseValue):
            if name == "with_overrides":
                self.check_overrides(kwargs, node)
                return receiver
            if name in ("is_true", "is_false") and not may_be_bool(receiver.type):
                # is_true/is_false test identity with True/False: on anything but a bool they never hold.
                raise Misuse(TYPE_MISMATCH, f"{receiver.origin}.{name}(): {receiver.origin} is "
                             f"{render_type(receiver.type)}, not bool",
                             "compare it instead (p > 0, p == \"x\"), or return a bool from a task", node)
            return ConditionValue(UnaryCheck(check=name, operand=receiver.binding))  # type: ignore[arg-type]
        if isinstance(receiver, Section):
            return self.section_step(receiver, name, args, kwargs, node)
        if isinstance(receiver, ThenStep):
            return self.then(receiver, name, args, kwargs, node)
        values = (*args, *kwargs.values())
        if name not in STORING_METHODS or not isinstance(receiver, (list, dict, set)):
            for v in values:
                if isinstance(v, (PromiseValue, ConditionValue)):
                    check = PROMISE_FORMATTING if isinstance(receiver, str) else PROMISE_VALUE_NEEDED
                    raise Misuse(check, f"`.{name}()` needs the value of a Promise: {describe(v)}", None, node)
                if isinstance(receiver, str) and contains_placeholder(v):
                    raise Misuse(PROMISE_FORMATTING, f"`.{name}()` formats a Promise", None, node)
        if any(isinstance(v, Opaque) for v in values):
            return Opaque(None, f".{name}()", real=self.mode == "dynamic")
        try:
            result = getattr(receiver, name)(*args, **kwargs)
        except Misuse as m:
            m.node = m.node or node
            raise
        except (TypeError, ValueError, KeyError, IndexError, AttributeError, UnicodeError) as exc:
            raise Misuse(RAISES, f"`.{name}()` raises {type(exc).__name__}: {exc}", None, node) from None
        if isinstance(result, (type({}.keys()), type({}.values()), type({}.items()))):
            return list(result)
        if size_of(result) > SIZE_LIMIT:
            raise OutsideSubset("constant too large to evaluate statically", node)
        return result
