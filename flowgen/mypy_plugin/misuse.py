"""Using a Promise as if it were its value: each is a ``flowgen-promise`` error.

The stub declares these dunders because the runtime defines them (each raises
PromiseError); mypy therefore accepts the expression, and the hooks here report it
with the same words the runtime uses.

==============================================  =====================================
construct                                       hook
==============================================  =====================================
``p + 1``, ``1 + p``, ``p += 1``, ``-p`` ...    Promise's arithmetic dunders
``for x in p``, unpacking ``a, b = p``          ``Promise.__iter__``
``x in p``                                      ``Promise.__contains__``
``p()``                                         ``Promise.__call__``
``len(p)``, ``str(p)``, ``int(p)``, ``range``,  the builtin, when an argument is a
``list(p)``, ``sorted(p)``, ``print(p)`` ...    Promise
f-strings, ``"..." % p``, ``"".format(p)``      ``str.format`` / ``str.__mod__``
``any(p)``, ``divmod(p, 2)``, ``json.dumps(p)``, the builtin or library function (any
``math.floor(p)``, ``p[0] = v``, ``del p[0]``   function of math, cmath, statistics,
                                                operator), or Promise's dunder
``weights[p]`` (a list, tuple or str)           the container's ``__getitem__``
==============================================  =====================================

``f"{p!r}"`` and ``"{!r}".format(p)`` are ``repr(p)``, allowed for debugging as the
runtime allows it. Reflected operators (``1 + p``) report past mypy's error filter
(messages.report_operator). ``sum([p, q])``, ``max([p, 1])``, ``math.fsum([p])`` look into
a list, tuple or set argument's items. ``p is None``, ``"%s" % p``, ``if p:`` and ``3 == p``
call nothing a hook here sees: probes.py reports them.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from typing import Final

from mypy.nodes import CallExpr, ComparisonExpr, Expression, MemberExpr, StrExpr
from mypy.plugin import FunctionContext, FunctionSigContext, MethodContext
from mypy.types import AnyType, FunctionLike, Instance, TupleType, Type, TypeOfAny, UnionType, get_proper_type

import flowgen.mypy_plugin.codes as codes
from flowgen.mypy_plugin.messages import report, report_operator, show
from flowgen.mypy_plugin.types_util import contains_promise, promise_of

_ARITHMETIC: Final = {
    "add": "+", "sub": "-", "mul": "*", "truediv": "/", "floordiv": "//", "mod": "%", "pow": "**",
    "matmul": "@", "lshift": "<<", "xor": "^", "and": "&", "or": "|", "divmod": "divmod()",
}
_UNARY: Final = {
    "neg": "-", "pos": "+", "abs": "abs()", "invert": "~", "round": "round()", "trunc": "math.trunc()",
    "floor": "math.floor()", "ceil": "math.ceil()",
}

PROMISE_DUNDERS: Final[dict[str, tuple[str, str]]] = {
    **{f"__{n}__": (f"Arithmetic (`{s}`) on a Promise", "pass it to a task that computes it") for n, s in _ARITHMETIC.items()},
    **{f"__r{n}__": (f"Arithmetic (`{s}`) on a Promise", "pass it to a task that computes it") for n, s in _ARITHMETIC.items()},
    **{f"__i{n}__": (f"Arithmetic (`{s}=`) on a Promise", "pass it to a task that computes it") for n, s in _ARITHMETIC.items()},
    **{f"__{n}__": (f"Arithmetic (`{s}`) on a Promise", "pass it to a task that computes it") for n, s in _UNARY.items()},
    "__rrshift__": ("Arithmetic (`>>`) on a Promise", "`a >> b` orders two task calls"),
    "__iter__": ("Iterating over (or unpacking) a Promise", "make this a @dynamic, or use map_task()"),
    "__contains__": ("`in` on a Promise", "pass it to a task, or make this a @dynamic"),
    "__call__": ("Calling a Promise", "Promises are values; pass it to a task"),
    "__reversed__": ("Iterating over a Promise (`reversed()`)", "make this a @dynamic, or use map_task()"),
    "__setitem__": ("Assigning into a Promise", "build a new value in a task"),
    "__delitem__": ("Deleting from a Promise", "build a new value in a task"),
}

BUILTINS: Final[dict[str, tuple[str, str]]] = {
    "builtins.len": ("`len()` of a Promise", "pass it to a task that needs the length, or make this a @dynamic"),
    "builtins.str": ("`str()` of a Promise", "pass it to a task that formats it"),
    "builtins.repr": ("", ""),  # allowed: repr() is for debugging
    "builtins.int": ("`int()` of a Promise", "pass it to a task"),
    "builtins.float": ("`float()` of a Promise", "pass it to a task"),
    "builtins.bool": ("`bool()` of a Promise", "use conditional() to branch on it"),
    "builtins.range": ("Using a Promise as an integer (`range()`)", "make this a @dynamic"),
    "builtins.format": ("Formatting a Promise (`format()`)", "pass it to a task that formats it"),
    "builtins.print": ("Printing a Promise", "its value exists only when the workflow runs; print in a task"),
    "builtins.list": ("Iterating over a Promise (`list()`)", "make this a @dynamic, or use map_task()"),
    "builtins.tuple": ("Iterating over a Promise (`tuple()`)", "make this a @dynamic, or use map_task()"),
    "builtins.set": ("Iterating over a Promise (`set()`)", "make this a @dynamic, or use map_task()"),
    "builtins.sorted": ("Iterating over a Promise (`sorted()`)", "make this a @dynamic"),
    "builtins.enumerate": ("Iterating over a Promise (`enumerate()`)", "make this a @dynamic, or use map_task()"),
    "builtins.zip": ("Iterating over a Promise (`zip()`)", "make this a @dynamic, or use map_task()"),
    "builtins.sum": ("Iterating over a Promise (`sum()`)", "pass it to a task that computes it"),
    "builtins.min": ("Iterating over a Promise (`min()`)", "pass it to a task that computes it"),
    "builtins.max": ("Iterating over a Promise (`max()`)", "pass it to a task that computes it"),
    "builtins.abs": ("Arithmetic (`abs()`) on a Promise", "pass it to a task that computes it"),
    "builtins.round": ("Arithmetic (`round()`) on a Promise", "pass it to a task that computes it"),
    "builtins.divmod": ("Arithmetic (`divmod()`) on a Promise", "pass it to a task that computes it"),
    "builtins.complex": ("`complex()` of a Promise", "pass it to a task"),
    "builtins.any": ("Iterating over a Promise (`any()`)", "pass it to a task that computes it"),
    "builtins.all": ("Iterating over a Promise (`all()`)", "pass it to a task that computes it"),
    "builtins.iter": ("Iterating over a Promise (`iter()`)", "make this a @dynamic, or use map_task()"),
    "builtins.next": ("Iterating over a Promise (`next()`)", "make this a @dynamic, or use map_task()"),
    "builtins.reversed": ("Iterating over a Promise (`reversed()`)", "make this a @dynamic, or use map_task()"),
    "builtins.chr": ("`chr()` of a Promise", "pass it to a task that formats it"),
    "builtins.hex": ("`hex()` of a Promise", "pass it to a task that formats it"),
    "builtins.oct": ("`oct()` of a Promise", "pass it to a task that formats it"),
    "builtins.bin": ("`bin()` of a Promise", "pass it to a task that formats it"),
    "json.dumps": ("`json.dumps()` of a Promise", "pass it to a task that serializes it"),
    "json.dump": ("`json.dump()` of a Promise", "pass it to a task that serializes it"),
}
# Whole modules of functions that compute on their arguments' values (``math.floor(p)``).
VALUE_MODULES: Final = ("math.", "cmath.", "statistics.", "operator.")


# Functions that use the values of their argument's items: ``sum([p, q])`` adds Promises.
ITEM_VALUES: Final = frozenset({"builtins.sum", "builtins.min", "builtins.max", "builtins.sorted",
                                "builtins.any", "builtins.all"})


def value_function_hook(fullname: str) -> Callable[[FunctionContext], Type] | None:
    """The hook for a function that needs its arguments' values, if ``fullname`` is one."""
    if fullname in BUILTIN_HOOKS:
        return builtin_call(fullname)
    if fullname.startswith(VALUE_MODULES) and fullname.count(".") == 1:
        return _call_hook(f"`{fullname}()` of a Promise", "pass it to a task that computes it", items=True)
    return None
