"""Reporting: every plugin error goes through here, with its code and a flowgen hint."""

from __future__ import annotations

from mypy.errorcodes import ErrorCode
from mypy.messages import format_type
from mypy.nodes import Context
from mypy.plugin import CheckerPluginInterface
from mypy.types import Type


def show(api: CheckerPluginInterface, typ: Type) -> str:
    return format_type(typ, api.options)


def report(api: CheckerPluginInterface, message: str, context: Context, code: ErrorCode, hint: str = "") -> None:
    text = f"{message}; {hint}" if hint else message
    api.fail(text, context, code=code)
