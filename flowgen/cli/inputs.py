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
enum                                 a member name (or value)
list, dict, tuple, record, literal   JSON (a dataclass or model: a JSON object)
union / Optional                     each variant tried in order; ``null``/``none`` is None
==================================  ============================================
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import click

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

__all__ = ["InputType", "parse_text"]

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
                return float(text)
            except ValueError:
                raise ValueError(f"{text!r} is not a float") from None
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
        try:
            return from_json(text, spec)
        except TypeMismatch:
            raise ValueError(f"{text!r} is not one of {', '.join(spec.members)}") from None
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
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"expected {render_type(spec)} as JSON: {exc.msg} at column {exc.colno}") from None
    try:
        return from_json(data, spec)
    except TypeMismatch as exc:
        raise ValueError(exc.describe()) from None


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