_CONTAINERS: Final = ("builtins.list", "builtins.set", "builtins.frozenset", "builtins.tuple")
BUILTIN_HOOKS: Final = frozenset(name for name, (message, _) in BUILTINS.items() if message)

STRING_METHODS: Final[dict[str, tuple[str, str]]] = {
    "builtins.str.format": ("Formatting a Promise (f-string or `format()`)", "pass it to a task that formats it"),
    "builtins.str.__mod__": ("Formatting a Promise (`%`)", "pass it to a task that formats it"),
    "builtins.str.join": ("Joining a Promise into a string", "pass it to a task that formats it"),
    "builtins.str.__add__": ("Concatenating a Promise to a string", "pass it to a task that formats it"),
}


# Indexing a plain container with a Promise: mypy accepts it (the stub gives Promise ``__index__``).
INDEX_METHODS: Final = frozenset({
    "builtins.list.__getitem__", "builtins.tuple.__getitem__", "builtins.str.__getitem__",
    "builtins.bytes.__getitem__", "builtins.range.__getitem__",
})


def index_with_promise(ctx: MethodContext) -> Type:
    """``weights[p]``: a list, tuple, str, bytes or range indexed by a Promise (the runtime raises; a dict
    indexed by a Promise is already mypy's own ``index`` error)."""
    for actual_types in ctx.arg_types:
        for actual in actual_types:
            if contains_promise(actual):
                report(
                    ctx.api,
                    f"Indexing with a Promise as the index in a workflow body: {show(ctx.api, actual)} has no "
                    "value until the workflow runs",
                    ctx.context,
                    codes.FLOWGEN_PROMISE,
                    "pass the container and the index to a task, or make this a @dynamic",
                )
                return _error()
    return ctx.default_return_type


