"""Parsing workflow inputs from the command line by their declared types (as ``pyflyte run`` does).

==================================  ============================================
type                                 command-line text
==================================  ============================================
str                                  as written
int, float                           a number
bool                                 true/false, yes/no, 1/0
bytes                                the text, UTF-8 encoded
datetime, date                       ISO 8601 (2024-05-01T12:00:00)
timedelta                            seconds
enum                                 a member name, or a member's value
list, dict, tuple, record, literal   JSON (a dataclass or model: a JSON object)
union / Optional                     each variant tried in order; ``null``/``none`` is None
==================================  ============================================

Refused, with an error naming the input: ``nan``, ``inf`` and ``-inf`` for floats (also
``NaN``/``Infinity`` and overflowing numbers such as ``1e999`` inside JSON, and in
``--inputs`` files), and JSON nested deeper than :data:`MAX_DEPTH` levels (checked on the
text before it is parsed, so a 5000-deep value is an error, never a RecursionError).
An option given twice (``--n 1 --n 2``) is a usage error: :class:`WorkflowCommand`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Sequence
from typing import Any

import click

from flowgen.ir import refs
from flowgen.ir.codec import from_json
from flowgen.ir.types import (
    EnumType,
    LiteralType,
    PrimitiveType,
    TypeSpec,
    UnionType,
    render_type,
)
from flowgen.ir.values import TypeMismatch

__all__ = [
    "MAX_DEPTH",
    "NON_FINITE",
    "InputType",
    "WorkflowCommand",
    "enum_choices",
    "load_json",
    "non_finite",
    "parse_text",
    "too_deep",
]

MAX_DEPTH = 100
"""How deeply a JSON input may nest (arrays and objects); deeper is refused before parsing."""

_TRUE = {"true", "yes", "y", "1", "on"}
_FALSE = {"false", "no", "n", "0", "off"}


def parse_text(text: str, spec: TypeSpec) -> Any:
    """The value ``text`` denotes for ``spec``; raises ValueError with what was expected."""
    if isinstance(spec, PrimitiveType):
        name = spec.name
        if name == "str":
            return text
        if name == "int":
            try:
                return int(text)
            except ValueError:
                raise ValueError(f"{text!r} is not an int") from None
        if name == "float":
            try:
                number = float(text)
            except ValueError:
                raise ValueError(f"{text!r} is not a float") from None
            if not math.isfinite(number):
                raise ValueError(f"{text!r} is not a finite float: nan and inf are refused as input values")
            return number
        if name == "bool":
            if text.lower() in _TRUE:
                return True
            if text.lower() in _FALSE:
                return False
            raise ValueError(f"{text!r} is not a bool (true/false)")
        if name == "bytes":
            return text.encode()
        if name == "none":
            if text.lower() in ("none", "null", ""):
                return None
            raise ValueError(f"{text!r} is not None")
        if name == "datetime":
            try:
                return dt.datetime.fromisoformat(text)
            except ValueError:
                raise ValueError(f"{text!r} is not an ISO 8601 datetime (2024-05-01T12:00:00)") from None
        if name == "date":
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                raise ValueError(f"{text!r} is not an ISO 8601 date (2024-05-01)") from None
        if name == "timedelta":
            try:
                return dt.timedelta(seconds=float(text))
            except ValueError:
                raise ValueError(f"{text!r} is not a number of seconds") from None
    if isinstance(spec, EnumType):
        cls = refs.resolve(spec.ref)
        if text in spec.members:
            return cls[text]
        for member in cls:
            if str(member.value) == text:
                return member
        raise ValueError(f"{text!r} is not {enum_choices(spec)}")
    if isinstance(spec, UnionType):
        errors = []
        for variant in sorted(spec.variants, key=lambda v: isinstance(v, PrimitiveType) and v.name == "str"):
            try:
                return parse_text(text, variant)
            except ValueError as exc:
                errors.append(str(exc))
        raise ValueError(f"{text!r} is not a {render_type(spec)}")
    if isinstance(spec, LiteralType):
        for value in spec.values:
            if str(value) == text or json.dumps(value) == text:
                return value
        raise ValueError(f"{text!r} is not one of {', '.join(map(str, spec.values))}")
    try:
        data = load_json(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"expected {render_type(spec)} as JSON: {exc.msg} at column {exc.colno}") from None
    try:
        return from_json(data, spec)
    except TypeMismatch as exc:
        raise ValueError(exc.describe()) from None


def enum_choices(spec: EnumType) -> str:
    """The accepted spellings of an enum input, for error messages: names first, then values."""
    names = ", ".join(spec.members)
    try:
        values = ", ".join(repr(m.value) for m in refs.resolve(spec.ref))
    except Exception:  # the class cannot be imported: names are still right
        return f"one of {names}"
    return f"one of {names} (member names) or {values} (their values)"


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def too_deep(text: str) -> tuple[int, str | None] | None:
    """``(levels, key)`` when JSON ``text`` nests arrays and objects deeper than :data:`MAX_DEPTH`
    (``key``: the top-level object's key holding the deep value, if any), else None. Scans the
    text without parsing it, skipping strings, so arbitrarily deep text costs no recursion."""
    depth = 0
    key: str | None = None
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > MAX_DEPTH:
                return _total_depth(text, match.start(), depth), key
        elif token in ("]", "}"):
            depth -= 1
        elif depth == 1:
            key = json.loads(token)  # a key of the top-level object (or a string item: replaced by the next key)
    return None


def _total_depth(text: str, start: int, depth: int) -> int:
    deepest = depth
    for match in _JSON_TOKEN.finditer(text, start + 1):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            deepest = max(deepest, depth)
        elif token in ("]", "}"):
            depth -= 1
    return deepest


def non_finite(data: Any) -> str | None:
    """Where parsed JSON ``data`` holds a NaN or an infinity (``""`` for the value itself,
    ``[2].x`` inside it), else None."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, float) and not math.isfinite(item):
            return where
        if isinstance(item, list):
            stack.extend((f"{where}[{i}]", v) for i, v in enumerate(item))
        elif isinstance(item, dict):
            stack.extend((f"{where}[{k!r}]", v) for k, v in item.items())
    return None


NON_FINITE = "nan and inf are refused as input values (NaN, Infinity, or a number too large for a float)"


def load_json(text: str) -> Any:
    """Parse JSON input text strictly: at most :data:`MAX_DEPTH` levels deep, and no
    ``NaN``/``Infinity``/overflowing numbers. Raises ValueError (``json.JSONDecodeError``
    for text that is not JSON)."""
    deep = too_deep(text)
    if deep is not None:
        raise ValueError(f"JSON nested {deep[0]} levels deep: at most {MAX_DEPTH} levels are accepted")
    data = json.loads(text)
    where = non_finite(data)
    if where is not None:
        raise ValueError(f"{where or 'the value'}: {NON_FINITE}")
    return data


class WorkflowCommand(click.Command):
    """A click command that refuses an option given twice (``--n 1 --n 2``), naming it,
    instead of silently keeping the last value. Used by ``flowgen run`` and generated scripts."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        _, _, order = self.make_parser(ctx).parse_args(args=list(args))
        _refuse_repeats(order, ctx)
        return super().parse_args(ctx, args)


def _refuse_repeats(order: Sequence[click.Parameter], ctx: click.Context) -> None:
    seen: set[str | None] = set()
    for param in order:
        if not isinstance(param, click.Option) or param.multiple or param.count:
            continue
        if param.name in seen:
            raise click.UsageError(f"option {param.opts[0]} is given more than once: give it once", ctx=ctx)
        seen.add(param.name)


class InputType(click.ParamType):
    """A click parameter type for one workflow input."""

    def __init__(self, spec: TypeSpec) -> None:
        self.spec = spec
        self.name = render_type(spec)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return parse_text(value, self.spec)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)