def _error() -> Type:
    return AnyType(TypeOfAny.from_error)


def promise_dunder(method: str) -> Callable[[MethodContext], Type]:
    def hook(ctx: MethodContext) -> Type:
        key = method
        if method == "__iter__" and isinstance(ctx.context, ComparisonExpr) and "in" in ctx.context.operators:
            key = "__contains__"  # mypy checks `x in p` through __iter__ too
        message, hint = PROMISE_DUNDERS[key]
        reflected = method.startswith("__r") and method != "__round__"
        (report_operator if reflected else report)(
            ctx.api,
            f"{message} in a workflow body: {show(ctx.api, ctx.type)} has no value until the workflow runs",
            ctx.context,
            codes.FLOWGEN_PROMISE,
            hint,
        )
        return _error()

    return hook


def len_signature(ctx: FunctionSigContext) -> FunctionLike:
    """``len()`` takes a Promise too (the stub gives Promise no ``__len__``), so the hook
    below can say what is wrong."""
    signature = ctx.default_signature
    any_promise = promise_of(ctx.api, AnyType(TypeOfAny.special_form))
    return signature.copy_modified(arg_types=[UnionType.make_union([t, any_promise]) for t in signature.arg_types])


def builtin_call(fullname: str) -> Callable[[FunctionContext], Type]:
    return _call_hook(*BUILTINS[fullname], items=fullname in ITEM_VALUES)


def _holds_promise(typ: Type, items: bool) -> bool:
    """A Promise, or (``items``) a list, tuple or set literal's items that are Promises."""
    if contains_promise(typ):
        return True
    if not items:
        return False
    proper = get_proper_type(typ)
    if isinstance(proper, TupleType):
        return any(contains_promise(item) for item in proper.items)
    if isinstance(proper, Instance) and proper.type.fullname in _CONTAINERS and proper.args:
        return contains_promise(proper.args[0])
    return False


def _call_hook(message: str, hint: str, *, items: bool = False) -> Callable[[FunctionContext], Type]:
    def hook(ctx: FunctionContext) -> Type:
        for actual_types in ctx.arg_types:
            for actual in actual_types:
                if _holds_promise(actual, items):
                    report(
                        ctx.api,
                        f"{message} in a workflow body: {show(ctx.api, actual)} has no value until the "
                        "workflow runs",
                        ctx.context,
                        codes.FLOWGEN_PROMISE,
                        hint,
                    )
                    return _error()
        return ctx.default_return_type

    return hook


def _position(ctx: MethodContext, expr: Expression) -> int:
    flat = [e for exprs in ctx.args for e in exprs]
    return flat.index(expr)


def _repr_fields(ctx: MethodContext) -> set[int | str]:
    """Fields of a literal format string shown only with ``!r``: ``f"{p!r}"`` (mypy reads it
    as ``"{!r}".format(p)``) is ``repr(p)``, which works on a Promise, for debugging."""
    call = ctx.context
    if not (isinstance(call, CallExpr) and isinstance(call.callee, MemberExpr)
            and isinstance(call.callee.expr, StrExpr)):
        return set()
    conversions: dict[int | str, set[str | None]] = {}
    automatic = 0
    try:
        parsed = list(string.Formatter().parse(call.callee.expr.value))
    except ValueError:
        return set()
    for _, field, _, conversion in parsed:
        if field is None:
            continue
        head = field.split(".", 1)[0].split("[", 1)[0]
        key: int | str
        if head == "":
            key, automatic = automatic, automatic + 1
        else:
            key = int(head) if head.isdigit() else head
        conversions.setdefault(key, set()).add(conversion)
    return {key for key, seen in conversions.items() if seen == {"r"}}


def string_method(fullname: str) -> Callable[[MethodContext], Type]:
    message, hint = STRING_METHODS[fullname]

    def hook(ctx: MethodContext) -> Type:
        shown_by_repr = _repr_fields(ctx) if fullname == "builtins.str.format" else set()
        for actual_types, actual_names, actual_exprs in zip(ctx.arg_types, ctx.arg_names, ctx.args):
            for actual, name, expr in zip(actual_types, actual_names, actual_exprs):
                holds = _holds_promise(actual, items=fullname == "builtins.str.join")
                if holds and (name or _position(ctx, expr)) not in shown_by_repr:
                    report(
                        ctx.api,
                        f"{message} in a workflow body: {show(ctx.api, actual)} has no value until the "
                        "workflow runs",
                        ctx.context,
                        codes.FLOWGEN_PROMISE,
                        hint,
                    )
                    return ctx.default_return_type
        return ctx.default_return_type

    return hook

